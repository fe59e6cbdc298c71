/**
 * CPID as refstack-client computes it (refstack.md §3.5): against the real Keystone of the loopback cloud when it
 * is up (skipped with a reason otherwise, a failure under CI=true), against a fake Keystone for the answers a
 * real one rarely gives, and the md5 fallback for a closed port.
 */
import { execFile, execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import type { AddressInfo } from 'node:net'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import YAML from 'yaml'
import { ActionError } from '../../src/errors.js'
import {
  computeCpid,
  cpidFromHost,
  keystoneRequest,
  type TempestAccount
} from '../../src/refstack-api/cpid.js'
import { parseTempestConf, type TempestConf } from '../../src/tempest/conf.js'

const CI = process.env.CI === 'true'
const STATE = process.env.DEV_CLOUD_DIR || '/var/lib/refstack-dev-cloud'
const md5 = (text: string): string => createHash('md5').update(text).digest('hex')

const conf = (identity: Record<string, string>): TempestConf => ({ identity, auth: {} })
const ACCOUNTS: TempestAccount[] = [
  { username: 'demo', password: 's3cret-pass', project_name: 'demo' },
  { username: 'alt', password: 'other', project_name: 'alt' }
]

describe('CPID fallback: md5 of the host name', () => {
  it('closed port 127.0.0.1:9 → md5("127.0.0.1") with a warning saying why', async () => {
    const result = await computeCpid(conf({ uri_v3: 'http://127.0.0.1:9/v3' }), ACCOUNTS, { timeoutMs: 5000 })
    expect(result.cpid).toBe('f528764d624db129b32c21fbca0cb8d6')
    expect(result.source).toBe('hostname')
    expect(result.warning).toMatch(
      /Keystone v3 \(http:\/\/127\.0\.0\.1:9\/v3\/auth\/tokens\): .*ECONNREFUSED/
    )
    expect(result.warning).not.toContain('s3cret-pass')
  })

  it('host name only: lower case, no port, no brackets', () => {
    expect(cpidFromHost('https://KEYSTONE.Example.com:5000/v3/auth/tokens')).toBe(md5('keystone.example.com'))
    expect(cpidFromHost('http://[::1]:5000/v3')).toBe(md5('::1'))
    expect(() => cpidFromHost('keystone:5000/v3')).toThrow(ActionError)
  })
})

describe('token request as refstack-client builds it', () => {
  it('v3: uri_v3 + /auth/tokens, first account, domain from [identity] domain_name, scoped by project name', () => {
    const request = keystoneRequest(conf({ uri_v3: 'https://k:5000/v3/', domain_name: 'Corp' }), ACCOUNTS)
    expect(request.authUrl).toBe('https://k:5000/v3/auth/tokens')
    expect(request.body).toEqual({
      auth: {
        identity: {
          methods: ['password'],
          password: { user: { name: 'demo', domain: { name: 'Corp' }, password: 's3cret-pass' } }
        },
        scope: { project: { name: 'demo', domain: { name: 'Corp' } } }
      }
    })
  })

  it('v2: uri + /tokens, tenantId when the account has one, else tenantName', () => {
    const v2 = conf({ auth_version: 'v2', uri: 'http://k:5000/v2.0' })
    expect(keystoneRequest(v2, [{ username: 'u', password: 'p', tenant_name: 't' }])).toEqual({
      authVersion: 'v2',
      authUrl: 'http://k:5000/v2.0/tokens',
      body: { auth: { tenantName: 't', passwordCredentials: { username: 'u', password: 'p' } } }
    })
    expect(keystoneRequest(v2, [{ username: 'u', password: 'p', project_id: 'abc' }]).body).toEqual({
      auth: { tenantId: 'abc', passwordCredentials: { username: 'u', password: 'p' } }
    })
  })

  it('deprecated [identity] username/password when there is no account; errors where the client stops', () => {
    const legacy = conf({ uri_v3: 'http://k/v3', username: 'u', password: 'p', project_name: 'pr' })
    expect(JSON.stringify(keystoneRequest(legacy, []).body)).toContain('"name":"pr"')
    expect(() => keystoneRequest(conf({ uri_v3: 'http://k/v3' }), [])).toThrow(
      /User credentials cannot be found/
    )
    expect(() => keystoneRequest(conf({}), ACCOUNTS)).toThrow(/no \[identity\] uri_v3/)
    expect(() => keystoneRequest(conf({ uri_v3: 'k:5000/v3' }), ACCOUNTS)).toThrow(/must start with http/)
  })
})

describe('CPID from a fake Keystone', () => {
  let server: http.Server
  let base: string
  let answer: { status: number; body: string; delayMs?: number } = { status: 201, body: '{}' }
  const received: Array<{ path: string; body: unknown }> = []
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (chunk: Buffer) => chunks.push(chunk))
      req.on('end', () => {
        received.push({ path: req.url ?? '', body: JSON.parse(Buffer.concat(chunks).toString()) as unknown })
        setTimeout(() => {
          if (res.destroyed) return
          res.writeHead(answer.status, { 'content-type': 'application/json' })
          res.end(answer.body)
        }, answer.delayMs ?? 0)
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    await new Promise<void>((resolve) => {
      server.close(() => resolve())
      server.closeAllConnections()
    })
  })

  it('v3 201: the id of the first identity service with an id', async () => {
    answer = {
      status: 201,
      body: JSON.stringify({
        token: {
          catalog: [
            { type: 'object-store', id: 'swift-id' },
            { type: 'identity', id: '' },
            { type: 'identity', id: 'keystone-id' },
            { type: 'identity', id: 'second-id' }
          ]
        }
      })
    }
    expect(await computeCpid(conf({ uri_v3: `${base}/v3` }), ACCOUNTS)).toEqual({
      cpid: 'keystone-id',
      source: 'keystone'
    })
    expect(received.at(-1)?.path).toBe('/v3/auth/tokens')
  })

  it('v2 200: the first endpoint id of the identity service', async () => {
    answer = {
      status: 200,
      body: JSON.stringify({
        access: {
          serviceCatalog: [{ type: 'identity', endpoints: [{ id: 'endpoint-1' }, { id: 'endpoint-2' }] }]
        }
      })
    }
    const result = await computeCpid(conf({ auth_version: 'v2', uri: `${base}/v2.0` }), ACCOUNTS)
    expect(result).toEqual({ cpid: 'endpoint-1', source: 'keystone' })
    expect(received.at(-1)?.path).toBe('/v2.0/tokens')
  })

  // refstack-client indexes the answer without guards: where it stops (KeyError, IndexError), the action must
  // fall back to the host name too, or the two would upload results under different CPIDs.
  it.each([
    [
      'v3',
      [
        { type: 'object-store', id: 's' },
        { type: 'identity', id: '' },
        { type: 'identity', id: 'k' }
      ]
    ],
    ['v3', [{ id: 'no-type' }, { type: 'identity', id: 'k' }]],
    ['v3', [{ type: 'identity' }, { type: 'identity', id: 'k' }]],
    [
      'v2',
      [
        { type: 'identity', endpoints: [{ id: '' }] },
        { type: 'identity', endpoints: [{ id: 'e2' }] }
      ]
    ],
    [
      'v2',
      [
        { type: 'identity', endpoints: [] },
        { type: 'identity', endpoints: [{ id: 'e2' }] }
      ]
    ],
    [
      'v2',
      [
        { type: 'identity', endpoints: [{}] },
        { type: 'identity', endpoints: [{ id: 'e2' }] }
      ]
    ]
  ])('%s catalog %j: the CPID Debian’s refstack-client settles on', async (version, catalog) => {
    answer =
      version === 'v3'
        ? { status: 201, body: JSON.stringify({ token: { catalog } }) }
        : { status: 200, body: JSON.stringify({ access: { serviceCatalog: catalog } }) }
    const tempestConf = conf(
      version === 'v3' ? { uri_v3: `${base}/v3` } : { auth_version: 'v2', uri: `${base}/v2.0` }
    )
    const ours = await computeCpid(tempestConf, ACCOUNTS)
    const { stdout } = await promisify(execFile)('/usr/bin/python3', [
      path.join(import.meta.dirname, 'refstack_client_cpid.py'),
      version,
      keystoneRequest(tempestConf, ACCOUNTS).authUrl
    ])
    expect(ours.cpid).toBe(stdout.trim())
  })

  it.each([
    [
      '401',
      {
        status: 401,
        body: '{"error":{"code":401,"message":"The request you have made requires authentication."}}'
      },
      /HTTP 401: The request you have made requires authentication/
    ],
    [
      'no identity in the catalog',
      { status: 201, body: '{"token":{"catalog":[]}}' },
      /catalog or its identity service/
    ],
    ['not JSON', { status: 201, body: '<html>' }, /not JSON/],
    ['too slow', { status: 201, body: '{}', delayMs: 2000 }, /no answer within 300 ms/]
  ])('%s → md5 of the host with a warning', async (_name, given, why) => {
    answer = given
    const result = await computeCpid(conf({ uri_v3: `${base}/v3` }), ACCOUNTS, { timeoutMs: 300 })
    expect(result.cpid).toBe(md5('127.0.0.1'))
    expect(result.source).toBe('hostname')
    expect(result.warning).toMatch(why)
    expect(result.warning).not.toContain('s3cret-pass')
  })
})

