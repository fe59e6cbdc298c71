/**
 * Gets refstack-client onto the target around a Tempest: the operator's own when the target has one
 * (openstack-ansible's venv, the runbook's refstack-client checkout, a tempest on PATH, or the one
 * `tempest-path` names), else refstack-client's own (Debian/Ubuntu packages, or a git checkout with
 * refstack-client's setup_env). An operator's Tempest is never replaced, upgraded or shadowed: refstack-client
 * is run against it. A marker in the workdir records what the action installed, so a warm run costs one probe.
 */
import * as core from '@actions/core'
import { readFileSync } from 'node:fs'
import * as path from 'node:path'
import type { Config } from '../config.js'
import { Input } from '../constants.js'
import { ActionError, lastLines } from '../errors.js'
import { installPythonProgram } from '../python/programs.js'
import { quoteArg } from '../target/quote.js'
import type { Target } from '../target/target.js'
import { installApt, installGit, logged } from './install.js'
import { checkTargetInputs } from './target-inputs.js'

/** The Tempest a run uses. */
export interface TempestInstall {
  /** Its tempest executable. */
  executable: string
  /** The Python it runs with. */
  python: string
  /** The tempest distribution's version ('unknown' when its Python cannot tell). */
  version: string
  /** The workspace the run happens in (results land in <workspace>/.stestr/N). */
  workspace: string
  /** 'operator': found on the target and used as it is; 'refstack-client': refstack-client's own. */
  owner: 'operator' | 'refstack-client'
}

export interface Toolchain {
  /** Command that runs refstack-client on the target. */
  refstackClient: string
  /** refstack-client's Tempest workspace: results land in <tempestDir>/.stestr/N. */
  tempestDir: string
  /** The Python that runs Tempest (for helper scripts run on the target). */
  python: string
  /** The Python that runs refstack-client (and python-tempestconf). */
  clientPython: string
  origin: 'existing' | 'apt' | 'git'
  /** refstack-client's package version or git commit, for the report. */
  version: string
  /** The Tempest that runs; filled in by provision(). */
  tempest?: TempestInstall
  /** What this run installed on the target, in one sentence (absent: nothing). */
  installed?: string
}

/** Debian's refstack-client hard-codes its Tempest workspace. */
const DEBIAN_TEMPEST_DIR = '/var/lib/tempest'
/** openstack-ansible's Tempest workspace (Stein and later), made by `tempest init`. */
const OSA_WORKSPACE = '/root/workspace'
const TEMPEST_INIT_TIMEOUT_MS = 2 * 60_000

/** The keys of probe.sh's output; marker: what an earlier run of the action installed, "<origin> <version> <date> …". */
const PROBE_KEYS = [
  'path',
  'git',
  'gitcommit',
  'debian-workspace',
  'dpkg',
  'apt',
  'marker',
  'given-tempest',
  'runbook',
  'path-tempest'
] as const
export type Probe = Record<(typeof PROBE_KEYS)[number], string> & {
  /** openstack-ansible's Tempest executables, /openstack/venvs/tempest-<tag>/bin/tempest. */
  osaTempest: string[]
}

/** probe.sh's key=value lines (an absent key: empty). */
export function parseProbe(stdout: string): Probe {
  const values = new Map<string, string>()
  const osaTempest: string[] = []
  for (const line of stdout.split('\n')) {
    const eq = line.indexOf('=')
    if (eq <= 0) continue
    const key = line.slice(0, eq)
    const value = line.slice(eq + 1).trim()
    if (key === 'osa-tempest') {
      if (value !== '') osaTempest.push(value)
    } else values.set(key, value)
  }
  return {
    ...(Object.fromEntries(PROBE_KEYS.map((key) => [key, values.get(key) ?? ''])) as Record<
      (typeof PROBE_KEYS)[number],
      string
    >),
    osaTempest
  }
}

/** What is usable as it is, or undefined. Pure: decided from the probe. */
export function existingToolchain(probe: Probe, workdir: string): Toolchain | undefined {
  if (probe.git !== '') {
    return {
      refstackClient: probe.git,
      tempestDir: `${workdir}/refstack-client/.tempest`,
      python: `${workdir}/refstack-client/.tempest/.venv/bin/python`,
      clientPython: `${workdir}/refstack-client/.venv/bin/python`,
      origin: 'existing',
      version: `git ${probe.gitcommit.slice(0, 12)}`
    }
  }
  if (probe.path !== '' && probe['debian-workspace'] === 'yes') {
    return {
      refstackClient: probe.path,
      tempestDir: DEBIAN_TEMPEST_DIR,
      python: '/usr/bin/python3',
      clientPython: '/usr/bin/python3',
      origin: 'existing',
      version: probe.dpkg === '' ? 'unknown' : `deb ${probe.dpkg}`
    }
  }
  return undefined
}

