/**
 * The cloud provider id (CPID) as refstack-client's `_get_cpid_from_keystone` gets it: the identity service's id
 * in the Keystone catalog of a token request as the first test account, else the md5 of the auth URL's host name.
 * Passwords go to Keystone only: no message here carries one.
 */
import { createHash } from 'node:crypto'
import { ActionError } from '../errors.js'
import { httpRequest, transportProblem, type HttpAnswer } from '../http.js'
import { confOption as option, type TempestConf } from '../tempest/conf.js'

/** One entry of a Tempest accounts file (YAML). */
export type TempestAccount = Record<string, unknown>

export interface CpidResult {
  cpid: string
  /** Set when Keystone did not give the id: why, and that the CPID is the md5 of the host name. */
  warning?: string
  source: 'keystone' | 'hostname'
}

export interface KeystoneRequest {
  authVersion: 'v2' | 'v3'
  /** `{uri_v3}/auth/tokens` or `{uri}/tokens`. */
  authUrl: string
  /** The token request body, as refstack-client's `_generate_keystone_data` builds it. */
  body: unknown
}

/** Python's `a or b` over optional YAML values. */
function firstTruthy(...values: unknown[]): string | null {
  for (const value of values) if (value !== undefined && value !== null && value !== '') return String(value)
  return null
}

/**
 * refstack-client's `_get_keystone_config` + `_generate_keystone_data`: the auth URL from `[identity]`, the
 * credentials of the first account (or the deprecated `[identity] username/password/tenant_name`), the domain
 * from `[identity] domain_name` (default `Default`; an account's own domain_name is not used, as in the client).
 * Throws an ActionError where refstack-client stops (no URL, no credentials).
 */
export function keystoneRequest(conf: TempestConf, accounts: TempestAccount[]): KeystoneRequest {
  const version = option(conf, 'identity', 'auth_version') ?? 'v3'
  if (version !== 'v2' && version !== 'v3') {
    throw new ActionError(`tempest.conf [identity] auth_version must be v2 or v3 (got '${version}')`)
  }
  const uriKey = version === 'v2' ? 'uri' : 'uri_v3'
  const uri = option(conf, 'identity', uriKey)
  if (uri === undefined) {
    throw new ActionError(
      `tempest.conf has no [identity] ${uriKey}: the CPID cannot be computed`,
      'Set it to the Keystone URL (e.g. https://keystone.example.com:5000/v3)'
    )
  }
  if (!/^https?:\/\//i.test(uri)) {
    throw new ActionError(
      `tempest.conf [identity] ${uriKey} must start with http:// or https:// (got '${uri}')`
    )
  }
  const authUrl = `${uri.replace(/\/+$/, '')}${version === 'v2' ? '/tokens' : '/auth/tokens'}`
  const domain = option(conf, 'identity', 'domain_name') ?? 'Default'

  const identity = (key: string): string | null => option(conf, 'identity', key) ?? null
  const first = accounts[0]
  if (first === undefined && identity('username') === null) {
    throw new ActionError(
      'User credentials cannot be found for the CPID: the accounts file lists no account and tempest.conf has no [identity] username',
      'Give tempest.conf an [auth] test_accounts_file with at least one account'
    )
  }
  const [username, password, projectId, projectName] = first
    ? [
        firstTruthy(first.username),
        firstTruthy(first.password),
        firstTruthy(first.tenant_id, first.project_id),
        firstTruthy(first.tenant_name, first.project_name)
      ]
    : [
        identity('username'),
        identity('password'),
        identity('tenant_id') ?? identity('project_id'),
        identity('tenant_name') ?? identity('project_name')
      ]

  if (version === 'v2') {
    const passwordCredentials = { username, password }
    return {
      authVersion: version,
      authUrl,
      body: {
        auth: projectId
          ? { tenantId: projectId, passwordCredentials }
          : { tenantName: projectName, passwordCredentials }
      }
    }
  }
  return {
    authVersion: version,
    authUrl,
    body: {
      auth: {
        identity: {
          methods: ['password'],
          password: { user: { name: username, domain: { name: domain }, password } }
        },
        scope: { project: { name: projectName, domain: { name: domain } } }
      }
    }
  }
}

/** refstack-client's `_generate_cpid_from_endpoint`: md5 (hex) of the URL's host name (lower case, no port). */
export function cpidFromHost(url: string): string {
  let host: string
  try {
    const parsed = new URL(url)
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('scheme')
    host = parsed.hostname.replace(/^\[(.*)\]$/, '$1')
  } catch {
    throw new ActionError(
      `Invalid Keystone endpoint '${url}': it must include the URL scheme (http:// or https://)`
    )
  }
  return createHash('md5').update(host, 'utf8').digest('hex')
}

interface TokenAnswer {
  access?: { serviceCatalog?: unknown }
  token?: { catalog?: unknown }
  error?: { message?: unknown }
}
type Service = { type?: unknown; id?: unknown; endpoints?: Array<{ id?: unknown }> } | null

/**
 * The CPID in a token answer as refstack-client reads it: Keystone v2 (200, 203) the first endpoint's id of the
 * identity service, v3 (201) the identity service's id. Throws why there is none.
 */
function cpidFromAnswer({ status, body }: HttpAnswer, authVersion: string): string {
  let answer: TokenAnswer
  try {
    answer = (JSON.parse(body) ?? {}) as TokenAnswer
  } catch {
    throw new Error(`HTTP ${status} with a body that is not JSON`)
  }
  if (status !== 200 && status !== 201 && status !== 203) {
    const said = typeof answer.error?.message === 'string' ? `: ${answer.error.message}` : ''
    throw new Error(`HTTP ${status}${said}`)
  }
  const v3 = status === 201
  const catalog = v3 ? answer.token?.catalog : answer.access?.serviceCatalog
  for (const service of Array.isArray(catalog) ? (catalog as Service[]) : []) {
    // refstack-client indexes without guards: a service without a type, an identity service without an id
    // (v3) or without endpoints (v2) ends its search (KeyError, IndexError) in the host-name fallback.
    if (service?.type === undefined) break
    if (service.type !== 'identity') continue
    const id = v3 ? service.id : service.endpoints?.[0]?.id
    if (id === undefined) break
    if (typeof id === 'string' && id !== '') return id
  }
  throw new Error(
    `the Keystone ${authVersion} catalog or its identity service was not found in the token answer`
  )
}

/** The CPID from Keystone; any failure (unreachable, refused credentials, no catalog) → the host name's md5 and why. */
export async function computeCpid(
  conf: TempestConf,
  accounts: TempestAccount[],
  options: { timeoutMs?: number } = {}
): Promise<CpidResult> {
  const request = keystoneRequest(conf, accounts)
  try {
    const answer = await httpRequest({
      method: 'POST',
      url: request.authUrl,
      body: JSON.stringify(request.body),
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      timeoutMs: options.timeoutMs ?? 30_000,
      allowRedirects: false
    })
    return { cpid: cpidFromAnswer(answer, request.authVersion), source: 'keystone' }
  } catch (error) {
    const cpid = cpidFromHost(request.authUrl)
    return {
      cpid,
      source: 'hostname',
      warning: `Could not get the CPID from Keystone ${request.authVersion} (${request.authUrl}): ${transportProblem(error)}. Using the md5 of the host name instead, as refstack-client does: ${cpid}`
    }
  }
}