/** The loopback cloud's files, or why they cannot be used. */
function loopbackCloud(): { env: Record<string, string> } | { reason: string } {
  const envFile = `${STATE}/env`
  if (!existsSync(envFile)) return { reason: `${envFile} does not exist (the loopback cloud is not set up)` }
  const env: Record<string, string> = {}
  try {
    for (const line of readFileSync(envFile, 'utf8').split('\n')) {
      const match = /^([A-Z_0-9]+)=(.*)$/.exec(line.trim())
      if (match) env[match[1]] = match[2]
    }
  } catch (error) {
    return { reason: `cannot read ${envFile}: ${(error as Error).message}` }
  }
  for (const name of ['KEYSTONE_URL', 'TEMPEST_CONF', 'ACCOUNTS_FILE', 'ADMIN_OPENRC']) {
    if (!env[name]) return { reason: `${envFile} has no ${name}` }
  }
  return { env }
}

/** `export A=1 B=2` lines of an openrc file. */
function openrcEnv(file: string): Record<string, string> {
  const env: Record<string, string> = {}
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.startsWith('export ')) continue
    for (const pair of line.slice(7).trim().split(/\s+/)) {
      const eq = pair.indexOf('=')
      if (eq > 0) env[pair.slice(0, eq)] = pair.slice(eq + 1).replace(/^['"]|['"]$/g, '')
    }
  }
  return env
}