/** The operator's Tempest to run refstack-client against: a tempest executable and where it was found. */
export type OperatorTempest =
  | { kind: 'given' | 'openstack-ansible' | 'path'; executable: string }
  /** The runbook's refstack-client checkout: its refstack-client and its .tempest, used as they are. */
  | { kind: 'runbook'; checkout: string }

/**
 * Which Tempest the target already has, in this order: the one `tempest-path` names; openstack-ansible's venv
 * (exactly one, else `tempest-path` must choose); the runbook's refstack-client checkout; a `tempest` on PATH
 * unless refstack-client's own toolchain is there and `tempest-workspace` is empty. Undefined: none (refstack-client's own Tempest is used), or
 * `install: git`, which asks for refstack-client's own. Pure.
 */
export function operatorTempest(
  probe: Probe,
  config: Pick<Config, 'install' | 'tempestPath' | 'tempestWorkspace' | 'workdir'>
): OperatorTempest | undefined {
  if (config.tempestPath !== undefined) {
    if (probe['given-tempest'] === '') {
      throw new ActionError(
        `Input '${Input.TempestPath}': no tempest executable at ${config.tempestPath} (looked for ${config.tempestPath}/bin/tempest, ${config.tempestPath}/tempest and the path itself)`,
        `Point '${Input.TempestPath}' at a Tempest virtualenv (e.g. /openstack/venvs/tempest-<tag>), its bin directory or the tempest executable, or leave it empty to use the one found`
      )
    }
    return { kind: 'given', executable: probe['given-tempest'] }
  }
  if (config.install === 'git') return undefined
  if (probe.osaTempest.length > 1) {
    throw new ActionError(
      `Several openstack-ansible Tempest virtualenvs on the target: ${probe.osaTempest.map((t) => path.posix.dirname(path.posix.dirname(t))).join(', ')}`,
      `Set '${Input.TempestPath}' to the one to run (openstack-ansible's current release is the one its inventory names as venv_tag)`
    )
  }
  if (probe.osaTempest.length === 1) return { kind: 'openstack-ansible', executable: probe.osaTempest[0] }
  if (probe.runbook !== '') return { kind: 'runbook', checkout: probe.runbook }
  // refstack-client's own toolchain runs in its fixed workspace (Debian's /var/lib/tempest): a workspace the
  // input names is run around the Tempest on PATH instead, so that it is used and never silently ignored.
  const ownToolchain = existingToolchain(probe, config.workdir) !== undefined
  if ((!ownToolchain || config.tempestWorkspace !== undefined) && probe['path-tempest'] !== '')
    return { kind: 'path', executable: probe['path-tempest'] }
  return undefined
}

/** Where to look for a Tempest's workspace, in order (pure): the input, openstack-ansible's, the venv's own. */
export function workspaceCandidates(executable: string, given?: string): string[] {
  if (given !== undefined) return [given]
  const prefix = path.posix.dirname(path.posix.dirname(executable))
  const candidates = [OSA_WORKSPACE, path.posix.join(prefix, 'workspace')]
  if (executable === '/usr/bin/tempest') candidates.push(DEBIAN_TEMPEST_DIR)
  return candidates
}

/** probe.sh (copied next to the bundle by ncc) run on the target. */
async function probe(target: Target, config: Config): Promise<Probe> {
  const script = readFileSync(new URL('./probe.sh', import.meta.url), 'utf8')
  const result = await target.exec([
    'sh',
    '-c',
    script,
    'sh',
    config.workdir,
    DEBIAN_TEMPEST_DIR,
    config.tempestPath ?? ''
  ])
  return parseProbe(result.stdout)
}

