/**
 * Whether the pre-provisioned accounts of tempest.conf make any test run as an admin: each account logs in at
 * Keystone (src/python/keystone_roles.py, credentials on standard input) and its token's roles are compared
 * with [identity] admin_role. Tempest hands an account listed with the admin role (or type) only to tests that
 * ask for admin credentials; any other account with the admin role in Keystone runs ordinary tests as an admin.
 */
import * as core from '@actions/core'
import { describeError } from '../errors.js'
import { runPythonProgram } from '../python/programs.js'
import type { Target } from '../target/target.js'
import { type CheckedConf, confOption as option } from './conf.js'
import type { TestCredentials } from './credentials.js'

/** One account as keystone_roles.py answers for it. */
export interface AccountRoles {
  username: string
  project: string | null
  roles?: string[]
  status?: number | null
  error?: string
}

/** Whether an accounts file entry is reserved for admin tests: listed with the admin role or type. */
function listedAsAdmin(account: Record<string, unknown>, adminRole: string): boolean {
  const named = (key: string): string[] =>
    Array.isArray(account[key]) ? (account[key] as unknown[]).map((v) => String(v).toLowerCase()) : []
  return named('roles').includes(adminRole.toLowerCase()) || named('types').includes('admin')
}

/** The `accounts-file` credentials from Keystone's answer for each account (same order as `accounts`). Pure. */
export function accountsCredentials(
  file: string,
  accounts: Array<Record<string, unknown>>,
  found: AccountRoles[],
  adminRole: string
): TestCredentials {
  const admins: string[] = []
  let answered = 0
  let reserved = 0
  accounts.forEach((account, i) => {
    if (listedAsAdmin(account, adminRole)) {
      reserved++
      return
    }
    const roles = found[i]?.roles
    if (roles === undefined) return
    answered++
    if (roles.some((r) => r.toLowerCase() === adminRole.toLowerCase())) {
      admins.push(`${found[i].username} (project ${found[i].project ?? '?'})`)
    }
  })
  const of = `${accounts.length} pre-provisioned account${accounts.length === 1 ? '' : 's'} of ${file}`
  const reservedNote =
    reserved > 0
      ? `; ${reserved} listed with the admin role, which Tempest gives only to tests asking for an admin`
      : ''
  if (admins.length > 0) {
    return {
      kind: 'accounts-file',
      admin: true,
      description: `${of}: ${admins.join(', ')} ${admins.length === 1 ? 'has' : 'have'} the admin role '${adminRole}' in Keystone without being listed with it, so tests run as an admin${reservedNote}`
    }
  }
  const unchecked = accounts.length - reserved - answered
  return {
    kind: 'accounts-file',
    admin: false,
    description: `${of}: Keystone gives none of the ${answered} checked the admin role '${adminRole}'${unchecked > 0 ? ` (${unchecked} refused a token, see the pre-flight)` : ''}${reservedNote}`
  }
}

/** Checks the accounts of a config through Keystone; a check that cannot run says so and is not an error. */
export async function checkAccountRoles(
  target: Target,
  run: { python: string; workdir: string },
  conf: CheckedConf
): Promise<TestCredentials> {
  const file = conf.accountsFile ?? conf.path
  const adminRole = option(conf.conf, 'identity', 'admin_role') ?? 'admin'
  const url = option(conf.conf, 'identity', 'uri_v3')
  const unchecked = (why: string): TestCredentials => {
    core.warning(`The roles of the test accounts of ${file} were not checked: ${why}`)
    return {
      kind: 'accounts-file',
      admin: null,
      description: `${conf.accounts.length} pre-provisioned accounts of ${file}; their roles were not checked (${why})`
    }
  }
  if (!url || (option(conf.conf, 'identity', 'auth_version') ?? 'v3') !== 'v3') {
    return unchecked('tempest.conf has no [identity] uri_v3 (Identity API v3)')
  }
  const request = {
    url,
    accounts: conf.accounts,
    default_domain_name: option(conf.conf, 'auth', 'default_credentials_domain_name'),
    insecure:
      (option(conf.conf, 'identity', 'disable_ssl_certificate_validation') ?? '').toLowerCase() === 'true',
    cacert: option(conf.conf, 'identity', 'ca_certificates_file')
  }
  try {
    const { answer } = await runPythonProgram(
      target,
      { ...run, program: 'keystone_roles.py' },
      { stdin: JSON.stringify(request), timeoutMs: 120_000 }
    )
    const found = (answer as { accounts?: AccountRoles[] } | undefined)?.accounts
    if (!Array.isArray(found)) return unchecked(`keystone_roles.py gave no answer`)
    const credentials = accountsCredentials(file, conf.accounts, found, adminRole)
    if (credentials.admin)
      core.warning(`Interop results must come from non-admin project members: ${credentials.description}`)
    return credentials
  } catch (error) {
    return unchecked(describeError(error))
  }
}
