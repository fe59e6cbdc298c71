/**
 * Uploading a run to a RefStack server as refstack-client's `upload` does (RefStack API v1 `POST /v1/results/`):
 * the JSON body of the passes, the optional RSA signature, bounded retries.
 *
 * The key (`upload-key`) is never logged: only the public key line and its self-signature, both public, may
 * appear in messages (they are what the user registers in the RefStack profile).
 */
import { createPrivateKey, createPublicKey, sign as rsaSign, type KeyObject, constants } from 'node:crypto'
import { Input } from '../constants.js'
import { ActionError } from '../errors.js'
import { describeAnswer, errorBody, type HttpAnswer, httpRequest, transportProblem } from '../http.js'
import { sshString } from '../target/pkcs8.js'
import type { TestResult } from '../results/model.js'
import { echoForeign } from '../log/foreign.js'

// --- the body ------------------------------------------------------------------------------------------------

/** refstack-client's `re.sub(r'\[.*\]', '', id)`: the span from the first `[` to the last `]` goes (per line). */
export function resultName(id: string): string {
  return id.replace(/\[[^\n]*\]/g, '')
}

/**
 * refstack-client's `get_test_uuid`: the attributes between the first `[` and the next `]`, the first one
 * starting with `id-`, without `id-`. Undefined when there is none (or it is empty), as the client omits it.
 */