/** tempest-info.sh run on the target: the Python, version and workspace of the Tempest at `executable`. */
async function describeTempest(
  target: Target,
  executable: string,
  candidates: readonly string[]
): Promise<{ python: string; version: string; workspace?: string }> {
  const script = readFileSync(new URL('./tempest-info.sh', import.meta.url), 'utf8')
  const result = await target.exec(['sh', '-c', script, 'sh', executable, ...candidates])
  const values = new Map(
    result.stdout
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1).trim()] as const)
  )
  const python = values.get('python') ?? ''
  if (result.code !== 0 || python === '') {
    throw new ActionError(
      `Cannot tell which Python runs ${executable} on ${target.description} (its first line names none)`,
      `Point '${Input.TempestPath}' at a Tempest installed by pip or a distribution package`
    )
  }
  const workspace = values.get('workspace')
  return { python, version: values.get('version') || 'unknown', workspace: workspace || undefined }
}

/** The tempest-version input against the version found; only a Tempest the action installed may differ. */
function checkVersion(config: Config, tempest: TempestInstall): void {
  if (config.tempestVersion === undefined || config.tempestVersion === tempest.version) return
  throw new ActionError(
    `Input '${Input.TempestVersion}' asks for Tempest ${config.tempestVersion}, but the Tempest at ${tempest.executable} on the target is ${tempest.version}`,
    `The action never replaces a Tempest it did not install: leave '${Input.TempestVersion}' empty to run this one, point '${Input.TempestPath}' at a Tempest of that version, or set '${Input.Install}: git' to run refstack-client's own Tempest at that version`
  )
}

/** A workspace for `executable` in the workdir (`tempest init`), when its own has none. */
async function initWorkspace(target: Target, executable: string, workdir: string): Promise<string> {
  const workspace = path.posix.join(workdir, 'tempest-workspace')
  const exists = await target.exec(['test', '-f', `${workspace}/.stestr.conf`])
  if (exists.code === 0) return workspace
  core.info(`No Tempest workspace found for ${executable}: making ${workspace} with tempest init`)
  const result = await logged(target, [executable, 'init', workspace], { timeoutMs: TEMPEST_INIT_TIMEOUT_MS })
  if (result.code !== 0) {
    throw new ActionError(
      `'${executable} init ${workspace}' failed on ${target.description} (exit ${result.code}):\n${lastLines(result.stderr || result.stdout, 15)}`,
      `Set '${Input.TempestWorkspace}' to a workspace made with 'tempest init'`
    )
  }
  return workspace
}

/** The workspace `config` names, checked; or the found one; or a new one in the workdir. */
async function workspaceFor(
  target: Target,
  config: Config,
  executable: string,
  found: string | undefined
): Promise<string> {
  if (found !== undefined) return found
  if (config.tempestWorkspace !== undefined) {
    throw new ActionError(
      `Input '${Input.TempestWorkspace}': ${config.tempestWorkspace} on ${target.description} is not a Tempest workspace (no .stestr.conf)`,
      `Make it with '${executable} init ${config.tempestWorkspace}', or leave '${Input.TempestWorkspace}' empty`
    )
  }
  return initWorkspace(target, executable, config.workdir)
}

/**
 * refstack-client around an operator's Tempest: Debian's refstack-client (installed with apt when missing),
 * run by a wrapper in <workdir>/bin that puts that Tempest first in PATH and its workspace in place of
 * Debian's fixed /var/lib/tempest.
 */
