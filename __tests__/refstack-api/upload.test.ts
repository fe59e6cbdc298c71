/**
 * Upload to a RefStack server (refstack.md §2.5, §3.6, §3.8): the body from a real stream compared with
 * refstack-client's own JSON, signing (checked against refstack-client itself where it is installed), and the
 * POST against the test server's `POST /v1/results`, which validates as the real server does.
 */
import { spawn, spawnSync } from 'node:child_process'
import { generateKeyPairSync, verify, constants } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { ActionError } from '../../src/errors.js'
import type { TestResult } from '../../src/results/model.js'
import { readSubunitFile } from '../../src/results/subunit.js'
import {
  loadSigningKey,
  resultName,
  resultsEndpoint,
  resultUuid,
  selfSignature,
  signHex,
  uploadBody,
  uploadResults
} from '../../src/refstack-api/upload.js'
import {
  addResultsApi,
  parseSshRsaPublicKey,
  startRefstackServer,
  type RefstackServer,
  type ResultsApi
} from '../helpers/refstack-server.js'
import { HANG_BOUND_MS } from '../helpers/wait-for.js'

const FIXTURES = path.join(import.meta.dirname, '..', '..', '__fixtures__', 'upload')
const CI = process.env.CI === 'true'

function rsaPem(bits = 2048): string {
  return generateKeyPairSync('rsa', {
    modulusLength: bits,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' }
  }).privateKey
}

const KEY = rsaPem()
const OTHER_KEY = rsaPem()
const blobOf = (pem: string): string => loadSigningKey(pem).publicKey.split(' ')[1]

function test(id: string, status: TestResult['status'] = 'success'): TestResult {
  return { id, status, tags: [], attachments: [] }
}

const ONE_PASS = uploadBody([test('tempest.api.a.Test.test_x[id-1111,smoke]')], 'cpid', 3).body

describe('uploadBody (§3.6)', () => {
  it('from the real v1 stream: the same results as refstack-client wrote for it, 59 passes', async () => {
    const read = await readSubunitFile(path.join(FIXTURES, 'local-0.v1'))
    expect(read.format).toBe('v1')
    const client = JSON.parse(readFileSync(path.join(FIXTURES, 'local-0.json'), 'utf8')) as {
      cpid: string
      duration_seconds: number
      results: Array<{ name: string; uuid?: string }>
    }
    const { body, passed } = uploadBody(read.tests, client.cpid, 48.9)
    expect(passed).toBe(59)
    const ours = JSON.parse(body) as typeof client
    expect(Object.keys(ours)).toEqual(['cpid', 'duration_seconds', 'results'])
    expect(ours).toEqual(client) // same cpid, whole seconds, same names/uuids in the same order
    expect(body).toBe(JSON.stringify(client)) // compact, serialised once
    expect(ours.results.every((r) => Object.keys(r).join() === 'name,uuid')).toBe(true)
  })

  it('names lose the first-[ to last-] span; uuid = the id- attribute as refstack-client reads it', () => {
    expect(resultName('a.B.test_x[id-6f8e4436-fc96-4282-8122-e41df57197a9,smoke]')).toBe('a.B.test_x')
    expect(resultName('a.B.test_x[id-1][gate]')).toBe('a.B.test_x')
    expect(resultName('a.B.test_x')).toBe('a.B.test_x')
    expect(resultName('a.B.test_x[unclosed')).toBe('a.B.test_x[unclosed')
    expect(resultUuid('a.B.test_x[smoke,id-6f8e4436-fc96-4282-8122-e41df57197a9]')).toBe(
      '6f8e4436-fc96-4282-8122-e41df57197a9'
    )
    expect(resultUuid('a.B.test_x[smoke]')).toBeUndefined()
    expect(resultUuid('a.B.test_x')).toBeUndefined()
    expect(resultUuid('a.B.test_x[id-]')).toBeUndefined()
    // Only the first bracket group counts, as in get_test_uuid (split('[')[1].split(']')[0]).
    expect(resultUuid('a.B.test_x[smoke][id-2222]')).toBeUndefined()
  })

  it('passes only, uuid omitted when absent, names de-duplicated (ignoring case, like the DB), whole seconds', () => {
    const { body, passed } = uploadBody(
      [
        test('t.A.test_1[id-1111]'),
        test('t.A.test_2[id-2222]', 'fail'),
        test('t.A.test_3[id-3333]', 'skip'),
        test('t.A.test_4[id-4444]', 'xfail'),
        test('t.A.test_5'),
        test('t.A.test_1[id-1111,smoke]'),
        test('T.a.TEST_1[id-9999]'),
        test('t.A.test_6[id-6666]', 'uxsuccess')
      ],
      'abc',
      12.99
    )
    expect(passed).toBe(2)
    expect(body).toBe(
      '{"cpid":"abc","duration_seconds":12,"results":[{"name":"t.A.test_1","uuid":"1111"},{"name":"t.A.test_5"}]}'
    )
  })

  it('no passing test → ActionError (the server would answer 400)', () => {
    expect(() => uploadBody([test('t.A.test_1', 'fail')], 'abc', 1)).toThrow(ActionError)
    expect(() => uploadBody([], 'abc', 1)).toThrow(/Nothing to upload: no test passed/)
  })
})

