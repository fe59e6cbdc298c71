/**
 * Gets refstack-client and Tempest onto the target: use what is there, Debian/Ubuntu packages, or a git
 * checkout with refstack-client's setup_env. A marker in the workdir records what was provisioned, so a
 * warm run costs one probe.
 */
import * as core from '@actions/core'
import { readFileSync } from 'node:fs'
import type { Config } from '../config.js'
import { Input } from '../constants.js'
import { ActionError, lastLines } from '../errors.js'
import type { Target } from '../target/target.js'
import { checkTargetInputs } from './target-inputs.js'

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
  /** Package version or git commit, for the report. */
  version: string
}

/** Debian's refstack-client hard-codes its Tempest workspace. */
const DEBIAN_TEMPEST_DIR = '/var/lib/tempest'

/** The keys of probe.sh's output; marker: what an earlier run of the action installed, "<origin> <version> <date>". */
const PROBE_KEYS = ['path', 'git', 'gitcommit', 'debian-workspace', 'dpkg', 'apt', 'marker'] as const
export type Probe = Record<(typeof PROBE_KEYS)[number], string>

/** probe.sh's key=value lines (an absent key: empty). */
export function parseProbe(stdout: string): Probe {
  const values = new Map<string, string>()
  for (const line of stdout.split('\n')) {
    const eq = line.indexOf('=')
    if (eq > 0) values.set(line.slice(0, eq), line.slice(eq + 1).trim())
  }
  return Object.fromEntries(PROBE_KEYS.map((key) => [key, values.get(key) ?? ''])) as Probe
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

/** probe.sh (copied next to the bundle by ncc) run on the target. */
async function probe(target: Target, workdir: string): Promise<Probe> {
  const script = readFileSync(new URL('./probe.sh', import.meta.url), 'utf8')
  const result = await target.exec(['sh', '-c', script, 'sh', workdir, DEBIAN_TEMPEST_DIR])
  return parseProbe(result.stdout)
}

async function installApt(target: Target): Promise<void> {
  core.info(`Installing refstack-client and tempest with apt on ${target.description}`)
  const env = { DEBIAN_FRONTEND: 'noninteractive' }
  const install = ['apt-get', 'install', '-y', '-q', '--no-install-recommends', 'refstack-client', 'tempest']
  let result = await target.exec(install, { env })
  if (result.code !== 0) {
    core.info('apt-get install failed; updating the package lists and trying once more')
    await target.exec(['apt-get', 'update', '-q'], { env })
    result = await target.exec(install, { env })
  }
  if (result.code !== 0) {
    throw new ActionError(
      `Installing refstack-client with apt failed on ${target.description} (exit ${result.code}):\n${lastLines(result.stderr || result.stdout, 20)}`,
      `Install the Debian/Ubuntu packages 'refstack-client' and 'tempest' on the target yourself, or set '${Input.Install}: git'`
    )
  }
}

async function installGit(target: Target, config: Config): Promise<void> {
  const checkout = `${config.workdir}/refstack-client`
  core.info(`Cloning ${config.refstackClientRepo} at ${config.refstackClientRef} into ${checkout}`)
  const steps: string[][] = [
    ['mkdir', '-p', config.workdir],
    ['rm', '-rf', checkout],
    // `--`: the repository is an argument, never an option (`--upload-pack=…` runs a command).
    ['git', 'clone', '--quiet', '--', config.refstackClientRepo, checkout],
    [
      'git',
      '-C',
      checkout,
      '-c',
      'advice.detachedHead=false',
      'checkout',
      '--quiet',
      config.refstackClientRef
    ]
  ]
  for (const argv of steps) {
    const result = await target.exec(argv)
    if (result.code !== 0) {
      throw new ActionError(
        `'${argv.slice(0, 2).join(' ')}' failed on ${target.description} (exit ${result.code}):\n${lastLines(result.stderr || result.stdout, 20)}`,
        `Check '${Input.RefstackClientRepo}' and '${Input.RefstackClientRef}' (the target must reach the repository)`
      )
    }
  }
  // -q: no prompt when .tempest exists; -p 3: the system python3; -t: the Tempest tag or commit.
  const setup = [
    './setup_env',
    '-q',
    '-p',
    '3',
    ...(config.tempestVersion ? ['-t', config.tempestVersion] : [])
  ]
  core.info(`Running ${setup.join(' ')} (needs PyPI and opendev.org from the target)`)
  const result = await target.exec(['sh', '-c', 'cd "$1" && shift && exec "$@"', 'sh', checkout, ...setup], {
    onStdout: (chunk) => core.debug(chunk.toString('utf8').trimEnd()),
    onStderr: (chunk) => core.debug(chunk.toString('utf8').trimEnd())
  })
  if (result.code !== 0) {
    throw new ActionError(
      `refstack-client's setup_env failed on ${target.description} (exit ${result.code}); its last lines:\n${lastLines(result.stdout + result.stderr, 20)}`,
      `setup_env downloads from PyPI and opendev.org: give the target that access (or a proxy), or use '${Input.Install}: apt'`
    )
  }
}

export async function provision(target: Target, config: Config): Promise<Toolchain> {
  const before = await probe(target, config.workdir)
  const existing = existingToolchain(before, config.workdir)
  const mode = config.install
  if (existing && reusable(existing, before, config)) {
    const by = before.marker === '' ? '' : `; provisioned by refstack-action: ${before.marker}`
    core.info(
      `refstack-client found on ${target.description}: ${existing.refstackClient} (${existing.version}${by})`
    )
    return existing
  }
  if (mode === 'none') {
    throw new ActionError(
      `refstack-client was not found on ${target.description}${before.path !== '' ? ` (found ${before.path}, but not its Tempest workspace ${DEBIAN_TEMPEST_DIR}/.stestr.conf: install the 'tempest' package)` : ''}`,
      `Install it on the target, or set '${Input.Install}: auto' to let the action install it`
    )
  }
  const origin = mode === 'apt' || (mode === 'auto' && before.apt !== '') ? 'apt' : 'git'
  if (origin === 'apt') await installApt(target)
  else await installGit(target, config)
  const toolchain = existingToolchain(await probe(target, config.workdir), config.workdir)
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
  // Records what was installed, so a warm run of the same version skips installing (and the log says why).
  const version =
    origin === 'apt'
      ? toolchain.version
      : `${config.refstackClientRef} ${toolchain.version.replace(/^git /, '')}`
  await target.writeFile(
    `${config.workdir}/provisioned`,
    `${origin} ${version} ${new Date().toISOString()}\n`,
    0o644
  )
  return { ...toolchain, origin }
}

/**
 * Whether what is there serves the requested install mode. Pure. `git` reuses a checkout only when the marker
 * says it was made from the same refstack-client-ref (a warm run skips the clone and setup_env).
 */
function reusable(existing: Toolchain, probe: Probe, config: Config): boolean {
  if (config.install === 'apt') return existing.tempestDir === DEBIAN_TEMPEST_DIR
  if (config.install === 'git')
    return probe.git !== '' && probe.marker.split(' ')[1] === config.refstackClientRef
  return true // auto and none: whatever is there
}

/** Step 1: the inputs naming paths on the target checked, then refstack-client + Tempest provisioned. */
export async function provisionTarget(target: Target, config: Config): Promise<Toolchain> {
  await checkTargetInputs(target, config)
  return core.group(`Provision refstack-client and Tempest on ${target.description}`, () =>
    provision(target, config)
  )
}