async function aroundOperatorTempest(
  target: Target,
  config: Config,
  before: Probe,
  executable: string
): Promise<Toolchain> {
  const info = await describeTempest(
    target,
    executable,
    workspaceCandidates(executable, config.tempestWorkspace)
  )
  const workspace = await workspaceFor(target, config, executable, info.workspace)
  const tempest: TempestInstall = {
    executable,
    python: info.python,
    version: info.version,
    workspace,
    owner: 'operator'
  }
  checkVersion(config, tempest)
  core.info(
    `Tempest ${tempest.version} found on ${target.description}: ${executable} (workspace ${workspace}); the run uses it as it is`
  )
  let probed = before
  let installed: string | undefined
  if (probed.path === '') {
    if (config.install === 'none' || before.apt === '') {
      throw new ActionError(
        `refstack-client was not found on ${target.description}, to run the Tempest at ${executable}`,
        before.apt === ''
          ? `Install refstack-client on the target yourself (the target has no apt-get), or set '${Input.Install}: git' to run refstack-client's own Tempest instead`
          : `Install the Debian/Ubuntu package 'refstack-client' on the target, or set '${Input.Install}: auto' to let the action install it`
      )
    }
    await installApt(target, ['refstack-client'], config.targetEnv)
    probed = await probe(target, config)
    if (probed.path === '') {
      throw new ActionError(`apt installed refstack-client on ${target.description}, but it is not on PATH`)
    }
    installed = `refstack-client ${probed.dpkg} (Debian/Ubuntu package, with the dependencies apt chose) — ${executable} still runs the tests`
    await target.writeFile(
      `${config.workdir}/provisioned`,
      `apt deb ${probed.dpkg} ${new Date().toISOString()} around=${executable}\n`,
      0o644
    )
  }
  const launcher = await installPythonProgram(target, config.workdir, 'refstack_client_around.py')
  const wrapper = `${config.workdir}/bin/refstack-client`
  const template = readFileSync(new URL('./refstack-client-around.sh', import.meta.url), 'utf8')
  const values = [
    `bin=${quoteArg(path.posix.dirname(executable))}`,
    `workers=${quoteArg(`${config.workdir.replace(/\/+$/, '')}/tempest-workers`)}`,
    `client_python=${quoteArg('/usr/bin/python3')}`,
    `launcher=${quoteArg(launcher)}`,
    `workspace=${quoteArg(workspace)}`
  ].join('\n')
  await target.writeFile(wrapper, template.replace('# @VALUES@', values), 0o755)
  return {
    refstackClient: wrapper,
    tempestDir: workspace,
    python: info.python,
    clientPython: '/usr/bin/python3',
    origin: installed === undefined ? 'existing' : 'apt',
    version: probed.dpkg === '' ? `${probed.path}` : `deb ${probed.dpkg}`,
    tempest,
    installed
  }
}

/** The runbook's checkout as it is: its refstack-client, its .tempest. */
async function runbookToolchain(target: Target, config: Config, checkout: string): Promise<Toolchain> {
  const executable = `${checkout}/.tempest/.venv/bin/tempest`
  const info = await describeTempest(target, executable, [`${checkout}/.tempest`])
  const tempest: TempestInstall = {
    executable,
    python: info.python,
    version: info.version,
    workspace: `${checkout}/.tempest`,
    owner: 'operator'
  }
  checkVersion(config, tempest)
  const commit = await target.exec(['git', '-C', checkout, 'rev-parse', 'HEAD'])
  core.info(
    `refstack-client found on ${target.description}: ${checkout} with Tempest ${tempest.version} in ${checkout}/.tempest; the run uses them as they are`
  )
  return {
    refstackClient: `${checkout}/.venv/bin/refstack-client`,
    tempestDir: `${checkout}/.tempest`,
    python: info.python,
    clientPython: `${checkout}/.venv/bin/python`,
    origin: 'existing',
    version: commit.code === 0 ? `git ${commit.stdout.trim().slice(0, 12)}` : `checkout ${checkout}`,
    tempest
  }
}

/** The Tempest of refstack-client's own toolchain (Debian's tempest on PATH, or setup_env's .tempest). */
async function ownTempest(target: Target, toolchain: Toolchain, probed: Probe): Promise<TempestInstall> {
  const executable =
    toolchain.tempestDir === DEBIAN_TEMPEST_DIR
      ? probed['path-tempest'] || '/usr/bin/tempest'
      : `${toolchain.tempestDir}/.venv/bin/tempest`
  const info = await describeTempest(target, executable, []).catch(() => ({
    python: toolchain.python,
    version: 'unknown'
  }))
  return {
    executable,
    python: info.python,
    version: info.version,
    workspace: toolchain.tempestDir,
    owner: 'refstack-client'
  }
}

/** The Tempest version a marker records (`tempest=<version>`; empty: setup_env's default). Pure. */
export function markerTempest(marker: string): string | undefined {
  return / tempest=(\S*)/.exec(marker)?.[1]
}

