/**
 * An openrc (the `export OS_…=…` shell file OpenStack installers write, e.g. openstack-ansible's /root/openrc)
 * read the way its users read it: sourced by bash, here in a clean environment on the target
 * (`env -i`, no profile, standard input from /dev/null), keeping the OS_* variables it leaves exported.
 * Every secret is masked with registerSecret the moment it is read.
 */
import YAML from 'yaml'
import { Input } from '../constants.js'
import { ActionError, lastLines } from '../errors.js'
import { registerSecret } from '../secrets.js'
import type { Target } from '../target/target.js'
import { readInputFile } from '../toolchain/target-inputs.js'

export interface SourcedOpenrc {
  /** The OS_* variables the file leaves set (`set -a` exports every assignment), with their values. */
  env: Record<string, string>
  /** Why a variable may be missing or empty, for the error that names it: the file prompts, or it failed. */
  unresolved: Record<string, string>
}

/** Names whose values are secrets: masked as soon as they are read. */
const SECRET_NAME = /PASSWORD|SECRET|TOKEN|PASSPHRASE|_KEY$/i

/**
 * bash sources the file ($1) with every assignment exported, its output sent to standard error and its
 * standard input at end of file (a `read` gets nothing), then prints the environment NUL-separated
 * (`env -0`, GNU coreutils) and exits with the file's status.
 */
const SOURCE_AND_PRINT = '. "$1" </dev/null >&2; status=$?; env -0; exit $status'

