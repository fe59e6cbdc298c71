/**
 * Every input, read and validated once into one typed, frozen Config. The only file that calls
 * core.getInput*. Errors name the input, the bad value (unless secret) and what is accepted.
 */
import * as core from '@actions/core'
import * as os from 'node:os'
import * as path from 'node:path'
import { Input } from './constants.js'
import { ActionError } from './errors.js'
import {
  checkGitArgument,
  checkGuidelineFile,
  checkJunitFile,
  checkRefstackServerScheme,
  checkRegularFile,
  checkWritableDirectory
} from './input-checks.js'
import { PROGRAMS, type Program } from './guideline/model.js'
import { CLOUD_NAME, CLOUD_NAME_RULE } from './report/names.js'
import { loadSigningKey } from './refstack-api/upload.js'
import { registerSecret } from './secrets.js'
import { parseKnownHosts } from './target/known-hosts.js'
import { INTEROP_GUIDELINES_URL } from './guideline/source.js'
import { MAX_WORKERS, type Parallel, parseParallel } from './run/workers.js'
import { PREFLIGHT_MODES, type PreflightMode } from './preflight/modes.js'

export const GUIDELINE_SOURCES = ['auto', 'server', 'bundled'] as const
export type GuidelineSource = (typeof GUIDELINE_SOURCES)[number]

export const INSTALL_MODES = ['auto', 'apt', 'git', 'none'] as const
export type InstallMode = (typeof INSTALL_MODES)[number]

export interface SshConfig {
  host: string
  port: number
  user: string
  privateKey: string
  passphrase?: string
  knownHosts?: string
  strictHostKeyChecking: boolean
  jumpHost?: { host: string; port: number; user: string }
}

export interface Config {
  guideline: string
  guidelineSource: GuidelineSource
  program: Program
  capabilities: string[]
  openstackRelease?: string
  allowUncoveredRelease: boolean
  refstackServer: string
  /** Absent: run on the runner itself. */
  ssh?: SshConfig
  container?: string
  install: InstallMode
  refstackClientRepo: string
  refstackClientRef: string
  tempestVersion?: string
  /** The Tempest to run (a virtualenv, its bin directory or the executable); absent: found on the target. */
  tempestPath?: string
  /** The Tempest workspace to run in; absent: found with the Tempest, or made in workdir. */
  tempestWorkspace?: string
  workdir: string
  /**
   * What commands that install on the target (apt-get, git, setup_env) get of the runner's environment: its
   * proxies and pip's index and constraints (TARGET_ENV_NAMES), nothing else.
   */
  targetEnv: Record<string, string>
  tempestConf?: string
  openrc?: string
  cleanTestAccounts: boolean
  parallel: Parallel
  rerunFailures: number
  timeoutMinutes: number
  upload: boolean
  uploadKey?: string
  resultsFile?: string
  dryRun: boolean
  failOnNoncompliance: boolean
  junitFile?: string
  artifactName?: string
  reports?: string
  baseline?: string
  /** This cloud's name in report.json and fleet tables. */
  cloudName?: string
  /** Before the run: warn (report and go on), fail (stop when a required test is predicted not to pass), only, off. */
  preflight: PreflightMode
  /** Directory on the runner for the test list, the stream copy and the reports. */
  outputDir: string
  /** For a test list: skipped tests fail the run too (interop guidelines always fail on skips). */
  failOnSkipped: boolean
  /** Where interop guideline ids the RefStack server lacks are fetched from (see interopGuidelinesUrl()). */
  interopGuidelinesUrl: string
}

function text(name: string): string | undefined {
  const value = core.getInput(name).trim()
  return value === '' ? undefined : value
}

/** `cloud-name`: shown in summaries and fleet tables and stored in report.json, so only a name's characters. */
function cloudName(): string | undefined {
  const value = text(Input.CloudName)
  if (value === undefined || CLOUD_NAME.test(value)) return value
  const shown = JSON.stringify(value.length > 100 ? `${value.slice(0, 100)}…` : value)
  throw new ActionError(
    `Input '${Input.CloudName}' is not a cloud name (got ${shown})`,
    `Give ${CLOUD_NAME_RULE}, e.g. 'region-one'`
  )
}

function oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
  const value = (text(name) ?? fallback).toLowerCase()
  if (!(allowed as readonly string[]).includes(value)) {
    throw new ActionError(`Input '${name}' must be one of: ${allowed.join(', ')} (got '${value}')`)
  }
  return value as T
}

