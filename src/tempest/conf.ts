/**
 * tempest.conf, checked on the target before anything runs: refstack-client otherwise fails deep inside
 * Tempest (a missing log_dir ends test discovery with a ~200 KB traceback that hides the cause).
 * Its secret options' values and its accounts' passwords are masked before anything is logged.
 */
import * as path from 'node:path'
import YAML from 'yaml'
import { Input } from '../constants.js'
import { ActionError } from '../errors.js'
import { registerSecret } from '../secrets.js'
import type { Target } from '../target/target.js'
import { readInputFile } from '../toolchain/target-inputs.js'
import { REFSTACK_CLIENT_SECRET_OPTIONS, TEMPEST_SECRET_OPTIONS } from './secret-options.js'

export type TempestConf = Record<string, Record<string, string>>

export interface CheckedConf {
  path: string
  conf: TempestConf
  /** [auth] test_accounts_file, when set. */
  accountsFile?: string
  /** [oslo_concurrency] lock_path, where Tempest allocates test accounts. */
  lockPath?: string
  /** The Tempest log file, when [DEFAULT] log_dir / log_file name one. */
  logFile?: string
  /** The parsed accounts file, when the config names one. */
  accounts: Array<Record<string, unknown>>
}

/** One line of tempest.conf as oslo.config reads it; `other` is a comment or a line it cannot read. */
export type ConfLine =
  | { kind: 'section'; name: string }
  | { kind: 'option'; key: string; value: string }
  | { kind: 'continuation'; text: string }
  | { kind: 'blank' | 'other' }

/**
 * A line by oslo.config's rules (oslo_config/iniparser.py), shared by the reader and the editor:
 * `[section]` lines; `key = value` or `key: value` (split at the first `=` or `:`, whichever comes first);
 * `#` and `;` start a comment only at the start of a line, so `password = pa;ss#word` is the whole
 * `pa;ss#word`; a line starting with a space or tab continues the previous value; one pair of matching quotes
 * around the first line's value is removed. Pure.
 */