export function resultUuid(id: string): string | undefined {
  const attributes = /\[([^[\]]*)/.exec(id)?.[1] ?? ''
  const uuid = attributes
    .split(',')
    .find((a) => a.startsWith('id-'))
    ?.slice(3)
  return uuid === '' ? undefined : uuid
}

export interface UploadBody {
  /** Signed and sent as these exact bytes (UTF-8). */
  body: string
  /** Entries in `results`, and the names of those that passed only in a rerun. */
  passed: number
  passedOnRerun: string[]
}

/**
 * The body refstack-client POSTs, `{"cpid", "duration_seconds", "results": [{"name", "uuid"}]}`: the passes of
 * `tests`, then those of each rerun not passed before, so it holds every pass the verdict counts. Names are kept
 * once ignoring case: the server's result table has a unique, case-insensitive (test, name) key (else a 500).
 */
export function uploadBody(
  tests: TestResult[],
  cpid: string,
  durationSeconds: number,
  reruns: TestResult[][] = []
): UploadBody {
  const seen = new Set<string>()
  const results: Array<{ name: string; uuid?: string }> = []
  const passedOnRerun: string[] = []
  for (const [attempt, attemptTests] of [tests, ...reruns].entries()) {
    for (const test of attemptTests) {
      if (test.status !== 'success') continue
      const name = resultName(test.id)
      const folded = name.toLowerCase()
      if (seen.has(folded)) continue
      seen.add(folded)
      const uuid = resultUuid(test.id)
      results.push(uuid === undefined ? { name } : { name, uuid })
      if (attempt > 0) passedOnRerun.push(name)
    }
  }
  if (results.length === 0) {
    throw new ActionError(
      `Nothing to upload: no test passed (${tests.length} test${tests.length === 1 ? '' : 's'} in the results)`,
      'The RefStack server rejects an upload without a passing test (HTTP 400 "Uploaded results must contain at least one passing test."); fix the run first'
    )
  }
  const duration = Number.isFinite(durationSeconds) && durationSeconds > 0 ? Math.floor(durationSeconds) : 0
  return {
    body: JSON.stringify({ cpid, duration_seconds: duration, results }),
    passed: results.length,
    passedOnRerun
  }
}

// --- the signing key -----------------------------------------------------------------------------------------

export interface SigningKey {
  privateKey: KeyObject
  /** `ssh-rsa <base64>` (no comment), as refstack-client sends it in X-Public-Key. */
  publicKey: string
}

const KEY_HINT = `'${Input.UploadKey}' must be an unencrypted PEM RSA private key ("-----BEGIN RSA PRIVATE KEY-----" or "-----BEGIN PRIVATE KEY-----"), as refstack-client's --sign takes; make one with: ssh-keygen -t rsa -b 4096 -m PEM -N '' -f refstack-key`

/** Reads the `upload-key` input. Errors name the input, never the key's text. */
export function loadSigningKey(pem: string): SigningKey {
  const text = pem.trim()
  if (/-----BEGIN OPENSSH PRIVATE KEY-----/.test(text)) {
    throw new ActionError(
      `Input '${Input.UploadKey}' is an OpenSSH-format private key, which RefStack signing cannot use`,
      `Convert a copy to PEM with: ssh-keygen -p -m PEM -f <copy-of-key> (the public key stays the same). ${KEY_HINT}`
    )
  }
  if (/ENCRYPTED/.test(text)) {
    throw new ActionError(
      `Input '${Input.UploadKey}' is an encrypted private key`,
      `Remove the passphrase from a copy (ssh-keygen -p -N '' -m PEM -f <copy-of-key>, or openssl rsa -in key -out key.pem). ${KEY_HINT}`
    )
  }
  let privateKey: KeyObject
  try {
    privateKey = createPrivateKey({ key: text, format: 'pem' })
  } catch {
    throw new ActionError(`Input '${Input.UploadKey}' cannot be read as a PEM private key`, KEY_HINT)
  }
  if (privateKey.asymmetricKeyType !== 'rsa') {
    throw new ActionError(
      `Input '${Input.UploadKey}' is a${privateKey.asymmetricKeyType === 'ec' || privateKey.asymmetricKeyType === 'ed25519' ? 'n' : ''} ${privateKey.asymmetricKeyType ?? 'unknown'} key, not an RSA key: the RefStack server only verifies RSA signatures`,
      KEY_HINT
    )
  }
  // The OpenSSH public key blob (RFC 4253 6.6): string "ssh-rsa", mpint e, mpint n. Written here rather than by
  // ssh2, which config.ts would then load at start-up through this file.
  const { e, n } = createPublicKey(privateKey).export({ format: 'jwk' }) as { e: string; n: string }
  const blob = Buffer.concat([sshString('ssh-rsa'), sshMpint(e), sshMpint(n)])
  return { privateKey, publicKey: `ssh-rsa ${blob.toString('base64')}` }
}

/** RFC 4251 `mpint` of a positive base64url magnitude: no leading zero bytes, one 0x00 when the top bit is set. */
function sshMpint(base64url: string): Buffer {
  const magnitude = Buffer.from(base64url, 'base64url')
  const start = magnitude.findIndex((byte) => byte !== 0)
  const bytes = magnitude.subarray(start < 0 ? magnitude.length : start)
  return sshString(bytes.length > 0 && bytes[0] >= 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes)
}

/** RSA PKCS#1 v1.5 / SHA-256 over the bytes, lower-case hex (refstack-client's `binascii.b2a_hex`). */
export function signHex(key: SigningKey, data: string | Buffer): string {
  return rsaSign('sha256', typeof data === 'string' ? Buffer.from(data, 'utf8') : data, {
    key: key.privateKey,
    padding: constants.RSA_PKCS1_PADDING
  }).toString('hex')
}

/** The "self signature" the RefStack profile asks for with a new key: the same scheme over `signature`. */
export function selfSignature(key: SigningKey): string {
  return signHex(key, 'signature')
}

// --- the upload ----------------------------------------------------------------------------------------------

export interface UploadOptions {
  /** Input `refstack-server`, the API base URL. */
  server: string
  /** From `uploadBody`. */
  body: string
  /** Input `upload-key`; without it the upload is anonymous. */
  signingKey?: string
  /** Per attempt (default 60 s). */
  timeoutMs?: number
  /** Further attempts after a timeout, a connection error or a 5xx (default 2). 4xx answers are never retried. */
  retries?: number
  /** Wait before the first retry, doubled for each next one (default 2 s). */
  retryDelayMs?: number
}

export interface UploadedResult {
  /** The server's `test_id` and its result page, `<ui_url>/#/results/<id>`. */
  id: string
  url: string
}

/**
 * `{server}/v1/results/`, exactly as refstack-client posts. The server takes it with or without the trailing slash
 * (Pecan routes an empty remainder and `['']` alike to the RestController's `post()`).
 */
export function resultsEndpoint(server: string): string {
  return `${server.trim().replace(/\/+$/, '')}/v1/results/`
}

/** A refusal by the server: its status and words, and what to do. */
function refused(server: string, answer: HttpAnswer, key: SigningKey | undefined): ActionError {
  const message = `RefStack server ${server} refused the upload: ${describeAnswer(answer)}`
  const said = errorBody(answer.body)
  let hint: string
  if (answer.status === 401 && /specified key not found/i.test(said)) {
    hint = key
      ? `Log into the RefStack server, open your profile and import this public key with its self signature, then upload again. Public key: ${key.publicKey} Self signature: ${selfSignature(key)}`
      : `Register the public key of '${Input.UploadKey}' in your RefStack profile`
  } else if (answer.status === 401 && /anonymous/i.test(said)) {
    hint = `This server only takes signed uploads: set '${Input.UploadKey}' to a PEM RSA private key whose public key is registered in your RefStack profile (ssh-keygen -t rsa -b 4096 -m PEM -N '' -f refstack-key)`
  } else if (answer.status === 400 && /signature verification failed/i.test(said)) {
    hint =
      'The signature did not match the body the server received: something between the runner and the server (a proxy) changed the body, or the server verifies differently. Try again without a proxy'
  } else if (answer.status === 400 && /malformed (signature|public key)/i.test(said)) {
    hint = `The server could not read the X-Signature / X-Public-Key headers made from '${Input.UploadKey}': ${KEY_HINT}`
  } else if (answer.status === 400 && /at least one passing test/i.test(said)) {
    hint = 'The run has no passing test; fix the run first'
  } else if (answer.status === 400) {
    hint = 'The server rejected the body as built by the action (refstack-client format): please report this'
  } else if (answer.status === 404 || answer.status === 405) {
    hint = `'${Input.RefstackServer}' must be the API base URL, e.g. https://refstack.openstack.org/api (the action posts to ${resultsEndpoint(server)})`
  } else if (answer.status === 500) {
    hint =
      'The server failed while storing the result (a result with the same test name twice makes the database fail); the action retried. Check with the server operator, or upload the results file later'
  } else if (answer.status >= 500) {
    hint =
      'The server or a proxy in front of it is unavailable; the action retried. Upload the results file later'
  } else {
    hint = `Check '${Input.RefstackServer}' (the action posts to ${resultsEndpoint(server)})`
  }
  return new ActionError(message, hint)
}

/**
 * POSTs the body, signed when a key is given. 201 → the result's id and URL. Timeouts, connection errors and 5xx
 * answers are retried (bounded, doubling waits); any other answer is an ActionError with the server's words.
 */
export async function uploadResults(options: UploadOptions): Promise<UploadedResult> {
  const key =
    options.signingKey !== undefined && options.signingKey.trim() !== ''
      ? loadSigningKey(options.signingKey)
      : undefined
  const url = resultsEndpoint(options.server)
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' }
  if (key) {
    headers['x-signature'] = signHex(key, options.body)
    headers['x-public-key'] = key.publicKey
  }
  const timeoutMs = options.timeoutMs ?? 60_000
  const retries = Math.max(0, Math.floor(options.retries ?? 2))
  let delay = options.retryDelayMs ?? 2000
  let last = ''
  for (let attempt = 0; ; attempt++) {
    const answer = await httpRequest({
      method: 'POST',
      url,
      body: options.body,
      headers,
      timeoutMs
    }).catch(transportProblem)
    if (typeof answer === 'string') {
      last = answer
      if (attempt >= retries) break
    } else {
      if (answer.status === 201) return created(url, answer)
      if (answer.status < 500 || attempt >= retries) throw refused(options.server, answer, key)
      last = describeAnswer(answer)
    }
    // The server's answer is foreign text: shown, never acted on as a workflow command.
    echoForeign(
      `Upload to ${url}: ${last}; retrying in ${delay >= 1000 ? `${Math.round(delay / 100) / 10} s` : `${delay} ms`} (${retries - attempt} left)`
    )
    await new Promise((resolve) => setTimeout(resolve, delay))
    delay *= 2
  }
  throw new ActionError(
    `Cannot upload to RefStack server ${options.server}: ${last} (${retries + 1} attempt${retries === 0 ? '' : 's'})`,
    `Check that '${Input.RefstackServer}' is reachable from the runner (proxies: HTTPS_PROXY / NO_PROXY), or upload the results file later`
  )
}

function created(url: string, answer: HttpAnswer): UploadedResult {
  try {
    const json = JSON.parse(answer.body) as { test_id?: unknown; url?: unknown }
    if (typeof json.test_id === 'string' && json.test_id !== '') {
      return { id: json.test_id, url: typeof json.url === 'string' ? json.url : '' }
    }
  } catch {
    // fall through
  }
  throw new ActionError(
    `RefStack server answered the upload to ${url} with HTTP 201 but without a test_id: ${errorBody(answer.body) || '(empty body)'}`,
    'The result was probably stored; check the server. Is the URL a RefStack API?'
  )
}
