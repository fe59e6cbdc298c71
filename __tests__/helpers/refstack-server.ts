/**
 * A RefStack API server for tests, on 127.0.0.1 with a random port, answering as refstack.md §2 describes the
 * real one (openstack/refstack @ 0af3a46e): `GET /v1/guidelines`, `GET /v1/guidelines/{file}`,
 * `GET /v1/guidelines/{version}/tests`. The API is mounted under `/api` like refstack.openstack.org, so
 * `server.url` is the value of the `refstack-server` input.
 *
 * The test-list endpoint uses its own implementation of the server's selection rules (`referenceTestList`, a
 * line-by-line port of refstack/api/guidelines.py `get_target_capabilities` + `get_test_list` working on the raw
 * JSON), never the action's code, so tests can compare the two.
 *
 * Knobs (mutable while running): `down` (every connection is dropped without an answer), `delayMs` (each answer
 * waits), `githubDown` (the server cannot reach its guideline repository: the list is `{"powered": []}` and every
 * file a 500), `guidelines` (the file set, repository path → file text).
 *
 * Extension point: `server.route(method, pattern, handler)` adds or replaces a route (`:name` segments become
 * `params`). Routes are matched in the order added; later ones win. `addResultsApi(server)` adds
 * `POST /v1/results` (§2.5) this way.
 */
import { createPublicKey, randomUUID, verify, constants, type KeyObject } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'

export interface RouteContext {
  method: string
  /** Path below the mount point, e.g. /v1/guidelines/2020.06. */
  path: string
  params: Record<string, string>
  query: URLSearchParams
  headers: http.IncomingHttpHeaders
  body: Buffer
  server: RefstackServer
}

export interface RouteAnswer {
  status: number
  headers?: Record<string, string>
  body?: string | Buffer
  /** Destroy the connection instead of answering (a crashed server or proxy). */
  drop?: boolean
}

export type RouteHandler = (ctx: RouteContext) => RouteAnswer | Promise<RouteAnswer>

export interface RecordedRequest {
  method: string
  path: string
  query: string
  headers: http.IncomingHttpHeaders
  body: Buffer
}

export interface RefstackServerOptions {
  /** Repository path (`2020.06.json`, `add-ons/dns.2020.06.json`) → file text. Default: the bundled data. */
  guidelines?: Map<string, string>
  /** Mount point of the API (default `/api`, as on refstack.openstack.org). */
  prefix?: string
  delayMs?: number
  down?: boolean
  githubDown?: boolean
}

export interface RefstackServer {
  /** Base URL for the `refstack-server` input, e.g. http://127.0.0.1:41234/api */
  readonly url: string
  readonly port: number
  guidelines: Map<string, string>
  delayMs: number
  down: boolean
  githubDown: boolean
  /** Every request received (also while `down`), in order. */
  readonly requests: RecordedRequest[]
  route(method: string, pattern: string, handler: RouteHandler): void
  stop(): Promise<void>
}

export const BUNDLED_DIR = path.resolve(import.meta.dirname, '../../data/guidelines')

/** The bundled guideline files as a file set: top-level `*.json` and `add-ons/*.json`. */
export function bundledGuidelineSet(dir = BUNDLED_DIR): Map<string, string> {
  const set = new Map<string, string>()
  for (const name of readdirSync(dir).sort()) {
    if (name.endsWith('.json')) set.set(name, readFileSync(path.join(dir, name), 'utf8'))
  }
  for (const name of readdirSync(path.join(dir, 'add-ons')).sort()) {
    if (name.endsWith('.json'))
      set.set(`add-ons/${name}`, readFileSync(path.join(dir, 'add-ons', name), 'utf8'))
  }
  return set
}

/** §2.1: errors raised with an HTTP status → {"code", "title", "detail"} in that order. */
export function abortAnswer(status: number, detail: string | null): RouteAnswer {
  return {
    status,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code: status, title: http.STATUS_CODES[status] ?? 'Error', detail })
  }
}

/** §2.1: validation (400), not found (404), anything else (500) → {"title", "code"}. */
export function errorAnswer(status: number, title: string): RouteAnswer {
  return {
    status,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ title, code: status })
  }
}

export function jsonAnswer(status: number, value: unknown): RouteAnswer {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) }
}

export function textAnswer(status: number, text: string): RouteAnswer {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: text }
}

