/**
 * The cloud provider id (CPID) refstack-client puts in its results (refstack_client.py's `_get_cpid_from_keystone`): the id of the identity
 * service in the Keystone catalog, got with a token request as the first test account; when that fails, the
 * md5 of the auth URL's host name. Passwords go to Keystone only: no message here carries one.
 */
import { createHash } from 'node:crypto'
import { ActionError } from '../errors.js'
import { httpRequest, transportProblem } from '../http.js'
import { confOption as option, type TempestConf } from '../tempest/conf.js'

/** One entry of a Tempest accounts file (YAML). */
export interface TempestAccount {
  username?: string | number | null
  password?: string | number | null
  project_name?: string | null
  tenant_name?: string | null
  project_id?: string | null
  tenant_id?: string | null
  domain_name?: string | null
  [key: string]: unknown
}

export interface CpidOptions {
  /** For the token request (default 30 s). */
  timeoutMs?: number
}

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
function firstTruthy(...values: Array<string | number | null | undefined>): string | null {
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

  let username: string | null
  let password: string | null
  let projectId: string | null
  let projectName: string | null
  const first = accounts[0]
  if (first !== undefined) {
    username = firstTruthy(first.username)
    password = firstTruthy(first.password)
    projectId = firstTruthy(first.tenant_id, first.project_id)
    projectName = firstTruthy(first.tenant_name, first.project_name)
  } else if (option(conf, 'identity', 'username') !== undefined) {
    username = option(conf, 'identity', 'username') ?? null
    password = option(conf, 'identity', 'password') ?? null
    projectId = option(conf, 'identity', 'tenant_id') ?? option(conf, 'identity', 'project_id') ?? null
    projectName = option(conf, 'identity', 'tenant_name') ?? option(conf, 'identity', 'project_name') ?? null
  } else {
    throw new ActionError(
      'User credentials cannot be found for the CPID: the accounts file lists no account and tempest.conf has no [identity] username',
      'Give tempest.conf an [auth] test_accounts_file with at least one account'
    )
  }

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

type Catalog = Array<{ type?: unknown; id?: unknown; endpoints?: Array<{ id?: unknown }> }>

/** The CPID from a token answer as refstack-client reads it; a string = why it could not. */
function cpidFromAnswer(
  status: number,
  text: string,
  authVersion: string
): { cpid: string } | { problem: string } {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return { problem: `HTTP ${status} with a body that is not JSON` }
  }
  const notFound = {
    problem: `the Keystone ${authVersion} catalog or its identity service was not found in the token answer`
  }
  const rsp = (json ?? {}) as Record<string, unknown>
  if (status === 200 || status === 203) {
    // Keystone v2: the first endpoint of the identity service.
    const catalog = (rsp.access as { serviceCatalog?: unknown } | undefined)?.serviceCatalog
    if (!Array.isArray(catalog)) return notFound
    for (const service of catalog as Catalog) {
      if (service?.type !== 'identity') continue
      if (!Array.isArray(service.endpoints) || service.endpoints.length === 0) return notFound
      const endpointId = service.endpoints[0]?.id
      if (typeof endpointId === 'string' && endpointId !== '') return { cpid: endpointId }
    }
    return notFound
  }
  if (status === 201) {
    // Keystone v3: the id of the identity service.
    const catalog = (rsp.token as { catalog?: unknown } | undefined)?.catalog
    if (!Array.isArray(catalog)) return notFound
    for (const service of catalog as Catalog) {
      if (service?.type === 'identity' && typeof service.id === 'string' && service.id !== '')
        return { cpid: service.id }
    }
    return notFound
  }
  const error = rsp.error as { code?: unknown; message?: unknown } | undefined
  const said = typeof error?.message === 'string' ? `: ${error.message}` : ''
  return { problem: `HTTP ${status}${said}` }
}

/**
 * What refstack-client does before a run: a token request to Keystone as the first test account; the
 * CPID is the identity service's id in the catalog. Any failure (unreachable, refused credentials, no
 * catalog) gives the md5 of the auth URL's host name and a warning saying why.
 */
export async function computeCpid(
  conf: TempestConf,
  accounts: TempestAccount[],
  options: CpidOptions = {}
): Promise<CpidResult> {
  const request = keystoneRequest(conf, accounts)
  const timeoutMs = options.timeoutMs ?? 30_000
  let problem: string
  try {
    const answer = await httpRequest({
      method: 'POST',
      url: request.authUrl,
      body: JSON.stringify(request.body),
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      timeoutMs,
      allowRedirects: false
    })
    const outcome = cpidFromAnswer(answer.status, answer.body, request.authVersion)
    if ('cpid' in outcome) return { cpid: outcome.cpid, source: 'keystone' }
    problem = outcome.problem
  } catch (error) {
    problem = transportProblem(error)
  }
  const cpid = cpidFromHost(request.authUrl)
  return {
    cpid,
    source: 'hostname',
    warning: `Could not get the CPID from Keystone ${request.authVersion} (${request.authUrl}): ${problem}. Using the md5 of the host name instead, as refstack-client does: ${cpid}`
  }
}
