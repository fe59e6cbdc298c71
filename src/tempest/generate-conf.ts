/**
 * The tempest.conf refstack-client runs with, made ready from an openrc when needed:
 * - a config that already names test accounts is used as it is;
 * - openstack-ansible's default (dynamic admin credentials, no accounts file) gets an accounts file with the
 *   openrc's user and a COPY of the config pointing at it (the original is never modified);
 * - without a config, one is generated on the target with `refstack-client config` (python-tempestconf), offline.
 * Credentials travel to the target's Python on standard input, never on a command line or in a log.
 */
import * as core from '@actions/core'
import type { Config } from '../config.js'
import * as path from 'node:path'
import { Input } from '../constants.js'
import { ActionError, lastLines } from '../errors.js'
import { runPythonProgram } from '../python/programs.js'
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
  confPasswords,
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
 * project (checking the credentials from the target on the way).
 */
async function writeAccounts(
  target: Target,
  openrc: OpenrcOnTarget,
  python: string,
  confDir: string,
  adminRole: string
): Promise<{ accountsFile: string; roles: string[] }> {
  const roles = await keystoneRoles(target, python, path.posix.dirname(confDir), openrc)
  const accountsFile = path.posix.join(confDir, 'accounts.yaml')
  await target.writeFile(accountsFile, accountsFromOpenrc(openrc.env, roles, adminRole), 0o600)
  return { accountsFile, roles }
}

function userOfProject(account: OpenrcAccount): string {
  return `user '${account.username}' of project '${account.projectName ?? account.projectId ?? ''}'`
}

function describeAccount(openrc: OpenrcOnTarget, roles: string[]): string {
  const admin = roles.some((r) => r.toLowerCase() === 'admin')
    ? ' (it has the admin role: interop results are meant to come from a non-admin project member)'
    : ''
  return `${userOfProject(openrc.account)} from ${openrc.path}${admin}`
}

/** Case (a): a copy of the config with the openrc's user as pre-provisioned account. */
async function copyWithAccounts(
  target: Target,
  original: string,
  text: string,
  conf: TempestConf,
  openrc: OpenrcOnTarget,
  python: string,
  confDir: string
): Promise<PreparedConf> {
  const copy = path.posix.join(confDir, 'tempest.conf')
  if (path.posix.resolve(original) === copy) {
    throw new ActionError(
      `Input '${Input.TempestConf}' (${original}) is where the action writes its own copy`,
      `Point '${Input.TempestConf}' at the original config, outside ${confDir}`
    )
  }
  const adminRole = option(conf, 'identity', 'admin_role') ?? 'admin'
  const { accountsFile, roles } = await writeAccounts(target, openrc, python, confDir, adminRole)
  const edited = editConf(text, [
    ...absolutePathEdits(conf, path.posix.dirname(original)),
    ...openrcEdits(openrc.env, openrc.account).filter((e) => option(conf, e.section, e.key) === undefined),
    { section: 'auth', key: 'use_dynamic_credentials', value: 'false' },
    { section: 'auth', key: 'test_accounts_file', value: accountsFile }
  ])
  await target.writeFile(copy, edited, 0o600)
  return {
    path: copy,
    note:
      `${original} ${usesDynamicCredentials(conf) ? 'uses dynamic credentials and ' : ''}names no test accounts, which refstack-client needs: ` +
      `the run uses a copy, ${copy}, with [auth] use_dynamic_credentials = false and test_accounts_file = ${accountsFile} ` +
      `(one account: ${describeAccount(openrc, roles)}); the original is unchanged`
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
  const { accountsFile, roles } = await writeAccounts(target, openrc, python, confDir, 'admin')
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
  for (const secret of confPasswords(conf)) registerSecret(secret)
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
  await target.writeFile(out, editConf(produced, edits), 0o600)
  await target.exec(['rm', '-f', path.posix.join(runDir, 'tempest.log')]) // holds the password (debug log)
  const seconds = ((Date.now() - started) / 1000).toFixed(1)
  return {
    path: out,
    note: `tempest.conf generated on ${target.description} with refstack-client config (python-tempestconf, no downloads) in ${seconds} s: ${out}, test account: ${describeAccount(openrc, roles)}`
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
    for (const secret of confPasswords(conf)) registerSecret(secret)
    if (hasTestAccounts(conf)) {
      return {
        path: opts.tempestConf,
        note: opts.openrc
          ? `'${Input.Openrc}' not used: ${opts.tempestConf} already names its test accounts`
          : undefined
      }
    }
    if (!opts.openrc) {
      throw new ActionError(
        `Input '${Input.TempestConf}': ${opts.tempestConf} names no test accounts ([auth] test_accounts_file)${usesDynamicCredentials(conf) ? ' and uses dynamic credentials, the openstack-ansible default' : ''}, so refstack-client stops with "User credentials cannot be found"`,
        `Set '${Input.Openrc}' to an openrc on the target (openstack-ansible: 'openrc: /root/openrc') and the action writes an accounts file and runs a copy of the config with it, or point '${Input.TempestConf}' at a tempest.conf with [auth] use_dynamic_credentials = false and test_accounts_file`
      )
    }
    const openrc = await readOpenrc(target, opts.openrc)
    return copyWithAccounts(target, opts.tempestConf, text, conf, openrc, python, confDir)
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

export interface ReadyConf {
  conf: CheckedConf
  note?: string
}

/** Step 1's end: the given tempest.conf, a copy using an accounts file written from the openrc, or one generated from it. */
export async function prepareConf(target: Target, config: Config, toolchain: Toolchain): Promise<ReadyConf> {
  const prepared = await prepareTempestConf(target, { ...config, python: toolchain.clientPython })
  if (prepared.note) core.info(prepared.note)
  return { conf: await checkTempestConf(target, prepared.path), note: prepared.note }
}