export async function startRefstackServer(options: RefstackServerOptions = {}): Promise<RefstackServer> {
  const prefix = (options.prefix ?? '/api').replace(/\/+$/, '')
  const routes: Array<{ method: string; regex: RegExp; names: string[]; handler: RouteHandler }> = []
  const requests: RecordedRequest[] = []
  const httpServer = http.createServer()

  const state = {
    guidelines: options.guidelines ?? bundledGuidelineSet(),
    delayMs: options.delayMs ?? 0,
    down: options.down ?? false,
    githubDown: options.githubDown ?? false
  }

  httpServer.on('request', (req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      void (async () => {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1')
        const body = Buffer.concat(chunks)
        requests.push({
          method: req.method ?? 'GET',
          path: url.pathname,
          query: url.search,
          headers: req.headers,
          body
        })
        if (state.down) {
          req.socket.destroy()
          return
        }
        if (state.delayMs > 0) await delay(state.delayMs)
        let answer: RouteAnswer
        try {
          answer = await dispatch(req.method ?? 'GET', url, req.headers, body)
        } catch {
          answer = errorAnswer(500, 'Internal Server Error')
        }
        if (res.destroyed || res.writableEnded) return
        if (answer.drop) {
          req.socket.destroy()
          return
        }
        res.writeHead(answer.status, answer.headers ?? {})
        res.end(answer.body ?? '')
      })()
    })
  })

  async function dispatch(
    method: string,
    url: URL,
    headers: http.IncomingHttpHeaders,
    body: Buffer
  ): Promise<RouteAnswer> {
    const pathname = decodeURIComponent(url.pathname)
    if (!pathname.startsWith(`${prefix}/`)) return abortAnswer(404, 'The resource could not be found.')
    const sub = pathname.slice(prefix.length).replace(/\/+$/, '') || '/'
    for (let i = routes.length - 1; i >= 0; i--) {
      const route = routes[i]
      if (route.method !== method) continue
      const match = route.regex.exec(sub)
      if (!match) continue
      const params: Record<string, string> = {}
      route.names.forEach((name, index) => (params[name] = match[index + 1]))
      return route.handler({ method, path: sub, params, query: url.searchParams, headers, body, server })
    }
    return abortAnswer(404, 'The resource could not be found.')
  }

  function route(method: string, pattern: string, handler: RouteHandler): void {
    const names: string[] = []
    const source = pattern
      .split('/')
      .map((segment) => {
        if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
        names.push(segment.slice(1))
        return '([^/]+)'
      })
      .join('/')
    routes.push({ method: method.toUpperCase(), regex: new RegExp(`^${source}$`), names, handler })
  }

  // --- the guideline routes (refstack.md §2.2 - §2.4) --------------------------------------------------------

  /** `get_guideline_contents`: append .json, `<letters>.<YYYY.MM|next>.json` lives in add-ons/. */
  function guidelineContents(name: string): unknown {
    if (state.githubDown) return undefined
    const file = name.endsWith('.json') ? name : `${name}.json`
    const repoPath = /[a-z]*\.([0-9]{4}\.[0-9]{2}|next)\.json/.test(file) ? `add-ons/${file}` : file
    const text = state.guidelines.get(repoPath)
    if (text === undefined) return undefined
    return JSON.parse(text) as unknown // malformed → exception → 500, like requests' response.json()
  }

  route('GET', '/v1/guidelines', () => {
    if (state.githubDown) return jsonAnswer(200, { powered: [] })
    const listed = /([0-9]{4}\.[0-9]{2}|next)\.json/
    const powered: Array<{ name: string; file: string }> = []
    const addons: string[] = []
    for (const repoPath of [...state.guidelines.keys()].sort()) {
      const slash = repoPath.lastIndexOf('/')
      const dir = repoPath.slice(0, Math.max(slash, 0))
      const name = repoPath.slice(slash + 1)
      if (!listed.test(name)) continue
      if (dir === 'add-ons') {
        if (!addons.includes(name)) addons.push(name)
      } else if (dir === '' && !powered.some((p) => p.name === name)) powered.push({ name, file: repoPath })
    }
    // itertools.groupby over the (sorted) add-on names by the text before the first dot; add-ons first.
    const result: Record<string, Array<{ name: string; file: string }>> = {}
    for (const name of addons) {
      const group = name.split('.')[0]
      const rest = name.slice(name.indexOf('.') + 1)
      ;(result[group] ??= []).push({ name: rest, file: name })
    }
    result.powered = powered
    return jsonAnswer(200, result)
  })

  route('GET', '/v1/guidelines/:file', ({ params }) => {
    const json = guidelineContents(params.file)
    if (!truthy(json))
      return abortAnswer(
        500,
        'The server was unable to get the JSON content for the specified guideline file.'
      )
    return jsonAnswer(200, json)
  })

  route('GET', '/v1/guidelines/:version/tests', ({ params, query }) => {
    const version = params.version
    let json: unknown
    try {
      json = guidelineContents(version)
    } catch {
      return errorAnswer(500, 'Internal Server Error')
    }
    if (!truthy(json)) return textAnswer(200, `Error getting JSON content for version: ${version}`)
    const typeParam = query.get('type')
    const types = typeParam ? typeParam.split(',') : null
    const aliasParam = query.get('alias')
    const alias = aliasParam ? strToBool(aliasParam) : true
    const flagParam = query.get('flag')
    const flag = flagParam ? strToBool(flagParam) : true
    const target = query.get('target') ?? 'platform'
    try {
      return textAnswer(200, referenceTestList(json, { target, types, alias, flag }).join('\n'))
    } catch (error) {
      if (error instanceof KeyError) return textAnswer(200, `Invalid target: ${target}`)
      throw error
    }
  })

  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve))
  const port = (httpServer.address() as AddressInfo).port

  const server: RefstackServer = {
    url: `http://127.0.0.1:${port}${prefix}`,
    port,
    get guidelines() {
      return state.guidelines
    },
    set guidelines(value) {
      state.guidelines = value
    },
    get delayMs() {
      return state.delayMs
    },
    set delayMs(value) {
      state.delayMs = value
    },
    get down() {
      return state.down
    },
    set down(value) {
      state.down = value
    },
    get githubDown() {
      return state.githubDown
    },
    set githubDown(value) {
      state.githubDown = value
    },
    requests,
    route,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        httpServer.close((error) => (error ? reject(error) : resolve()))
        httpServer.closeAllConnections()
      })
  }
  return server
}