function bool(name: string, fallback: boolean): boolean {
  const value = text(name)
  if (value === undefined) return fallback
  if (/^(true|True|TRUE)$/.test(value)) return true
  if (/^(false|False|FALSE)$/.test(value)) return false
  throw new ActionError(`Input '${name}' must be 'true' or 'false' (got '${value}')`)
}

function parallel(): Parallel {
  const value = text(Input.Parallel) ?? 'false'
  const parsed = parseParallel(value)
  if (parsed === undefined) {
    throw new ActionError(
      `Input '${Input.Parallel}' must be 'true', 'false' or a number of Tempest workers from 1 to ${MAX_WORKERS} (got '${value}')`
    )
  }
  return parsed
}

function integer(name: string, fallback: number, min: number, max: number): number {
  const value = text(name)
  if (value === undefined) return fallback
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new ActionError(`Input '${name}' must be a whole number from ${min} to ${max} (got '${value}')`)
  }
  return Number(value)
}

function list(name: string): string[] {
  return (text(name) ?? '')
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter((item) => item !== '')
}

/** Remote paths are used on the target: they must be absolute, since the remote cwd is unknown. */
function remotePath(name: string): string | undefined {
  const value = text(name)
  if (value !== undefined && !value.startsWith('/')) {
    throw new ActionError(
      `Input '${name}' must be an absolute path on the target (got '${value}')`,
      `Write the full path, e.g. '/etc/tempest/tempest.conf'`
    )
  }
  return value
}

/** What @actions/artifact refuses in a name (its validateArtifactName): refused here, before the run, not after. */
const ARTIFACT_NAME_FORBIDDEN = ['"', ':', '<', '>', '|', '*', '?', '\r', '\n', '\\', '/']

function artifactName(): string | undefined {
  const value = text(Input.ArtifactName)
  const bad = value === undefined ? undefined : ARTIFACT_NAME_FORBIDDEN.find((c) => value.includes(c))
  if (bad !== undefined) {
    throw new ActionError(
      `Input '${Input.ArtifactName}' cannot contain ${JSON.stringify(bad)} (got ${JSON.stringify(value)})`,
      `Artifact names may not contain any of ${ARTIFACT_NAME_FORBIDDEN.map((c) => JSON.stringify(c)).join(' ')}: e.g. 'refstack-results-\${{ github.run_attempt }}', or '' for no artifact`
    )
  }
  return value
}

/** Parses '[user@]host[:port]'. */
export function parseJumpHost(
  value: string,
  defaultUser: string
): { host: string; port: number; user: string } {
  const match = /^(?:([^@\s]+)@)?([^@:\s]+|\[[^\]\s]+\])(?::(\d+))?$/.exec(value)
  const port = match?.[3] === undefined ? 22 : Number(match[3])
  if (!match || port < 1 || port > 65535) {
    throw new ActionError(
      `Input '${Input.SshJumpHost}' must look like '[user@]host[:port]' (got '${value}')`,
      `For example 'ubuntu@bastion.example.com:2222'`
    )
  }
  return { user: match[1] ?? defaultUser, host: match[2].replace(/^\[|\]$/g, ''), port }
}

function readSsh(): SshConfig | undefined {
  const host = text(Input.SshHost)
  const privateKey = core.getInput(Input.SshPrivateKey)
  const passphrase = core.getInput(Input.SshPassphrase)
  // Mask before anything can log them, also when the rest of the SSH inputs turn out to be invalid.
  registerSecret(privateKey)
  registerSecret(passphrase)
  if (host === undefined) {
    if (text(Input.SshJumpHost) !== undefined) {
      throw new ActionError(
        `Input '${Input.SshJumpHost}' needs '${Input.SshHost}'`,
        `Set '${Input.SshHost}' to the utility host reached through the bastion`
      )
    }
    return undefined
  }
  if (privateKey.trim() === '') {
    throw new ActionError(
      `Input '${Input.SshPrivateKey}' is required when '${Input.SshHost}' is set`,
      `Pass the key from a secret: 'ssh-private-key: \${{ secrets.UTILITY_SSH_KEY }}'`
    )
  }
  const strictHostKeyChecking = bool(Input.SshStrictHostKeyChecking, true)
  const knownHosts = text(Input.SshKnownHosts)
  if (strictHostKeyChecking && knownHosts === undefined) {
    throw new ActionError(
      `Input '${Input.SshKnownHosts}' is required when '${Input.SshHost}' is set`,
      `Pin the host key: run 'ssh-keyscan -p PORT HOST' from a trusted machine and pass its lines, or set '${Input.SshStrictHostKeyChecking}: false' to accept any key (not recommended)`
    )
  }
  // A line ssh2 cannot use would be skipped without a word, and the host key then fail to verify.
  for (const problem of parseKnownHosts(knownHosts ?? '').problems) {
    core.warning(`Input '${Input.SshKnownHosts}': ${problem}; that line is ignored`)
  }
  const user = text(Input.SshUser) ?? 'root'
  const jump = text(Input.SshJumpHost)
  return {
    host,
    port: integer(Input.SshPort, 22, 1, 65535),
    user,
    privateKey: privateKey.endsWith('\n') ? privateKey : `${privateKey}\n`,
    passphrase: passphrase === '' ? undefined : passphrase,
    knownHosts,
    strictHostKeyChecking,
    jumpHost: jump === undefined ? undefined : parseJumpHost(jump, user)
  }
}