describe('signing key (upload-key)', () => {
  it('ssh-rsa line and signature are what ssh-keygen and node:crypto agree on', (context) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'upload-key-'))
    try {
      const file = path.join(dir, 'key.pem')
      writeFileSync(file, KEY, { mode: 0o600 })
      const keygen = spawnSync('ssh-keygen', ['-y', '-f', file], { encoding: 'utf8' })
      if (keygen.error || keygen.status !== 0) {
        if (CI)
          throw new Error(`ssh-keygen must work under CI=true: ${keygen.error?.message ?? keygen.stderr}`)
        context.skip('ssh-keygen is not available here')
      }
      const key = loadSigningKey(KEY)
      expect(key.publicKey).toBe(keygen.stdout.trim().split(' ').slice(0, 2).join(' '))
      const signature = signHex(key, ONE_PASS)
      expect(signature).toMatch(/^[0-9a-f]{512}$/)
      expect(
        verify(
          'sha256',
          Buffer.from(ONE_PASS),
          { key: parseSshRsaPublicKey(key.publicKey), padding: constants.RSA_PKCS1_PADDING },
          Buffer.from(signature, 'hex')
        )
      ).toBe(true)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('mpint encoding: e = 65537 and an n with its top bit set get the right padding', () => {
    const key = loadSigningKey(KEY)
    const blob = Buffer.from(key.publicKey.split(' ')[1], 'base64')
    expect(blob.subarray(0, 11)).toEqual(Buffer.from('\0\0\0\x07ssh-rsa', 'latin1'))
    expect(blob.subarray(11, 18)).toEqual(Buffer.from([0, 0, 0, 3, 1, 0, 1]))
    expect(blob.readUInt32BE(18)).toBe(257) // 2048-bit n always has its top bit set → a 0x00 in front
    expect(blob[22]).toBe(0)
  })

  it('takes PKCS#8 PEM too', () => {
    const pkcs8 = generateKeyPairSync('rsa', {
      modulusLength: 1024,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' }
    }).privateKey
    expect(loadSigningKey(pkcs8).publicKey).toMatch(/^ssh-rsa AAAAB3NzaC1yc2E/)
  })

  it.each([
    [
      'encrypted',
      generateKeyPairSync('rsa', {
        modulusLength: 1024,
        publicKeyEncoding: { type: 'spki', format: 'pem' },
        privateKeyEncoding: { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'x' }
      }).privateKey,
      /upload-key' is an encrypted private key/
    ],
    [
      'ed25519',
      generateKeyPairSync('ed25519', {
        publicKeyEncoding: { type: 'spki', format: 'pem' },
        privateKeyEncoding: { type: 'pkcs8', format: 'pem' }
      }).privateKey,
      /upload-key' is an ed25519 key, not an RSA key/
    ],
    [
      'OpenSSH format',
      '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n',
      /upload-key' is an OpenSSH-format private key/
    ],
    ['garbage', 'not a key at all', /upload-key' cannot be read as a PEM private key/]
  ])('%s key → ActionError naming upload-key', (_name, pem, message) => {
    let error: unknown
    try {
      loadSigningKey(pem)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ActionError)
    expect((error as ActionError).message).toMatch(message)
    const said = `${(error as ActionError).message} ${(error as ActionError).hint}`
    if (pem.length > 80) expect(said).not.toContain(pem.slice(40, 80)) // no key text in messages
  })

  it('refuses an invalid key before sending anything', async () => {
    const server = await startRefstackServer()
    try {
      const api = addResultsApi(server)
      await expect(uploadResults({ server: server.url, body: ONE_PASS, signingKey: 'junk' })).rejects.toThrow(
        /upload-key/
      )
      expect(api.received).toHaveLength(0)
    } finally {
      await server.stop()
    }
  })
})

describe('uploadResults against the test server', () => {
  let server: RefstackServer
  let api: ResultsApi
  beforeAll(async () => {
    server = await startRefstackServer()
  })
  afterAll(async () => {
    await server.stop()
  })
  beforeEach(() => {
    api = addResultsApi(server, { knownKeys: [blobOf(KEY)] })
    server.delayMs = 0
  })

  const fast = { retries: 2, retryDelayMs: 10, timeoutMs: 5000 }

  async function refusal(promise: Promise<unknown>): Promise<ActionError> {
    try {
      await promise
    } catch (error) {
      expect(error).toBeInstanceOf(ActionError)
      expect((error as ActionError).message).toMatch(/^RefStack server .* refused the upload: HTTP /)
      return error as ActionError
    }
    throw new Error('the upload was not refused')
  }

  it('signed upload: verified by the server, 201 → id and url; headers as refstack-client sends them', async () => {
    const uploaded = await uploadResults({ server: server.url, body: ONE_PASS, signingKey: KEY, ...fast })
    expect(uploaded.id).toMatch(/^[0-9a-f-]{36}$/)
    expect(uploaded.url).toBe(`${new URL(server.url).origin}/#/results/${uploaded.id}`)
    expect(api.stored).toHaveLength(1)
    expect(api.stored[0]).toMatchObject({ id: uploaded.id, publicKey: blobOf(KEY) })
    expect(api.stored[0].raw.toString()).toBe(ONE_PASS)
    const request = server.requests.at(-1)
    expect(request).toMatchObject({ method: 'POST', path: '/api/v1/results/' })
    expect(request?.headers['content-type']).toBe('application/json')
    expect(request?.headers['x-signature']).toMatch(/^[0-9a-f]+$/)
    expect(request?.headers['x-public-key']).toBe(loadSigningKey(KEY).publicKey)
  })

  it('anonymous upload when the server allows it', async () => {
    const uploaded = await uploadResults({ server: `${server.url}/`, body: ONE_PASS, ...fast })
    expect(api.stored.map((s) => s.id)).toEqual([uploaded.id])
    expect(api.stored[0].publicKey).toBeUndefined()
    expect(server.requests.at(-1)?.headers['x-signature']).toBeUndefined()
  })

  it('400 Signature verification failed when the body is changed after signing (no retry)', async () => {
    const key = loadSigningKey(KEY)
    const signature = signHex(key, ONE_PASS)
    const tampered = ONE_PASS.replace('"duration_seconds":3', '"duration_seconds":4')
    const direct = await fetch(`${server.url}/v1/results`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-signature': signature,
        'x-public-key': key.publicKey
      },
      body: tampered
    })
    expect(direct.status).toBe(400)
    expect(await direct.text()).toBe('{"title":"Signature verification failed","code":400}')
    expect(api.stored).toHaveLength(0)
  })

  it('the client reports a 400 with the title and a hint, and does not retry it', async () => {
    const error = await refusal(
      uploadResults({ server: server.url, body: ONE_PASS.replace('"cpid"', '"meta":{},"cpid"'), ...fast })
    )
    expect(error.message).toMatch(/HTTP 400 \(Request doesnt correspond to schema\)/)
    expect(api.received).toHaveLength(1)
  })

  it('400 no passing test', async () => {
    const error = await refusal(
      uploadResults({ server: server.url, body: '{"cpid":"x","duration_seconds":1,"results":[]}', ...fast })
    )
    expect(error.message).toContain('HTTP 400 (Uploaded results must contain at least one passing test.)')
    expect(api.received).toHaveLength(1)
  })

  it('401 unknown key → hint with the ssh-rsa line and its self signature to register', async () => {
    const error = await refusal(
      uploadResults({ server: server.url, body: ONE_PASS, signingKey: OTHER_KEY, ...fast })
    )
    expect(error.message).toMatch(
      /HTTP 401 \(.*: User with specified key not found\. Please log into the RefStack server to upload your key\.\)$/
    )
    const other = loadSigningKey(OTHER_KEY)
    expect(error.hint).toContain(other.publicKey)
    expect(error.hint).toContain(selfSignature(other))
    expect(error.hint).not.toContain('PRIVATE')
    expect(api.received).toHaveLength(1)
  })

  it('401 anonymous uploads disabled → hint to set upload-key', async () => {
    api.anonymousUpload = false
    const error = await refusal(uploadResults({ server: server.url, body: ONE_PASS, ...fast }))
    expect(error.message).toMatch(/HTTP 401 \(.*: Anonymous result uploads are disabled/)
    expect(error.hint).toMatch(/set 'upload-key'/)
    // the registered key still gets in
    await expect(
      uploadResults({ server: server.url, body: ONE_PASS, signingKey: KEY, ...fast })
    ).resolves.toBeTruthy()
  })

  it('500 for a repeated name (the database constraint), retried then reported', async () => {
    const body = '{"cpid":"x","duration_seconds":1,"results":[{"name":"t.A.b"},{"name":"T.a.B"}]}'
    const error = await refusal(uploadResults({ server: server.url, body, ...fast }))
    expect(error.message).toMatch(/HTTP 500 \(Internal Server Error/)
    expect(error.hint).toMatch(/same test name twice/)
    expect(api.received).toHaveLength(3)
  })

  it('503 then 201: retried', async () => {
    api.script.push(503)
    const uploaded = await uploadResults({ server: server.url, body: ONE_PASS, signingKey: KEY, ...fast })
    expect(api.received).toHaveLength(2)
    expect(api.stored.map((s) => s.id)).toEqual([uploaded.id])
  })

  it('a dropped connection then 201: retried', async () => {
    api.script.push('drop', 502)
    const uploaded = await uploadResults({ server: server.url, body: ONE_PASS, signingKey: KEY, ...fast })
    expect(api.received).toHaveLength(3)
    expect(api.stored.map((s) => s.id)).toEqual([uploaded.id])
  })

  it('drops every time → bounded attempts, then an ActionError naming the server', async () => {
    api.script.push('drop', 'drop', 'drop', 'drop')
    const error = await uploadResults({ server: server.url, body: ONE_PASS, ...fast }).catch(
      (e: unknown) => e
    )
    expect(error).toBeInstanceOf(ActionError)
    expect((error as ActionError).message).not.toMatch(/refused/)
    expect((error as ActionError).message).toMatch(/Cannot upload to RefStack server .*\(3 attempts\)/)
    expect(api.received).toHaveLength(3)
  })

  it('timeout: no answer within timeoutMs → retried, then reported', async () => {
    // Answers would come only after a bound a hang reaches: an upload that waited for one would succeed.
    api.delayMs = HANG_BOUND_MS
    const error = await uploadResults({
      server: server.url,
      body: ONE_PASS,
      timeoutMs: 200,
      retries: 1,
      retryDelayMs: 10
    }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ActionError)
    expect((error as ActionError).message).toMatch(/no answer within 200 ms \(2 attempts\)/)
    expect(api.received).toHaveLength(2)
    expect(api.stored).toEqual([])
  })

  it('a connection refused is retried and reported', async () => {
    const closed = http.createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise<void>((resolve) => closed.close(() => resolve()))
    const error = await uploadResults({
      server: `http://127.0.0.1:${port}/api`,
      body: ONE_PASS,
      ...fast
    }).catch((e: unknown) => e)
    expect((error as ActionError).message).toMatch(/ECONNREFUSED.*\(3 attempts\)/)
  })

  it('404 (not the API URL) → hint about refstack-server, no retry', async () => {
    const error = await refusal(
      uploadResults({ server: `http://127.0.0.1:${server.port}/ui`, body: ONE_PASS, ...fast })
    )
    expect(error.message).toMatch(/refused the upload: HTTP 404/)
    expect(error.hint).toMatch(/'refstack-server' must be the API base URL/)
  })

  it('endpoint as refstack-client builds it', () => {
    expect(resultsEndpoint('https://refstack.openstack.org/api/')).toBe(
      'https://refstack.openstack.org/api/v1/results/'
    )
  })
})

describe('test server POST /v1/results validates in the server order (§2.5)', () => {
  let server: RefstackServer
  let api: ResultsApi
  beforeAll(async () => {
    server = await startRefstackServer()
  })
  afterAll(async () => {
    await server.stop()
  })
  beforeEach(() => {
    api = addResultsApi(server, { knownKeys: [blobOf(KEY)] })
  })

  async function post(body: string, headers: Record<string, string> = {}): Promise<[number, string]> {
    const response = await fetch(`${server.url}/v1/results`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body
    })
    return [response.status, await response.text()]
  }
  const signed = (body: string, pem = KEY): Record<string, string> => {
    const key = loadSigningKey(pem)
    return { 'x-signature': signHex(key, body), 'x-public-key': key.publicKey }
  }
  const title = (t: string): string => JSON.stringify({ title: t, code: 400 })

  it('1. not JSON → Malformed request', async () => {
    expect(await post('{"cpid":')).toEqual([400, title('Malformed request')])
  })

  it.each([
    ['a meta key', '{"cpid":"x","duration_seconds":1,"results":[{"name":"a"}],"meta":{}}'],
    ['no cpid', '{"duration_seconds":1,"results":[{"name":"a"}]}'],
    ['a float duration', '{"cpid":"x","duration_seconds":1.5,"results":[{"name":"a"}]}'],
    ['a numeric first name', '{"cpid":"x","duration_seconds":1,"results":[{"name":1}]}'],
    ['an array', '[]']
  ])('2. %s → schema error (before any signature check)', async (_name, body) => {
    expect(await post(body, { 'x-signature': 'zz' })).toEqual([
      400,
      title('Request doesnt correspond to schema')
    ])
  })

  it('2. tuple-form items: only results[0] is checked, a bad second entry fails in storage (500)', async () => {
    expect(
      await post('{"cpid":"x","duration_seconds":1,"results":[{"name":"a","uuid":"not-a-uuid"},{"name":2}]}')
    ).toEqual([500, JSON.stringify({ title: 'Internal Server Error', code: 500 })])
  })

  it('3. signature headers: hex, then ssh-rsa, then the RSA-SHA256 check; before the empty-results check', async () => {
    const empty = '{"cpid":"x","duration_seconds":1,"results":[]}'
    const good = signed(empty)
    expect(await post(empty, { ...good, 'x-signature': 'abc' })).toEqual([400, title('Malformed signature')])
    expect(await post(empty, { ...good, 'x-signature': 'xy' })).toEqual([400, title('Malformed signature')])
    expect(await post(empty, { 'x-signature': good['x-signature'] })).toEqual([
      400,
      title('Malformed public key')
    ])
    expect(await post(empty, { ...good, 'x-public-key': 'ssh-rsa AAAA!!!!' })).toEqual([
      400,
      title('Malformed public key')
    ])
    expect(await post(empty, { 'x-public-key': good['x-public-key'] })).toEqual([
      400,
      title('Signature verification failed')
    ])
    // signed with another key than the one in X-Public-Key
    expect(await post(empty, { ...good, 'x-signature': signed(empty, OTHER_KEY)['x-signature'] })).toEqual([
      400,
      title('Signature verification failed')
    ])
    expect(await post(empty, good)).toEqual([
      400,
      title('Uploaded results must contain at least one passing test.')
    ])
  })

  it('5. auth after validation: unknown key 401, anonymous disabled 401, with the exact details', async () => {
    const body = '{"cpid":"x","duration_seconds":1,"results":[{"name":"a"}]}'
    expect(await post(body, signed(body, OTHER_KEY))).toEqual([
      401,
      JSON.stringify({
        code: 401,
        title: 'Unauthorized',
        detail: 'User with specified key not found. Please log into the RefStack server to upload your key.'
      })
    ])
    api.anonymousUpload = false
    expect(await post(body)).toEqual([
      401,
      JSON.stringify({
        code: 401,
        title: 'Unauthorized',
        detail:
          'Anonymous result uploads are disabled. Please create a user account and an api key at https://refstack.openstack.org/#/'
      })
    ])
    const [status, answer] = await post(body, signed(body))
    expect(status).toBe(201)
    expect(Object.keys(JSON.parse(answer) as object)).toEqual(['test_id', 'url'])
  })

  it('accepts the path with and without the trailing slash (Pecan routes both)', async () => {
    const body = '{"cpid":"x","duration_seconds":1,"results":[{"name":"a"}]}'
    for (const suffix of ['/v1/results', '/v1/results/']) {
      const response = await fetch(`${server.url}${suffix}`, { method: 'POST', body })
      expect(response.status).toBe(201)
    }
    expect(api.stored).toHaveLength(2)
  })
})