/** A wait that does not keep the process alive: a delayed answer nobody waits for any more is dropped. */
function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref())
}

/** oslo `str_to_bool` as the server uses it: true iff the lower-cased value is true, yes or 1. */
function strToBool(value: string): boolean {
  return ['true', 'yes', '1'].includes(value.toLowerCase())
}

// --- reference implementation of the server's test list ----------------------------------------------------

/** Python's KeyError: the server turns it into "Invalid target: <target>". */
export class KeyError extends Error {}

type Json = Record<string, unknown>

function key(obj: unknown, name: string): unknown {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj) || !(name in obj))
    throw new KeyError(name)
  return (obj as Json)[name]
}

function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0
  if (typeof value === 'object' && value !== null) return Object.keys(value).length > 0
  return Boolean(value)
}

const PLATFORMS_MAP: Record<string, string> = {
  platform: 'OpenStack Powered Platform',
  compute: 'OpenStack Powered Compute',
  object: 'OpenStack Powered Storage'
}

/**
 * `Guidelines.get_target_capabilities` + `get_test_list` of refstack/api/guidelines.py on the raw JSON.
 * `types` null = every status. Throws KeyError where Python would.
 */
export function referenceTestList(
  guideline: unknown,
  opts: { target: string; types: string[] | null; alias: boolean; flag: boolean }
): string[] {
  // get_target_capabilities
  const components = key(guideline, 'components') as Json
  let schema: string
  let targets: string[]
  const metadata =
    typeof guideline === 'object' && guideline !== null ? (guideline as Json).metadata : undefined
  if (metadata !== undefined && (key(metadata, 'schema') as string) >= '2.0') {
    schema = key(metadata, 'schema') as string
    if (opts.target === 'dns' || opts.target === 'orchestration') {
      targets = [`os_powered_${opts.target}`]
    } else {
      const platform = PLATFORMS_MAP[opts.target]
      if (platform === undefined) throw new KeyError(opts.target)
      const comps = key(key(key(guideline, 'platforms'), platform), 'components') as Json[]
      targets = comps.map((c) => key(c, 'name') as string)
    }
  } else {
    schema = key(guideline, 'schema') as string
    targets =
      opts.target !== 'platform'
        ? [opts.target]
        : [...new Set(key(key(guideline, 'platform'), 'required') as string[])]
  }
  const targetCaps = new Set<string>()
  for (const component of targets) {
    let complist = key(components, component)
    if (schema >= '2.0') complist = key(complist, 'capabilities')
    for (const [status, capabilities] of Object.entries(complist as Json)) {
      if (opts.types === null || opts.types.includes(status))
        for (const c of capabilities as string[]) targetCaps.add(c)
    }
  }

  // get_test_list
  const caps = key(guideline, 'capabilities') as Json
  const testList: string[] = []
  for (const [cap, capDetails] of Object.entries(caps)) {
    if (!targetCaps.has(cap)) continue
    if (schema === '1.2') {
      for (const test of key(capDetails, 'tests') as string[]) {
        if (opts.flag) testList.push(test)
        else if (!(key(capDetails, 'flagged') as string[]).includes(test)) testList.push(test)
      }
    } else {
      for (const [test, details] of Object.entries(key(capDetails, 'tests') as Json)) {
        const testDetails = details as Json
        const id = 'idempotent_id' in testDetails ? String(testDetails.idempotent_id) : ''
        let added = false
        if (truthy(testDetails.flagged)) {
          if (opts.flag) {
            testList.push(`${test}[${id}]`)
            added = true
          }
        } else {
          testList.push(`${test}[${id}]`)
          added = true
        }
        if (opts.alias && truthy(testDetails.aliases) && added) {
          for (const a of testDetails.aliases as string[]) testList.push(`${a}[${id}]`)
        }
      }
    }
  }
  // Python's list.sort() on str: code point order.
  return testList.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
}