/** The `refstack-server` URL without trailing slashes: one http(s) URL, no spaces anywhere in it. */
function refstackServerUrl(value: string): string {
  const url = value.replace(/\/+$/, '')
  let parsed: URL | undefined
  try {
    parsed = new URL(url)
  } catch {
    parsed = undefined
  }
  if (/\s/.test(url) || parsed === undefined || !/^https?:$/.test(parsed.protocol) || parsed.host === '') {
    throw new ActionError(
      `Input '${Input.RefstackServer}' must be an http(s) URL (got '${url}')`,
      `Give the API base URL without spaces, e.g. 'https://refstack.openstack.org/api'`
    )
  }
  return url
}

/**
 * The base URL of the published interop guidelines: opendev's openinfra/interop, or the environment variable
 * REFSTACK_ACTION_INTEROP_GUIDELINES_URL (a mirror for sites without access to opendev.org; tests point it at a
 * local server). Not an input: the published files do not move.
 */
function interopGuidelinesUrl(): string {
  const value = (process.env.REFSTACK_ACTION_INTEROP_GUIDELINES_URL ?? '').trim()
  if (value === '') return INTEROP_GUIDELINES_URL
  if (!/^https:\/\/[^\s/]+/.test(value)) {
    throw new ActionError(
      `Environment variable REFSTACK_ACTION_INTEROP_GUIDELINES_URL must be an https:// URL (got '${value}')`,
      `Set it to a mirror of ${INTEROP_GUIDELINES_URL}, or unset it`
    )
  }
  return value.replace(/\/+$/, '')
}

/**
 * The runner's variables that reach the commands installing on the target: the proxies (both spellings) and
 * pip's index and constraints. A proxy's password is registered as a secret.
 */
export const TARGET_ENV_NAMES = [
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'PIP_INDEX_URL',
  'PIP_EXTRA_INDEX_URL',
  'PIP_CONSTRAINT',
  'PIP_TRUSTED_HOST'
] as const

/** The runner's TARGET_ENV_NAMES that are set (not empty). */
export function targetEnvironment(env: NodeJS.ProcessEnv): Record<string, string> {
  const picked: Record<string, string> = {}
  for (const name of TARGET_ENV_NAMES) {
    const value = env[name]?.trim()
    if (value === undefined || value === '') continue
    picked[name] = value
    if (!/proxy|INDEX_URL/i.test(name)) continue
    try {
      const password = new URL(value).password
      if (password !== '') registerSecret(decodeURIComponent(password))
    } catch {
      // Not a URL (a host:port proxy): nothing secret in it to find.
    }
  }
  return picked
}

function outputDirectory(): string {
  const base = process.env.RUNNER_TEMP || os.tmpdir()
  const run = [process.env.GITHUB_RUN_ID, process.env.GITHUB_RUN_ATTEMPT, process.env.GITHUB_ACTION]
    .filter(Boolean)
    .join('-')
  return path.join(base, `refstack-action${run ? `-${run}` : `-${process.pid}`}`)
}