/** `read` as a command (Horizon's openrc.sh asks for the password with `read -sr OS_PASSWORD_INPUT`). */
const READ_COMMAND = /(^|[;&|({]|\bthen|\bdo)\s*read\b/m

/** The variables of `env -0` output; a value may hold newlines. */
function parseEnv0(output: string): Record<string, string> {
  const variables: Record<string, string> = {}
  for (const entry of output.split('\0')) {
    const equals = entry.indexOf('=')
    if (equals > 0) variables[entry.slice(0, equals)] = entry.slice(equals + 1)
  }
  return variables
}

/**
 * Sources `file` on the target in a clean bash and returns its OS_* variables. `source` names the file in
 * errors. Throws an ActionError when the file cannot be read, bash cannot run or the file stops the shell
 * before it prints anything.
 */
export async function sourceOpenrc(target: Target, file: string, source: string): Promise<SourcedOpenrc> {
  const text = await readInputFile(target, Input.Openrc, file)
  const result = await target.exec(
    ['env', '-i', 'bash', '--noprofile', '--norc', '-c', `set -a; ${SOURCE_AND_PRINT}`, 'openrc', file],
    { timeoutMs: 60_000 }
  )
  const all = parseEnv0(result.stdout)
  for (const [name, value] of Object.entries(all)) if (SECRET_NAME.test(name) && value) registerSecret(value)
  const said = lastLines(result.stderr, 3)
    .trim()
    .replace(/\s*\n\s*/g, ' ')
  if (result.code !== 0 && Object.keys(all).length === 0) {
    throw new ActionError(
      `${source}: sourcing it with bash on ${target.description} failed (${result.timedOut ? 'timed out' : `exit ${result.code}`})${said ? `: ${said}` : ''}`,
      'Fix the file so that `. openrc` succeeds in a fresh shell (bash), or point it at the openrc openstack-ansible writes (/root/openrc)'
    )
  }
  const env: Record<string, string> = {}
  for (const name of Object.keys(all).sort()) if (name.startsWith('OS_')) env[name] = all[name]
  const unresolved: Record<string, string> = {}
  const why = READ_COMMAND.test(text)
    ? 'the file reads it from the terminal (read), and the action sources it with no terminal'
    : result.code !== 0
      ? `sourcing the file ended with exit ${result.code}${said ? `: ${said}` : ''}`
      : undefined
  if (why !== undefined) {
    for (const name of ['OS_AUTH_URL', 'OS_USERNAME', 'OS_PASSWORD', 'OS_PROJECT_NAME']) {
      if (!env[name]) unresolved[name] = why
    }
  }
  return { env, unresolved }
}

/** The user an openrc authenticates as (password authentication only). */
export interface OpenrcAccount {
  username: string
  password: string
  projectName?: string
  projectId?: string
  userDomainName?: string
  userDomainId?: string
  projectDomainName?: string
  projectDomainId?: string
}

const first = (env: Record<string, string>, ...names: string[]): string | undefined =>
  names.map((n) => env[n]?.trim()).find((v) => v !== undefined && v !== '')

/**
 * The password account an openrc describes. Throws an ActionError naming what is missing, or why the
 * credentials cannot go into a Tempest accounts file (application credentials, tokens).
 */
export function openrcAccount(
  env: Record<string, string>,
  source = `'${Input.Openrc}'`,
  unresolved: Record<string, string> = {}
): OpenrcAccount {
  const authType = (env.OS_AUTH_TYPE ?? 'password').toLowerCase()
  if (authType.includes('applicationcredential') || env.OS_APPLICATION_CREDENTIAL_SECRET) {
    throw new ActionError(
      `${source} authenticates with an application credential (OS_AUTH_TYPE=${env.OS_AUTH_TYPE ?? ''}); Tempest's accounts file needs a user name and password`,
      `Use an openrc with OS_USERNAME and OS_PASSWORD of a project member, or point '${Input.TempestConf}' at a tempest.conf with pre-provisioned accounts`
    )
  }
  if (authType.includes('token') || (env.OS_TOKEN && !env.OS_PASSWORD)) {
    throw new ActionError(
      `${source} authenticates with a token; Tempest's accounts file needs a user name and password`,
      `Use an openrc with OS_USERNAME and OS_PASSWORD, or point '${Input.TempestConf}' at a tempest.conf with pre-provisioned accounts`
    )
  }
  const missing = (name: string, what: string): ActionError => {
    const why = unresolved[name]
    return new ActionError(
      why
        ? `${source}: ${name} is not set after sourcing the file (${why})`
        : `${source} sets no ${name} (${what})`,
      why
        ? `Write the value into the file (openstack-ansible's /root/openrc has it: export ${name}='…') so that it needs no terminal, or point '${Input.TempestConf}' at a tempest.conf with pre-provisioned accounts`
        : `Use the openrc openstack-ansible writes (/root/openrc in the utility container), or one with OS_USERNAME, OS_PASSWORD, OS_PROJECT_NAME and OS_AUTH_URL`
    )
  }
  const username = first(env, 'OS_USERNAME', 'OS_USER_NAME')
  if (username === undefined)
    throw missing('OS_USERNAME', 'the user Tempest and the CPID lookup authenticate as')
  const password = env.OS_PASSWORD
  if (password === undefined || password === '') throw missing('OS_PASSWORD', "the user's password")
  registerSecret(password)
  const projectName = first(env, 'OS_PROJECT_NAME', 'OS_TENANT_NAME')
  const projectId = first(env, 'OS_PROJECT_ID', 'OS_TENANT_ID')
  if (projectName === undefined && projectId === undefined) {
    throw missing(
      'OS_PROJECT_NAME',
      'the project Tempest works in; a system-scoped openrc cannot be a test account'
    )
  }
  // A domain named or identified for the user (or project) itself wins over OS_DEFAULT_DOMAIN_*; with
  // neither, Keystone's "Default" (a project given by id needs no domain).
  const domain = (scope: 'USER' | 'PROJECT', needsOne: boolean): { name?: string; id?: string } => {
    const ownId = first(env, `OS_${scope}_DOMAIN_ID`)
    const name =
      first(env, `OS_${scope}_DOMAIN_NAME`) ?? (ownId ? undefined : first(env, 'OS_DEFAULT_DOMAIN_NAME'))
    const id = ownId ?? (name ? undefined : first(env, 'OS_DEFAULT_DOMAIN', 'OS_DEFAULT_DOMAIN_ID'))
    return { name: name ?? (id === undefined && needsOne ? 'Default' : undefined), id }
  }
  const userDomain = domain('USER', true)
  const projectDomain = domain('PROJECT', projectName !== undefined)
  return {
    username,
    password,
    projectName,
    projectId,
    userDomainName: userDomain.name,
    userDomainId: userDomain.id,
    projectDomainName: projectDomain.name,
    projectDomainId: projectDomain.id
  }
}

/** The account's fields as a Tempest accounts file names them; unset ones are undefined (left out by YAML and JSON). */
export function accountEntry(account: OpenrcAccount): Record<string, string | undefined> {
  return {
    username: account.username,
    password: account.password,
    project_name: account.projectName,
    project_id: account.projectId,
    user_domain_name: account.userDomainName,
    user_domain_id: account.userDomainId,
    project_domain_name: account.projectDomainName,
    project_domain_id: account.projectDomainId
  }
}

/**
 * A Tempest accounts file (YAML) with the openrc's user as its one account. refstack-client takes the FIRST
 * account for the CPID lookup, Tempest uses it for the tests. `roles`, when known (from Keystone), let Tempest
 * hand the account to tests that ask for a role (object storage asks for its operator role); the admin role is
 * left out on purpose: Tempest never allocates an account listed with it as a primary (non-admin) account.
 */
export function accountsFromOpenrc(
  env: Record<string, string>,
  roles: string[] = [],
  adminRole = 'admin'
): string {
  const listed = [...new Set(roles)].filter((role) => role.toLowerCase() !== adminRole.toLowerCase())
  const entry = { ...accountEntry(openrcAccount(env)), roles: listed.length > 0 ? listed : undefined }
  const header =
    '# Written by refstack-action from the openrc: the account Tempest runs the tests with.\n' +
    '# refstack-client derives the cloud provider id (CPID) from the first account.\n'
  return header + YAML.stringify([entry], { defaultStringType: 'QUOTE_SINGLE', defaultKeyType: 'PLAIN' })
}