// --- POST /v1/results (refstack.md §2.5) ------------------------------------------------------------------------

export interface StoredResult {
  id: string
  /** The body as parsed. */
  result: { cpid: string; duration_seconds: number; results: Array<{ name: string; uuid?: string }> }
  /** The exact bytes received. */
  raw: Buffer
  /** The base64 blob of X-Public-Key for signed uploads. */
  publicKey?: string
}

export interface ResultsApiOptions {
  /** Base64 blobs (second field of `ssh-rsa AAAA…`) registered in some user's profile. */
  knownKeys?: Iterable<string>
  /** `[api] enable_anonymous_upload` (code default true). */
  anonymousUpload?: boolean
  /** `ui_url` for the answer's `url` (default: the server's origin). */
  uiUrl?: string
}

export interface ResultsApi {
  knownKeys: Set<string>
  anonymousUpload: boolean
  uiUrl: string
  /**
   * Answers to give before validating, one per request, consumed in order: a status (e.g. 503, answered with
   * an abort body) or 'drop' (the connection is destroyed without an answer). Empty = validate normally.
   */
  script: Array<number | 'drop'>
  /** Extra wait for each POST /v1/results (the server-wide `delayMs` applies as well). */
  delayMs: number
  /** Every body received by POST /v1/results, in order (also the refused ones). */
  received: Buffer[]
  /** Results stored (201), in order. */
  stored: StoredResult[]
}

const MALFORMED_REQUEST = 'Malformed request'
const NOT_SCHEMA = 'Request doesnt correspond to schema' // sic: 'doesn''t' is two adjacent Python literals
const UNAUTHORIZED_KEY =
  'User with specified key not found. Please log into the RefStack server to upload your key.'
const ANONYMOUS_DISABLED =
  'Anonymous result uploads are disabled. Please create a user account and an api key at https://refstack.openstack.org/#/'

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * `TestResultValidator.schema` (Draft 4, no format checker): required cpid/duration_seconds/results,
 * additionalProperties false, and `items` in tuple form, so only results[0] is checked.
 */
function matchesResultSchema(body: unknown): boolean {
  if (!isObject(body)) return false
  const allowed = ['cpid', 'duration_seconds', 'results']
  if (!allowed.every((key) => key in body)) return false
  if (Object.keys(body).some((key) => !allowed.includes(key))) return false
  if (typeof body.cpid !== 'string') return false
  if (typeof body.duration_seconds !== 'number' || !Number.isInteger(body.duration_seconds)) return false
  if (!Array.isArray(body.results)) return false
  if (body.results.length > 0) {
    const first: unknown = body.results[0]
    if (!isObject(first)) return false
    if ('name' in first && typeof first.name !== 'string') return false
    if ('uuid' in first && typeof first.uuid !== 'string') return false
  }
  return true
}

function header(headers: http.IncomingHttpHeaders, name: string): string {
  const value = headers[name]
  return Array.isArray(value) ? value.join(', ') : (value ?? '')
}

function readSshString(blob: Buffer, offset: number): { value: Buffer; next: number } {
  if (offset + 4 > blob.length) throw new Error('short key body')
  const length = blob.readUInt32BE(offset)
  if (offset + 4 + length > blob.length) throw new Error('short key body')
  return { value: blob.subarray(offset + 4, offset + 4 + length), next: offset + 4 + length }
}

/**
 * cryptography's `load_ssh_public_key` for `ssh-rsa <base64> [comment]`: the type in the blob must match, then
 * mpint e, mpint n and nothing else. Throws for anything else (the server answers "Malformed public key").
 */