export function readConfig(): Readonly<Config> {
  const uploadKey = core.getInput(Input.UploadKey)
  registerSecret(uploadKey)
  const ssh = readSsh()

  const refstackServer = refstackServerUrl(text(Input.RefstackServer) ?? 'https://refstack.openstack.org/api')
  checkRefstackServerScheme(refstackServer)
  const container = text(Input.Container)
  if (container !== undefined && !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(container)) {
    throw new ActionError(
      `Input '${Input.Container}' must be an LXC container name or 'utility' (got '${container}')`
    )
  }

  const config: Config = {
    guideline: text(Input.Guideline) ?? 'latest',
    guidelineSource: oneOf(Input.GuidelineSource, GUIDELINE_SOURCES, 'auto'),
    program: oneOf(Input.Program, PROGRAMS, 'platform'),
    capabilities: list(Input.Capabilities),
    openstackRelease: text(Input.OpenstackRelease),
    allowUncoveredRelease: bool(Input.AllowUncoveredRelease, false),
    refstackServer,
    ssh,
    container,
    install: oneOf(Input.Install, INSTALL_MODES, 'auto'),
    refstackClientRepo: text(Input.RefstackClientRepo) ?? 'https://opendev.org/openinfra/refstack-client',
    refstackClientRef: text(Input.RefstackClientRef) ?? 'eb3c6d4957253cee8488e227a85863f2e58f6b77',
    tempestVersion: text(Input.TempestVersion),
    tempestPath: remotePath(Input.TempestPath),
    tempestWorkspace: remotePath(Input.TempestWorkspace),
    workdir: remotePath(Input.Workdir) ?? '/var/lib/refstack-action',
    targetEnv: targetEnvironment(process.env),
    tempestConf: remotePath(Input.TempestConf),
    openrc: remotePath(Input.Openrc),
    cleanTestAccounts: bool(Input.CleanTestAccounts, true),
    parallel: parallel(),
    rerunFailures: integer(Input.RerunFailures, 0, 0, 10),
    timeoutMinutes: integer(Input.TimeoutMinutes, 180, 1, 10080),
    upload: bool(Input.Upload, false),
    uploadKey: uploadKey.trim() === '' ? undefined : uploadKey,
    resultsFile: text(Input.ResultsFile),
    dryRun: bool(Input.DryRun, false),
    failOnNoncompliance: bool(Input.FailOnNoncompliance, true),
    junitFile: text(Input.JunitFile),
    artifactName: artifactName(),
    reports: text(Input.Reports),
    baseline: text(Input.Baseline),
    cloudName: cloudName(),
    preflight: oneOf(Input.Preflight, PREFLIGHT_MODES, 'warn'),
    outputDir: outputDirectory(),
    failOnSkipped: bool(Input.FailOnSkipped, false),
    interopGuidelinesUrl: interopGuidelinesUrl()
  }

  checkGitArgument(Input.RefstackClientRepo, config.refstackClientRepo)
  if (config.install === 'git' && (config.tempestPath ?? config.tempestWorkspace) !== undefined) {
    const given = config.tempestPath !== undefined ? Input.TempestPath : Input.TempestWorkspace
    throw new ActionError(
      `Input '${given}' names a Tempest already on the target, but '${Input.Install}: git' installs refstack-client's own`,
      `Set '${Input.Install}' to auto, apt or none to run the Tempest at '${given}', or leave '${given}' empty`
    )
  }
  checkWritableDirectory(Input.Workdir, config.workdir)
  if (config.resultsFile !== undefined) checkRegularFile(Input.ResultsFile, config.resultsFile)
  checkGuidelineFile(config.guideline)
  checkGitArgument(Input.RefstackClientRef, config.refstackClientRef)
  // Fleet mode only reads reports: inputs that would run, upload or compare one cloud are a mistake.
  const notWithReports = [
    [Input.ResultsFile, config.resultsFile],
    [Input.Baseline, config.baseline],
    [Input.DryRun, config.dryRun || undefined],
    [Input.Upload, config.upload || undefined]
  ] as const
  const clash = notWithReports.find(([, value]) => config.reports !== undefined && value !== undefined)
  if (clash) {
    throw new ActionError(
      `Input '${clash[0]}' cannot be used with '${Input.Reports}'`,
      `'${Input.Reports}' only summarises the reports earlier runs wrote: set '${clash[0]}' in those runs' steps`
    )
  }
  if (config.upload && config.resultsFile) {
    throw new ActionError(
      `Input '${Input.Upload}' cannot be used with '${Input.ResultsFile}'`,
      `The upload needs the run's cloud id (CPID) from its tempest.conf: upload in the step that runs Tempest`
    )
  }
  // Files the run writes on the runner, and the key it signs with, are checked now, not after the run.
  if (config.junitFile !== undefined) checkJunitFile(config.junitFile, config.resultsFile)
  if (config.upload && config.uploadKey !== undefined) loadSigningKey(config.uploadKey)
  if (!config.dryRun && !config.resultsFile && !config.reports && !config.tempestConf && !config.openrc) {
    throw new ActionError(
      `Input '${Input.TempestConf}' is required to run Tempest`,
      `Set it to the path of tempest.conf on the target (openstack-ansible since Stein: '/etc/tempest/tempest.conf' or '/root/workspace/etc/tempest.conf'; Mitaka: '/opt/tempest_untagged/etc/tempest.conf'), or set '${Input.Openrc}' to generate one`
    )
  }
  return Object.freeze(config)
}