describe('CPID from the real Keystone of the loopback cloud', () => {
  let skipReason = ''
  let tempestConf: TempestConf = {}
  let accounts: TempestAccount[] = []
  let identityServiceId = ''

  beforeAll(async () => {
    const cloud = loopbackCloud()
    if ('reason' in cloud) {
      skipReason = cloud.reason
      return
    }
    const { env } = cloud
    try {
      await fetch(env.KEYSTONE_URL, { signal: AbortSignal.timeout(5000) })
    } catch (error) {
      skipReason = `Keystone at ${env.KEYSTONE_URL} does not answer (${(error as Error).message}): the loopback cloud is not up`
      return
    }
    tempestConf = parseTempestConf(readFileSync(env.TEMPEST_CONF, 'utf8'))
    accounts = YAML.parse(readFileSync(env.ACCOUNTS_FILE, 'utf8')) as TempestAccount[]
    // The expected id, independently: the openstack CLI as admin.
    const services = JSON.parse(
      execFileSync('openstack', ['service', 'list', '-f', 'json'], {
        env: { ...process.env, ...openrcEnv(env.ADMIN_OPENRC) },
        encoding: 'utf8',
        timeout: 120_000
      })
    ) as Array<{ ID: string; Type: string }>
    identityServiceId = services.find((service) => service.Type === 'identity')?.ID ?? ''
  }, 180_000)

  const guard = (context: { skip: (note?: string) => void }): void => {
    if (skipReason === '') return
    if (CI) throw new Error(`The loopback cloud must be up under CI=true: ${skipReason}`)
    context.skip(skipReason)
  }

  it('is the identity service id that `openstack service list` shows', async (context) => {
    guard(context)
    expect(identityServiceId).toMatch(/^[0-9a-f]{32}$/)
    const result = await computeCpid(tempestConf, accounts)
    expect(result).toEqual({ cpid: identityServiceId, source: 'keystone' })
  })

  it('a wrong password: Keystone says 401, the CPID falls back to md5 of the host', async (context) => {
    guard(context)
    const wrong = [{ ...accounts[0], password: 'not-the-password' }]
    const result = await computeCpid(tempestConf, wrong)
    const host = new URL(tempestConf.identity.uri_v3).hostname
    expect(result.cpid).toBe(md5(host))
    expect(result.warning).toMatch(/HTTP 401/)
    expect(result.warning).not.toContain('not-the-password')
  })
})