export async function provision(target: Target, config: Config): Promise<Toolchain> {
  const before = await probe(target, config)
  const operator = operatorTempest(before, config)
  if (operator?.kind === 'runbook') return runbookToolchain(target, config, operator.checkout)
  if (operator !== undefined) return aroundOperatorTempest(target, config, before, operator.executable)

  const existing = existingToolchain(before, config.workdir)
  const mode = config.install
  if (existing && reusable(existing, before, config)) {
    const by = before.marker === '' ? '' : `; provisioned by refstack-action: ${before.marker}`
    core.info(
      `refstack-client found on ${target.description}: ${existing.refstackClient} (${existing.version}${by})`
    )
    return { ...existing, tempest: await ownTempest(target, existing, before) }
  }
  if (mode === 'none') {
    throw new ActionError(
      `refstack-client was not found on ${target.description}${before.path !== '' ? ` (found ${before.path}, but not its Tempest workspace ${DEBIAN_TEMPEST_DIR}/.stestr.conf: install the 'tempest' package)` : ''}`,
      `Install it on the target, or set '${Input.Install}: auto' to let the action install it`
    )
  }
  // auto: the action's own checkout made for another tempest-version is made again the same way.
  const redoCheckout = existing !== undefined && before.marker.startsWith('git ')
  let origin: 'apt' | 'git' =
    mode === 'apt' || (mode === 'auto' && before.apt !== '' && !redoCheckout) ? 'apt' : 'git'
  if (origin === 'apt') {
    try {
      await installApt(target, ['refstack-client', 'tempest'], config.targetEnv)
    } catch (error) {
      // `auto` promises git when apt cannot: say why, then try it.
      if (mode !== 'auto') throw error
      core.warning(
        `${(error as Error).message.split('\n')[0].replace(/:$/, '')}; trying git (clone + setup_env) instead`
      )
      origin = 'git'
    }
  }
  if (origin === 'git') await installGit(target, config, config.targetEnv)
  const after = await probe(target, config)
  const toolchain = existingToolchain(after, config.workdir)
  if (!toolchain) {
    throw origin === 'apt'
      ? new ActionError(
          `apt installed refstack-client on ${target.description}, but it or ${DEBIAN_TEMPEST_DIR}/.stestr.conf is still missing`,
          `Install the 'tempest' package on the target`
        )
      : new ActionError(
          `setup_env finished but ${config.workdir}/refstack-client/.venv/bin/refstack-client does not exist on ${target.description}`,
          `Check the output of setup_env on the target`
        )
  }
  // Records what was installed, so a warm run of the same versions skips installing (and the log says why).
  const version =
    origin === 'apt'
      ? toolchain.version
      : `${config.refstackClientRef} ${toolchain.version.replace(/^git /, '')}`
  await target.writeFile(
    `${config.workdir}/provisioned`,
    `${origin} ${version} ${new Date().toISOString()}${origin === 'git' ? ` tempest=${config.tempestVersion ?? ''}` : ''}\n`,
    0o644
  )
  const tempest = await ownTempest(target, toolchain, after)
  const installed =
    origin === 'apt'
      ? `refstack-client and tempest (Debian/Ubuntu packages, ${toolchain.version})`
      : `refstack-client ${config.refstackClientRef} in ${config.workdir}/refstack-client, with Tempest ${tempest.version} from its setup_env`
  core.info(`Installed on ${target.description}: ${installed}`)
  return { ...toolchain, origin, tempest, installed }
}

/**
 * Whether what is there serves the requested install mode. Pure. `git` reuses a checkout only when the marker
 * says it was made from the same refstack-client-ref and tempest-version (a warm run skips the clone and
 * setup_env); so does `auto` when the checkout was made by the action for another tempest-version.
 */
function reusable(existing: Toolchain, probe: Probe, config: Config): boolean {
  const sameTempest = markerTempest(probe.marker) === (config.tempestVersion ?? '')
  const ownCheckout = probe.git !== '' && probe.marker.startsWith('git ')
  if (config.install === 'apt') return existing.tempestDir === DEBIAN_TEMPEST_DIR
  if (config.install === 'git')
    return probe.git !== '' && probe.marker.split(' ')[1] === config.refstackClientRef && sameTempest
  if (config.install === 'auto' && ownCheckout && config.tempestVersion !== undefined) return sameTempest
  return true // auto and none: whatever is there
}

/** Step 1: the inputs naming paths on the target checked, then refstack-client + Tempest provisioned. */
export async function provisionTarget(target: Target, config: Config): Promise<Toolchain> {
  await checkTargetInputs(target, config)
  return core.group(`Provision refstack-client and Tempest on ${target.description}`, async () => {
    const toolchain = await provision(target, config)
    const tempest = toolchain.tempest
    if (tempest !== undefined) {
      core.info(
        `The run uses Tempest ${tempest.version} at ${tempest.executable} (workspace ${tempest.workspace}) with refstack-client ${toolchain.version}`
      )
    }
    return toolchain
  })
}
