/**
 * The tempest.conf refstack-client runs with, made ready from an openrc when needed. No test runs as an admin:
 * - a config that already names test accounts is used as it is;
 * - a config with dynamic credentials (openstack-ansible's default: [auth] admin_* and no accounts file) keeps
 *   them: Tempest creates its own non-admin project member per test class. refstack-client needs a user only
 *   for its CPID lookup, which it reads from [identity] username/password/tenant_name; a COPY of the config
 *   gets them there (options Tempest does not have, so they change nothing of the run);
 * - a config without accounts and without dynamic credentials, with an admin openrc: the copy turns dynamic
 *   credentials on with the openrc's user as Tempest's admin; with a non-admin openrc, that user becomes the one
 *   pre-provisioned account;
 * - without a config, one is generated on the target with `refstack-client config` (python-tempestconf),
 *   offline, and then made the same way (dynamic credentials for an admin openrc).
 * The original is never modified. Credentials travel to the target's Python on standard input, never on a
 * command line or in a log.
 */
import * as core from '@actions/core'
import type { Config } from '../config.js'
import * as path from 'node:path'
import { Input } from '../constants.js'
import { ActionError, lastLines } from '../errors.js'
import { runPythonProgram } from '../python/programs.js'
import { checkAccountRoles } from './account-roles.js'
import type { TestCredentials } from './credentials.js'
import { registerSecret } from '../secrets.js'
import type { Target } from '../target/target.js'
import {
  accountEntry,
  accountsFromOpenrc,
  openrcAccount,
  type OpenrcAccount,
  sourceOpenrc
} from './openrc.js'
import type { Toolchain } from '../toolchain/provision.js'
import { readInputFile } from '../toolchain/target-inputs.js'
import {
  type CheckedConf,
  checkTempestConf,
  confLine,
  confOption as option,
  confSecrets,
  hasTestAccounts,
  parseTempestConf,
  type TempestConf,
  usesDynamicCredentials
} from './conf.js'

/**
 * The inputs naming the files, the workdir (files go to <workdir>/conf/), and the Python on the target that
 * has refstack_client and config_tempest importable (default Debian's /usr/bin/python3).
 */
export type PrepareOptions = Pick<Config, 'tempestConf' | 'openrc' | 'workdir'> & { python?: string }

export interface PreparedConf {
  /** The tempest.conf to run with. */
  path: string
  /** One sentence for the job summary saying what was done, when something was. */
  note?: string
  credentials: TestCredentials
}

const DEFAULT_PYTHON = '/usr/bin/python3'
/** python-tempestconf's default image is this file name at download.cirros-cloud.net. */
const TEMPESTCONF_IMAGE_NAME = 'cirros-0.4.0-x86_64-disk.img'
/** Where openstack-ansible's os_tempest role keeps the images it downloaded. */
const OS_TEMPEST_IMAGES = '/root/tempest-images'
const GENERATE_TIMEOUT_MS = 10 * 60_000