describe('the real refstack-client signs as the action does (when installed)', () => {
  it('refstack-client upload -i KEY: the test server verifies it; same X-Public-Key, same signature for its bytes', async (context) => {
    const which = spawnSync('sh', ['-c', 'command -v refstack-client'], { encoding: 'utf8' })
    if (which.status !== 0) {
      if (CI) throw new Error('refstack-client must be installed under CI=true')
      context.skip('refstack-client is not installed here')
    }
    const server = await startRefstackServer()
    const dir = mkdtempSync(path.join(tmpdir(), 'refstack-client-upload-'))
    try {
      const api = addResultsApi(server, { knownKeys: [blobOf(KEY)], anonymousUpload: false })
      const keyFile = path.join(dir, 'key.pem')
      writeFileSync(keyFile, KEY, { mode: 0o600 })
      // Asynchronous: the test server answers in this process.
      const run = await spawnAsync('refstack-client', [
        'upload',
        path.join(FIXTURES, 'local-0.json'),
        '--url',
        server.url,
        '-i',
        keyFile,
        '-y'
      ])
      expect(run.code, run.stderr).toBe(0)
      expect(run.stdout).toContain('Test results uploaded!')
      expect(api.stored).toHaveLength(1)
      expect(run.stdout).toContain(`URL: ${api.uiUrl}/#/results/${api.stored[0].id}`)
      const request = server.requests.at(-1)
      expect(request?.path).toBe('/api/v1/results/')
      const key = loadSigningKey(KEY)
      expect(request?.headers['x-public-key']).toBe(key.publicKey)
      // PKCS#1 v1.5 is deterministic: over refstack-client's bytes the action's signature is identical.
      expect(request?.headers['x-signature']).toBe(signHex(key, request?.body ?? Buffer.alloc(0)))
      // refstack-client's bytes are Python's json.dumps (", " / ": " separators); the content is ours.
      const theirs = JSON.parse(request?.body.toString() ?? '') as unknown
      const read = await readSubunitFile(path.join(FIXTURES, 'local-0.v1'))
      expect(JSON.parse(uploadBody(read.tests, '58a9dbdf2ecb45e3a91898f203c57299', 48).body)).toEqual(theirs)
    } finally {
      await server.stop()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

function spawnAsync(
  command: string,
  args: string[]
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}