export function confLine(raw: string): ConfLine {
  const line = raw.trimEnd()
  if (line === '') return { kind: 'blank' }
  if (line.startsWith(' ') || line.startsWith('\t')) return { kind: 'continuation', text: line.trimStart() }
  if (line.startsWith('[')) {
    return line.endsWith(']') && line.length > 2
      ? { kind: 'section', name: line.slice(1, -1) }
      : { kind: 'other' }
  }
  if (line.startsWith('#') || line.startsWith(';')) return { kind: 'other' }
  const equal = line.indexOf('=')
  const colon = line.indexOf(':')
  const at = colon < 0 || (equal >= 0 && equal < colon) ? equal : colon
  if (at <= 0 || line.slice(0, at).trim() === '') return { kind: 'other' }
  const first = line.slice(at + 1).trim()
  const value = /^["']/.test(first) && first.endsWith(first[0]) ? first.slice(1, -1) : first
  return { kind: 'option', key: line.slice(0, at).trim(), value }
}

/**
 * tempest.conf as oslo.config reads it, the one reader every caller shares (lines: see confLine): continuation
 * lines join the value with newlines, any other line ends it, the last assignment wins. Lines it cannot read
 * (a key before any section, a continuation without a key) are skipped, as Tempest would fail on them itself
 * with a clearer message. Pure.
 */
export function parseTempestConf(text: string): TempestConf {
  const conf: TempestConf = {}
  let section: string | undefined
  let key: string | undefined
  for (const raw of text.split(/\r?\n/)) {
    const line = confLine(raw)
    if (line.kind === 'continuation') {
      if (section !== undefined && key !== undefined) conf[section][key] += `\n${line.text}`
      continue
    }
    key = undefined
    if (line.kind === 'section') {
      section = line.name
      conf[section] ??= {}
    } else if (line.kind === 'option' && section !== undefined) {
      key = line.key
      conf[section][key] = line.value
    }
  }
  return conf
}

/** A non-empty option of a parsed tempest.conf, trimmed. */
export function confOption(conf: TempestConf, section: string, key: string): string | undefined {
  const value = conf[section]?.[key]?.trim()
  return value === undefined || value === '' ? undefined : value
}

/** An option name as oslo.config matches it: dashes and underscores alike. */
const optionName = (name: string): string => name.trim().toLowerCase().replace(/-/g, '_')

const SECRET_OPTIONS = new Set(
  [...TEMPEST_SECRET_OPTIONS, ...REFSTACK_CLIENT_SECRET_OPTIONS].map(([s, o]) => `${s}/${optionName(o)}`)
)

/**
 * The secrets a tempest.conf holds: the values of the options oslo.config marks secret (secret-options.ts),
 * never another option's (a `change_password = false` is a feature flag, not a password). Pure.
 */
export function confSecrets(conf: TempestConf): string[] {
  const found: string[] = []
  for (const [section, values] of Object.entries(conf)) {
    for (const [key, value] of Object.entries(values)) {
      if (SECRET_OPTIONS.has(`${section}/${optionName(key)}`) && value.trim() !== '') found.push(value.trim())
    }
  }
  return found
}

/** Passwords of a parsed Tempest accounts file (YAML list of {username, password, …}). */
function passwordsOf(accounts: Array<Record<string, unknown>>): string[] {
  return accounts
    .map((account) => account?.password)
    .filter((password) => password !== undefined && password !== null)
    .map(String)
    .filter((password) => password !== '')
}

/** Whether the config names credentials refstack-client can use (accounts file, or the legacy identity user). */
export function hasTestAccounts(conf: TempestConf): boolean {
  return (
    confOption(conf, 'auth', 'test_accounts_file') !== undefined ||
    (confOption(conf, 'identity', 'username') !== undefined &&
      confOption(conf, 'identity', 'password') !== undefined)
  )
}

/** [auth] use_dynamic_credentials, whose default is true. */
export function usesDynamicCredentials(conf: TempestConf): boolean {
  return (confOption(conf, 'auth', 'use_dynamic_credentials') ?? 'true').toLowerCase() === 'true'
}

/**
 * The Keystone URL refstack-client needs of the config, checked from its text (pure; the test accounts were
 * made sure of when the config was prepared). Returns the problems, each a sentence naming what to change.
 */
export function confProblems(conf: TempestConf, confPath: string): string[] {
  const problems: string[] = []
  const authVersion = confOption(conf, 'identity', 'auth_version') ?? 'v3'
  const uriKey = authVersion === 'v2' ? 'uri' : 'uri_v3'
  const uri = confOption(conf, 'identity', uriKey)
  if (!uri) {
    problems.push(
      `${confPath} has no [identity] ${uriKey}: set it to the Keystone URL (e.g. https://keystone.example.com:5000/v3)`
    )
  } else if (!/^https?:\/\//.test(uri)) {
    problems.push(`${confPath} [identity] ${uriKey} must start with http:// or https:// (got '${uri}')`)
  }
  return problems
}

/**
 * Sections that appear twice: oslo.config (Tempest) merges them, but refstack-client reads the file with Python's
 * configparser, which stops on a repeated section (DuplicateSectionError) before any test runs. Pure.
 */
export function repeatedSectionProblems(text: string, confPath: string): string[] {
  const seen = new Set<string>()
  const repeated = new Set<string>()
  for (const raw of text.split(/\r?\n/)) {
    const line = confLine(raw)
    if (line.kind !== 'section') continue
    if (seen.has(line.name)) repeated.add(line.name)
    seen.add(line.name)
  }
  return [...repeated].map(
    (name) =>
      `${confPath} has the section [${name}] more than once, which refstack-client's configparser refuses (DuplicateSectionError): merge them into one`
  )
}

/** Checks the config and every file and directory it names on the target; masks its secrets. */
export async function checkTempestConf(target: Target, confPath: string): Promise<CheckedConf> {
  const text = await readInputFile(target, Input.TempestConf, confPath)
  const conf = parseTempestConf(text)
  for (const secret of confSecrets(conf)) registerSecret(secret)
  const problems = [...repeatedSectionProblems(text, confPath), ...confProblems(conf, confPath)]
  const base = path.posix.dirname(confPath)
  const resolve = (p: string): string => (p.startsWith('/') ? p : path.posix.join(base, p))
  const accountsFile = confOption(conf, 'auth', 'test_accounts_file')
  const logDir = confOption(conf, 'DEFAULT', 'log_dir')
  const logFile = confOption(conf, 'DEFAULT', 'log_file')
  const lockPath = confOption(conf, 'oslo_concurrency', 'lock_path')
  const needed: Array<[string, string, 'f' | 'd']> = []
  if (accountsFile) needed.push(['[auth] test_accounts_file', resolve(accountsFile), 'f'])
  if (logDir) needed.push(['[DEFAULT] log_dir', resolve(logDir), 'd'])
  if (lockPath) needed.push(['[oslo_concurrency] lock_path', resolve(lockPath), 'd'])
  for (const [name, file, kind] of needed) {
    const test = await target.exec(['test', `-${kind}`, file, '-a', '-r', file])
    if (test.code !== 0) {
      problems.push(
        `${name} = ${file} ${kind === 'd' ? 'is not a readable directory' : 'is not a readable file'} on ${target.description}: create it or fix the option in ${confPath}`
      )
    }
  }
  const parsedAccounts: Array<Record<string, unknown>> = []
  if (accountsFile && problems.length === 0) {
    const accounts = (await target.readFile(resolve(accountsFile))).toString('utf8')
    let parsed: unknown
    try {
      parsed = YAML.parse(accounts)
    } catch (error) {
      throw new ActionError(
        `${resolve(accountsFile)} (tempest.conf [auth] test_accounts_file) is not valid YAML: ${(error as Error).message}`
      )
    }
    if (Array.isArray(parsed)) parsedAccounts.push(...(parsed as Array<Record<string, unknown>>))
    const passwords = passwordsOf(parsedAccounts)
    for (const password of passwords) registerSecret(password)
    if (passwords.length === 0) {
      problems.push(
        `${resolve(accountsFile)} (tempest.conf [auth] test_accounts_file) lists no accounts with a password`
      )
    }
  }
  if (problems.length > 0) {
    throw new ActionError(`Input '${Input.TempestConf}': ${problems.join('; ')}`)
  }
  return {
    path: confPath,
    conf,
    accountsFile: accountsFile ? resolve(accountsFile) : undefined,
    logFile: logDir && logFile ? path.posix.join(resolve(logDir), logFile) : undefined,
    lockPath: lockPath ? resolve(lockPath) : undefined,
    accounts: parsedAccounts
  }
}