/** Keystone's v3 URL from an OS_AUTH_URL (openstack-ansible's has no version: http://host:5000). */
export function keystoneV3Url(authUrl: string): string {
  return authUrl.trim().replace(/(\/v3|\/v2\.0)?\/*$/, '/v3')
}

/** Whether an openrc asks for no TLS verification (OS_INSECURE=true, as openstack-ansible writes it). */
export function openrcInsecure(env: Record<string, string>): boolean {
  return /^(1|true|yes|on)$/i.test(env.OS_INSECURE ?? '') || /^(0|false|no|off)$/i.test(env.OS_VERIFY ?? '')
}

export interface ConfEdit {
  section: string
  key: string
  /** undefined removes the option. */
  value: string | undefined
}

/**
 * Sets or removes options in ini text, keeping every other line (comments, order, other sections) as it is;
 * lines are read by oslo.config's rules (confLine). A set option replaces its first occurrence in the section
 * (later duplicates are dropped, and the continuation lines of every replaced value) or is added at the end of
 * the section's first block; a missing section is appended.
 */
export function editConf(text: string, edits: readonly ConfEdit[]): string {
  const lines = text.split('\n')
  for (const edit of edits) {
    let section: string | undefined
    let done = false
    // After the last non-blank line of the section's first block, where a new option goes.
    let insertAt = -1
    let inFirstBlock = false
    for (let i = 0; i < lines.length; i++) {
      const line = confLine(lines[i])
      if (line.kind === 'section') {
        section = line.name
        inFirstBlock = section === edit.section && insertAt < 0
        if (inFirstBlock) insertAt = i + 1
      } else if (section === edit.section && line.kind === 'option' && line.key === edit.key) {
        if (!done && edit.value !== undefined) lines[i] = `${edit.key} = ${edit.value}`
        else lines.splice(i--, 1)
        while (i + 1 < lines.length && confLine(lines[i + 1]).kind === 'continuation') lines.splice(i + 1, 1)
        done = true
      } else if (inFirstBlock && line.kind !== 'blank') insertAt = i + 1
    }
    if (done || edit.value === undefined) continue
    const entry = `${edit.key} = ${edit.value}`
    if (insertAt >= 0) {
      lines.splice(insertAt, 0, entry)
    } else if (edit.section === 'DEFAULT') {
      lines.unshift('[DEFAULT]', entry, '')
    } else {
      while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop()
      lines.push('', `[${edit.section}]`, entry, '')
    }
  }
  return lines.join('\n')
}

/** Options of a tempest.conf that hold paths, which a copy in another directory must keep pointing at. */
const PATH_OPTIONS: ReadonlyArray<[string, string]> = [
  ['DEFAULT', 'log_dir'],
  ['DEFAULT', 'log_config_append'],
  ['oslo_concurrency', 'lock_path'],
  ['oslo-concurrency', 'lock_path'],
  ['scenario', 'img_dir'],
  ['identity', 'ca_certificates_file'],
  ['auth', 'test_accounts_file']
]

/** Edits that make the config's relative paths absolute against `base` (the original's directory). */
export function absolutePathEdits(conf: TempestConf, base: string): ConfEdit[] {
  const edits: ConfEdit[] = []
  for (const [section, key] of PATH_OPTIONS) {
    const value = option(conf, section, key)
    if (value !== undefined && !value.startsWith('/') && !value.startsWith('~') && !value.includes('$')) {
      edits.push({ section, key, value: path.posix.join(base, value) })
    }
  }
  return edits
}

/** Edits every config gets from the openrc: TLS like the openrc, the user's domain for the CPID lookup. */
function openrcEdits(env: Record<string, string>, account: OpenrcAccount): ConfEdit[] {
  const edits: ConfEdit[] = []
  if (openrcInsecure(env))
    edits.push({ section: 'identity', key: 'disable_ssl_certificate_validation', value: 'true' })
  if (env.OS_CACERT) edits.push({ section: 'identity', key: 'ca_certificates_file', value: env.OS_CACERT })
  // refstack-client's CPID lookup authenticates in [identity] domain_name (default "Default").
  if (account.userDomainName !== undefined && account.userDomainName !== 'Default') {
    edits.push({ section: 'identity', key: 'domain_name', value: account.userDomainName })
  }
  return edits
}

interface OpenrcOnTarget {
  path: string
  env: Record<string, string>
  account: OpenrcAccount
}

async function readOpenrc(target: Target, file: string): Promise<OpenrcOnTarget> {
  const source = `Input '${Input.Openrc}' (${file})`
  const { env, unresolved } = await sourceOpenrc(target, file, source)
  const account = openrcAccount(env, source, unresolved)
  if (!env.OS_AUTH_URL) {
    throw new ActionError(
      unresolved.OS_AUTH_URL
        ? `${source}: OS_AUTH_URL is not set after sourcing the file (${unresolved.OS_AUTH_URL})`
        : `${source} sets no OS_AUTH_URL`,
      'Use an openrc that exports the Keystone URL as OS_AUTH_URL'
    )
  }
  return { path: file, env, account }
}

/** Authenticates as the openrc's user from the target; returns the user's roles in the project. */
async function keystoneRoles(
  target: Target,
  python: string,
  workdir: string,
  openrc: OpenrcOnTarget
): Promise<string[]> {
  const { account, env } = openrc
  const url = keystoneV3Url(env.OS_AUTH_URL)
  const input = { url, ...accountEntry(account), insecure: openrcInsecure(env), cacert: env.OS_CACERT }
  const { result, answer } = await runPythonProgram(
    target,
    { python, workdir, program: 'keystone_roles.py' },
    { stdin: JSON.stringify(input), timeoutMs: 90_000 }
  )
  if (typeof answer !== 'object' || answer === null) {
    throw new ActionError(
      `Cannot check the credentials of ${openrc.path} with ${python} on ${target.description} (exit ${result.code}):\n${lastLines(result.stderr || result.stdout, 15)}`,
      `Python 3 must be installed on the target`
    )
  }
  const { roles, status, error } = answer as { roles?: string[]; status?: number; error?: string }
  if (result.code === 0 && roles !== undefined) return roles
  const who = userOfProject(account)
  if (status === 401) {
    throw new ActionError(
      `Keystone at ${url} rejected the credentials of ${openrc.path} (${who}): HTTP 401`,
      `Check OS_PASSWORD, OS_USERNAME, OS_PROJECT_NAME and the domains in the openrc ('${Input.Openrc}')`
    )
  }
  throw new ActionError(
    `Cannot authenticate at Keystone ${url} from ${target.description} with ${openrc.path} (${who}): ${status ? `HTTP ${status} ` : ''}${error ?? ''}`.trim(),
    `OS_AUTH_URL must be reachable from the target (openstack-ansible's openrc names the internal endpoint); for a self-signed certificate set OS_CACERT in the openrc`
  )
}

/**
 * Writes <confDir>/accounts.yaml with the openrc's user, listed with the roles Keystone gives it in the
 * project (the admin role left out: see accountsFromOpenrc). Only for a non-admin user, or as the input
 * python-tempestconf reads.
 */
async function writeAccounts(
  target: Target,
  openrc: OpenrcOnTarget,
  roles: string[],
  confDir: string,
  adminRole: string
): Promise<string> {
  const accountsFile = path.posix.join(confDir, 'accounts.yaml')
  await target.writeFile(accountsFile, accountsFromOpenrc(openrc.env, roles, adminRole), 0o600)
  return accountsFile
}

function userOfProject(account: OpenrcAccount): string {
  return `user '${account.username}' of project '${account.projectName ?? account.projectId ?? ''}'`
}

/** Whether `roles` (as Keystone names them) hold the admin role ([identity] admin_role, matched as Keystone does). */
export function hasAdminRole(roles: readonly string[], adminRole = 'admin'): boolean {
  return roles.some((r) => r.toLowerCase() === adminRole.toLowerCase())
}

/** The user refstack-client's CPID lookup logs in as: only that, never a test. */
export interface CpidUser {
  username: string
  password: string
  projectName?: string
  projectId?: string
  domainName?: string
}

/**
 * [identity] username/password/tenant_name(/tenant_id)/domain_name: where refstack-client's `_get_keystone_config`
 * reads a user when the config names no accounts file. Tempest has none of these options (its [identity] group is
 * the Keystone endpoint only), so they serve the CPID lookup and nothing of the run. Pure.
 */
export function cpidUserEdits(user: CpidUser): ConfEdit[] {
  return [
    { section: 'identity', key: 'username', value: user.username },
    { section: 'identity', key: 'password', value: user.password },
    // refstack-client reads tenant_name, then project_name, with configparser's get(): one must exist.
    { section: 'identity', key: 'tenant_name', value: user.projectName ?? '' },
    { section: 'identity', key: 'tenant_id', value: user.projectId },
    { section: 'identity', key: 'domain_name', value: user.domainName }
  ]
}

/** The CPID user from an openrc's account. */
export function cpidUserOfOpenrc(account: OpenrcAccount): CpidUser {
  return {
    username: account.username,
    password: account.password,
    projectName: account.projectName,
    projectId: account.projectId,
    domainName: account.userDomainName
  }
}

/** The CPID user from the config's own [auth] admin_* (Tempest's admin for dynamic credentials), when complete. */
export function cpidUserOfConf(conf: TempestConf): CpidUser | undefined {
  const username = option(conf, 'auth', 'admin_username')
  const password = option(conf, 'auth', 'admin_password')
  const projectName = option(conf, 'auth', 'admin_project_name')
  if (!username || !password || !projectName) return undefined
  const domainName =
    option(conf, 'auth', 'admin_user_domain_name') ?? option(conf, 'auth', 'admin_domain_name')
  return { username, password, projectName, domainName }
}

/** [auth] edits that make Tempest create its own test users, with the openrc's (admin) user as Tempest's admin. */
export function dynamicCredentialsEdits(account: OpenrcAccount, source: string): ConfEdit[] {
  if (!account.projectName) {
    throw new ActionError(
      `${source} names its project by id only (OS_PROJECT_ID); Tempest's [auth] admin_project_name needs its name`,
      `Export OS_PROJECT_NAME in the openrc, or point '${Input.TempestConf}' at a tempest.conf with [auth] admin_* or test accounts`
    )
  }
  return [
    { section: 'auth', key: 'use_dynamic_credentials', value: 'true' },
    { section: 'auth', key: 'test_accounts_file', value: undefined },
    { section: 'auth', key: 'admin_username', value: account.username },
    { section: 'auth', key: 'admin_password', value: account.password },
    { section: 'auth', key: 'admin_project_name', value: account.projectName },
    { section: 'auth', key: 'admin_user_domain_name', value: account.userDomainName ?? 'Default' },
    { section: 'auth', key: 'admin_project_domain_name', value: account.projectDomainName ?? 'Default' },
    { section: 'auth', key: 'admin_domain_name', value: account.userDomainName ?? 'Default' }
  ]
}

/**
 * Why dynamic credentials would make an admin of every test user: [auth] tempest_roles (roles Tempest gives every
 * user it creates) holding [identity] admin_role. Pure.
 */
export function dynamicRolesProblem(conf: TempestConf, confPath: string): string | undefined {
  const adminRole = option(conf, 'identity', 'admin_role') ?? 'admin'
  const roles = (option(conf, 'auth', 'tempest_roles') ?? '')
    .split(',')
    .map((r) => r.trim())
    .filter((r) => r !== '')
  return hasAdminRole(roles, adminRole)
    ? `${confPath} [auth] tempest_roles = ${roles.join(', ')} gives every test user Tempest creates the admin role '${adminRole}': interop results must come from non-admin project members; remove it from tempest_roles`
    : undefined
}

/** The `dynamic` credentials, after checking that they make no admin. */
function dynamicCredentials(conf: TempestConf, confPath: string): TestCredentials {
  const problem = dynamicRolesProblem(conf, confPath)
  if (problem !== undefined) throw new ActionError(`Input '${Input.TempestConf}': ${problem}`)
  const extra = option(conf, 'auth', 'tempest_roles')
  return {
    kind: 'dynamic',
    admin: false,
    description:
      `dynamic credentials: Tempest creates a project member per test class${extra ? ` (with [auth] tempest_roles ${extra})` : ''} ` +
      `and deletes it afterwards; none has the admin role ([auth] tempest_roles holds no admin role)`
  }
}

/** The openrc's user as the one pre-provisioned account: never an admin (Keystone says which roles it has). */
function openrcAccountCredentials(openrc: OpenrcOnTarget, roles: string[]): TestCredentials {
  return {
    kind: 'openrc-account',
    admin: false,
    description: `one pre-provisioned account, ${userOfProject(openrc.account)} from ${openrc.path}, with the roles ${roles.join(', ') || '(none)'} in Keystone: not admin`
  }
}

const NOT_IN_PLACE = (original: string, confDir: string): ActionError =>
  new ActionError(
    `Input '${Input.TempestConf}' (${original}) is where the action writes its own copy`,
    `Point '${Input.TempestConf}' at the original config, outside ${confDir}`
  )

/**
 * A copy of a config without accounts (the original is unchanged): dynamic credentials kept, or turned on
 * with an admin openrc; or, with a non-admin openrc and no dynamic credentials, the openrc's user as account.
 */
async function copyForRun(
  target: Target,
  original: string,
  text: string,
  conf: TempestConf,
  openrc: OpenrcOnTarget | undefined,
  python: string,
  confDir: string
): Promise<PreparedConf> {
  const copy = path.posix.join(confDir, 'tempest.conf')
  if (path.posix.resolve(original) === copy) throw NOT_IN_PLACE(original, confDir)
  const adminRole = option(conf, 'identity', 'admin_role') ?? 'admin'
  const roles = openrc ? await keystoneRoles(target, python, path.posix.dirname(confDir), openrc) : []
  const openrcAdmin = openrc !== undefined && hasAdminRole(roles, adminRole)
  const dynamic = usesDynamicCredentials(conf)
  const edits: ConfEdit[] = [
    ...absolutePathEdits(conf, path.posix.dirname(original)),
    ...(openrc
      ? openrcEdits(openrc.env, openrc.account).filter((e) => option(conf, e.section, e.key) === undefined)
      : [])
  ]
  let credentials: TestCredentials
  let what: string
  if (dynamic || openrcAdmin) {
    const adminFromOpenrc = openrcAdmin && (!dynamic || cpidUserOfConf(conf) === undefined)
    const confUser = cpidUserOfConf(conf)
    if (!adminFromOpenrc && confUser === undefined) {
      throw new ActionError(
        `Input '${Input.TempestConf}': ${original} uses dynamic credentials without a complete [auth] admin_username, admin_password and admin_project_name${openrc ? `, and ${userOfProject(openrc.account)} of '${Input.Openrc}' has no admin role` : ''}: Tempest cannot create its test users`,
        `Set '${Input.Openrc}' to an admin openrc (openstack-ansible: /root/openrc), or complete [auth] admin_* in ${original}`
      )
    }
    if (adminFromOpenrc && openrc)
      edits.push(...dynamicCredentialsEdits(openrc.account, `Input '${Input.Openrc}' (${openrc.path})`))
    const cpidUser = openrc ? cpidUserOfOpenrc(openrc.account) : (confUser as CpidUser)
    edits.push(...cpidUserEdits(cpidUser))
    credentials = dynamicCredentials(parseTempestConf(editConf(text, edits)), original)
    what =
      (dynamic
        ? 'keeps dynamic credentials'
        : `turns dynamic credentials on with ${userOfProject(openrc!.account)} of ${openrc!.path} as Tempest's admin`) +
      ` and names ${`user '${cpidUser.username}'`} in [identity] username for refstack-client's CPID lookup only (Tempest has no such option: no test runs as that user)`
  } else {
    if (!openrc)
      throw new Error('unreachable: a config without accounts and dynamic credentials needs an openrc')
    const accountsFile = await writeAccounts(target, openrc, roles, confDir, adminRole)
    edits.push(
      { section: 'auth', key: 'use_dynamic_credentials', value: 'false' },
      { section: 'auth', key: 'test_accounts_file', value: accountsFile }
    )
    credentials = openrcAccountCredentials(openrc, roles)
    what = `names ${accountsFile} in [auth] test_accounts_file`
  }
  await target.writeFile(copy, editConf(text, edits), 0o600)
  return {
    path: copy,
    note: `${original} names no test accounts: the run uses a copy, ${copy}, that ${what}; the original is unchanged`,
    credentials
  }
}

/** `--image` for python-tempestconf that never downloads: an os_tempest image if there is one, else a local path. */
async function offlineImage(target: Target, workdir: string): Promise<string> {
  const found = await target.exec([
    'find',
    OS_TEMPEST_IMAGES,
    '-maxdepth',
    '1',
    '-type',
    'f',
    '(',
    '-name',
    '*.img',
    '-o',
    '-name',
    '*.qcow2',
    ')'
  ])
  const images =
    found.code === 0
      ? found.stdout
          .split('\n')
          .filter((l) => l.trim() !== '')
          .sort()
      : []
  return images[0] ?? path.posix.join(workdir, 'images', TEMPESTCONF_IMAGE_NAME)
}

/** The refstack-client argument list for the generation (no secrets in it). */
export function generateArgs(opts: {
  accountsFile: string
  out: string
  image: string
  insecure: boolean
}): string[] {
  return [
    'config',
    '--use-test-accounts',
    opts.accountsFile,
    '--out',
    opts.out,
    '--image',
    opts.image,
    ...(opts.insecure ? ['-k'] : [])
  ]
}

/** Case (c): generate the config on the target with refstack-client config (python-tempestconf), offline. */
async function generate(
  target: Target,
  openrc: OpenrcOnTarget,
  python: string,
  workdir: string,
  confDir: string
): Promise<PreparedConf> {
  const roles = await keystoneRoles(target, python, workdir, openrc)
  const admin = hasAdminRole(roles)
  // python-tempestconf reads the user from an accounts file; for an admin openrc that file serves the
  // generation only and is removed once the config has dynamic credentials.
  const accountsFile = await writeAccounts(target, openrc, roles, confDir, 'admin')
  const out = path.posix.join(confDir, 'tempest.conf')
  const runDir = path.posix.join(confDir, 'tempestconf')
  const logDir = path.posix.join(confDir, 'logs')
  const mkdir = await target.exec(['mkdir', '-p', '-m', '700', runDir, logDir])
  if (mkdir.code !== 0)
    throw new ActionError(`Cannot create ${runDir} on ${target.description}: ${lastLines(mkdir.stderr, 15)}`)
  await target.exec(['rm', '-f', out])
  const image = await offlineImage(target, workdir)
  const env = { ...openrc.env, OS_AUTH_URL: keystoneV3Url(openrc.env.OS_AUTH_URL) }
  const args = generateArgs({ accountsFile, out, image, insecure: openrcInsecure(openrc.env) })
  core.info(`Generating ${out} with refstack-client config (python-tempestconf) on ${target.description}`)
  core.debug(`${python} refstack_config.py ${args.join(' ')} (cwd ${runDir}; credentials on stdin)`)
  const started = Date.now()
  const { result } = await runPythonProgram(
    target,
    { python, workdir, program: 'refstack_config.py', args },
    { stdin: JSON.stringify(env), cwd: runDir, timeoutMs: GENERATE_TIMEOUT_MS }
  )
  const produced =
    result.code === 0
      ? await target.readFile(out).then(
          (b) => b.toString('utf8'),
          () => undefined
        )
      : undefined
  if (produced === undefined) {
    const output = lastLines([result.stdout, result.stderr].filter((s) => s.trim() !== '').join('\n'), 15)
    const imageTrouble = /image|IOError|FileNotFoundError|No such file/i.test(output)
    throw new ActionError(
      `Generating tempest.conf from ${openrc.path} with refstack-client config failed on ${target.description} (${result.timedOut ? 'timed out' : `exit ${result.code}`}):\n${output}`,
      imageTrouble
        ? `python-tempestconf needs an image when the cloud has Glance and never downloads one here: upload one to Glance named '${path.posix.basename(image)}' or put the file at ${image} on the target; or point '${Input.TempestConf}' at a ready tempest.conf. Its log: ${runDir}/tempest.log`
        : `Its log: ${runDir}/tempest.log on the target. Or point '${Input.TempestConf}' at a ready tempest.conf`
    )
  }
  const conf = parseTempestConf(produced)
  for (const secret of confSecrets(conf)) registerSecret(secret)
  const edits: ConfEdit[] = [
    // python-tempestconf turns TLS verification off by default; keep it as the openrc has it.
    {
      section: 'identity',
      key: 'disable_ssl_certificate_validation',
      value: openrcInsecure(openrc.env) ? 'true' : 'false'
    },
    ...openrcEdits(openrc.env, openrc.account).filter((e) => e.key !== 'disable_ssl_certificate_validation'),
    { section: 'DEFAULT', key: 'log_dir', value: logDir }
  ]
  // python-tempestconf (non-admin) writes operator_role = Member; Tempest matches the accounts file's roles
  // case-sensitively, so use the spelling Keystone gave (today's Keystone: member).
  const operatorRole = option(conf, 'object-storage', 'operator_role')
  const spelled = roles.find((r) => r !== operatorRole && r.toLowerCase() === operatorRole?.toLowerCase())
  if (spelled !== undefined) edits.push({ section: 'object-storage', key: 'operator_role', value: spelled })
  if (admin) {
    edits.push(
      ...dynamicCredentialsEdits(openrc.account, `Input '${Input.Openrc}' (${openrc.path})`),
      ...cpidUserEdits(cpidUserOfOpenrc(openrc.account))
    )
  }
  const written = editConf(produced, edits)
  const credentials = admin
    ? dynamicCredentials(parseTempestConf(written), out)
    : openrcAccountCredentials(openrc, roles)
  await target.writeFile(out, written, 0o600)
  await target.exec(['rm', '-f', path.posix.join(runDir, 'tempest.log')]) // holds the password (debug log)
  if (admin) await target.exec(['rm', '-f', accountsFile])
  const seconds = ((Date.now() - started) / 1000).toFixed(1)
  return {
    path: out,
    note: `tempest.conf generated on ${target.description} with refstack-client config (python-tempestconf, no downloads) in ${seconds} s: ${out}; ${
      admin
        ? `${userOfProject(openrc.account)} of ${openrc.path} has the admin role, so it is Tempest's admin for dynamic credentials and refstack-client's user for the CPID lookup, and runs no test`
        : `test account: ${userOfProject(openrc.account)}`
    }`,
    credentials
  }
}

/**
 * The tempest.conf to run with (see the file comment). Errors say which input to set or change.
 */
export async function prepareTempestConf(target: Target, opts: PrepareOptions): Promise<PreparedConf> {
  const python = opts.python ?? DEFAULT_PYTHON
  const confDir = path.posix.join(opts.workdir, 'conf')
  if (opts.tempestConf) {
    const text = await readInputFile(target, Input.TempestConf, opts.tempestConf)
    const conf = parseTempestConf(text)
    for (const secret of confSecrets(conf)) registerSecret(secret)
    if (hasTestAccounts(conf)) {
      return {
        path: opts.tempestConf,
        note: opts.openrc
          ? `'${Input.Openrc}' not used: ${opts.tempestConf} already names its test accounts`
          : undefined,
        credentials: givenCredentials(conf, opts.tempestConf)
      }
    }
    if (!opts.openrc && !(usesDynamicCredentials(conf) && cpidUserOfConf(conf) !== undefined)) {
      throw new ActionError(
        `Input '${Input.TempestConf}': ${opts.tempestConf} names no test accounts ([auth] test_accounts_file) and ${usesDynamicCredentials(conf) ? 'no complete [auth] admin_username, admin_password and admin_project_name for its dynamic credentials' : 'does not use dynamic credentials'}, so Tempest has no user to run the tests with`,
        `Set '${Input.Openrc}' to an openrc on the target (openstack-ansible: 'openrc: /root/openrc'): with an admin openrc Tempest creates non-admin test users itself (dynamic credentials), with a member's openrc that user runs the tests; or point '${Input.TempestConf}' at a tempest.conf with [auth] test_accounts_file`
      )
    }
    const openrc = opts.openrc ? await readOpenrc(target, opts.openrc) : undefined
    return copyForRun(target, opts.tempestConf, text, conf, openrc, python, confDir)
  }
  if (!opts.openrc) {
    throw new ActionError(
      `Neither '${Input.TempestConf}' nor '${Input.Openrc}' is set: refstack-client needs a tempest.conf`,
      `Set '${Input.TempestConf}' to tempest.conf on the target, or '${Input.Openrc}' (openstack-ansible: /root/openrc) to generate one`
    )
  }
  const openrc = await readOpenrc(target, opts.openrc)
  return generate(target, openrc, python, opts.workdir, confDir)
}

/**
 * The credentials of a config used as it is: its accounts file, or its dynamic credentials when it names
 * only refstack-client's [identity] user (whether accounts have the admin role is checked by checkTempestConf).
 */
function givenCredentials(conf: TempestConf, confPath: string): TestCredentials {
  if (option(conf, 'auth', 'test_accounts_file') === undefined && usesDynamicCredentials(conf)) {
    return dynamicCredentials(conf, confPath)
  }
  return {
    kind: 'accounts-file',
    admin: false,
    description: `the pre-provisioned accounts of ${option(conf, 'auth', 'test_accounts_file') ?? `${confPath} [identity] username`}`
  }
}

export type { TestCredentials }

export interface ReadyConf {
  conf: CheckedConf
  note?: string
  credentials: TestCredentials
}

/**
 * Step 1's end: the given tempest.conf, a copy of it, or one generated from the openrc; with the credentials that
 * run the tests (a config's own accounts checked through Keystone for the admin role).
 */
export async function prepareConf(target: Target, config: Config, toolchain: Toolchain): Promise<ReadyConf> {
  const prepared = await prepareTempestConf(target, { ...config, python: toolchain.clientPython })
  if (prepared.note) core.info(prepared.note)
  const conf = await checkTempestConf(target, prepared.path)
  const credentials =
    prepared.credentials.kind === 'accounts-file' && conf.accounts.length > 0
      ? await checkAccountRoles(target, { python: toolchain.clientPython, workdir: config.workdir }, conf)
      : prepared.credentials
  core.info(`Test credentials: ${credentials.description}`)
  return { conf, note: prepared.note, credentials }
}