export function parseSshRsaPublicKey(line: string): KeyObject {
  const parts = line.split(' ', 3)
  if (parts.length < 2 || parts[0] !== 'ssh-rsa') throw new Error('not an ssh-rsa key line')
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(parts[1]) || parts[1].length % 4 !== 0) throw new Error('bad base64')
  const blob = Buffer.from(parts[1], 'base64')
  const type = readSshString(blob, 0)
  if (type.value.toString('latin1') !== 'ssh-rsa') throw new Error('key type mismatch')
  const e = readSshString(blob, type.next)
  const n = readSshString(blob, e.next)
  if (n.next !== blob.length) throw new Error('extra bytes in key body')
  const magnitude = (bytes: Buffer): string => {
    let start = 0
    while (start < bytes.length - 1 && bytes[start] === 0) start++
    return bytes.subarray(start).toString('base64url')
  }
  return createPublicKey({ key: { kty: 'RSA', n: magnitude(n.value), e: magnitude(e.value) }, format: 'jwk' })
}

/**
 * Adds `POST /v1/results` to a running test server, validating in the server's order: JSON → schema →
 * signature headers (hex, ssh-rsa key, RSA PKCS#1 v1.5 SHA-256 over the raw body) → at least one result →
 * authentication (registered key / anonymous uploads) → storage (a repeated name, ignoring case, is the
 * database's unique-constraint failure: 500). 201 `{"test_id", "url"}`.
 */
export function addResultsApi(server: RefstackServer, options: ResultsApiOptions = {}): ResultsApi {
  const api: ResultsApi = {
    knownKeys: new Set(options.knownKeys ?? []),
    anonymousUpload: options.anonymousUpload ?? true,
    uiUrl: options.uiUrl ?? new URL(server.url).origin,
    script: [],
    delayMs: 0,
    received: [],
    stored: []
  }
  server.route('POST', '/v1/results', async ({ headers, body }) => {
    api.received.push(body)
    if (api.delayMs > 0) await delay(api.delayMs)
    const scripted = api.script.shift()
    if (scripted === 'drop') return { status: 0, drop: true }
    if (scripted !== undefined) return abortAnswer(scripted, null)

    // 1. JSON
    let parsed: unknown
    try {
      parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body))
    } catch {
      return errorAnswer(400, MALFORMED_REQUEST)
    }
    // 2. schema
    if (!matchesResultSchema(parsed)) return errorAnswer(400, NOT_SCHEMA)
    const result = parsed as StoredResult['result']
    // 3. signature
    const signature = header(headers, 'x-signature')
    const publicKey = header(headers, 'x-public-key')
    if (signature !== '' || publicKey !== '') {
      if (signature.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(signature))
        return errorAnswer(400, 'Malformed signature')
      let key: KeyObject
      try {
        key = parseSshRsaPublicKey(publicKey)
      } catch {
        return errorAnswer(400, 'Malformed public key')
      }
      let valid = false
      try {
        valid = verify(
          'sha256',
          body,
          { key, padding: constants.RSA_PKCS1_PADDING },
          Buffer.from(signature, 'hex')
        )
      } catch {
        valid = false
      }
      if (!valid) return errorAnswer(400, 'Signature verification failed')
    }
    // 4. at least one result
    if (result.results.length === 0) {
      return errorAnswer(400, 'Uploaded results must contain at least one passing test.')
    }
    // 5. authentication
    let storedKey: string | undefined
    if (publicKey !== '') {
      const blob = publicKey.trim().split(/\s+/)[1] ?? ''
      if (!api.knownKeys.has(blob)) return abortAnswer(401, UNAUTHORIZED_KEY)
      storedKey = blob
    }
    if (!api.anonymousUpload && storedKey === undefined) return abortAnswer(401, ANONYMOUS_DISABLED)
    // 6. storage: every result needs a name; (test, name) is unique, case-insensitively
    const names = new Set<string>()
    for (const entry of result.results as unknown[]) {
      if (!isObject(entry) || typeof entry.name !== 'string') return errorAnswer(500, 'Internal Server Error')
      const folded = entry.name.toLowerCase()
      if (names.has(folded)) return errorAnswer(500, 'Internal Server Error')
      names.add(folded)
    }
    const id = randomUUID()
    api.stored.push({ id, result, raw: body, publicKey: storedKey })
    return {
      status: 201,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ test_id: id, url: `${api.uiUrl}/#/results/${id}` })
    }
  })
  return api
}
