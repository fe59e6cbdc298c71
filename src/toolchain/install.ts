/**
 * The commands that install something on the target: apt-get and a git checkout with refstack-client's
 * setup_env. Each is bounded in time (apt also waits at most APT_LOCK_WAIT_S for dpkg's lock, held e.g. by
 * unattended-upgrades or an Ansible run), and its output goes to the log as it comes (the caller's group).
 */
import * as core from '@actions/core'
import type { Config } from '../config.js'
import { Input } from '../constants.js'
import { ActionError, lastLines } from '../errors.js'
import { echoForeign } from '../log/foreign.js'
import type { CommandResult, Target } from '../target/target.js'

export const APT_LOCK_WAIT_S = 120
const APT_UPDATE_TIMEOUT_MS = 10 * 60_000
const APT_INSTALL_TIMEOUT_MS = 20 * 60_000
const GIT_TIMEOUT_MS = 10 * 60_000
const SETUP_ENV_TIMEOUT_MS = 45 * 60_000

/** Runs argv with its output in the log (workflow commands off: the lines are the target's). */
export async function logged(
  target: Target,
  argv: readonly string[],
  options: { env?: Record<string, string>; timeoutMs: number }
): Promise<CommandResult> {
  core.info(`$ ${argv.join(' ')}`)
  // Whole lines only (a chunk may end mid-line), each stream on its own.
  const lines = (): { feed: (chunk: Buffer) => void; flush: () => void } => {
    let pending = ''
    const show = (text: string): void => {
      if (text.trim() !== '') echoForeign(text)
    }
    return {
      feed: (chunk) => {
        pending += chunk.toString('utf8')
        const end = pending.lastIndexOf('\n')
        if (end < 0) return
        show(pending.slice(0, end).replace(/\s+$/, ''))
        pending = pending.slice(end + 1)
      },
      flush: () => show(pending.replace(/\s+$/, ''))
    }
  }
  const out = lines()
  const err = lines()
  try {
    return await target.exec(argv, { ...options, onStdout: out.feed, onStderr: err.feed })
  } finally {
    out.flush()
    err.flush()
  }
}

/**
 * apt-get's argument list for `packages` (pure): with a lock timeout, and keeping every configuration file
 * already there — Debian's `tempest` package (a dependency of refstack-client) ships /etc/tempest/tempest.conf,
 * where openstack-ansible keeps the operator's: dpkg would otherwise ask, and stop without a terminal.
 */
export function aptInstallArgv(packages: readonly string[]): string[] {
  return [
    'apt-get',
    '-o',
    `DPkg::Lock::Timeout=${APT_LOCK_WAIT_S}`,
    '-o',
    'Dpkg::Options::=--force-confdef',
    '-o',
    'Dpkg::Options::=--force-confold',
    'install',
    '-y',
    '-q',
    '--no-install-recommends',
    ...packages
  ]
}

function failed(result: CommandResult, timeoutMs: number): string {
  return result.timedOut === true ? `stopped after ${timeoutMs / 60_000} minutes` : `exit ${result.code}`
}

/**
 * Installs `packages` with apt-get (updating the package lists once when the first attempt fails).
 * `env`: the proxy and mirror settings for the target. Throws an ActionError with the output's last lines.
 */
export async function installApt(
  target: Target,
  packages: readonly string[],
  env: Record<string, string>
): Promise<void> {
  core.info(`Installing ${packages.join(' and ')} with apt on ${target.description}`)
  const aptEnv = { ...env, DEBIAN_FRONTEND: 'noninteractive' }
  const install = aptInstallArgv(packages)
  let result = await logged(target, install, { env: aptEnv, timeoutMs: APT_INSTALL_TIMEOUT_MS })
  if (result.code !== 0 && result.timedOut !== true) {
    core.info('apt-get install failed; updating the package lists and trying once more')
    const update = ['apt-get', '-o', `DPkg::Lock::Timeout=${APT_LOCK_WAIT_S}`, 'update', '-q']
    await logged(target, update, { env: aptEnv, timeoutMs: APT_UPDATE_TIMEOUT_MS })
    result = await logged(target, install, { env: aptEnv, timeoutMs: APT_INSTALL_TIMEOUT_MS })
  }
  if (result.code !== 0) {
    throw new ActionError(
      `Installing ${packages.join(', ')} with apt failed on ${target.description} (${failed(result, APT_INSTALL_TIMEOUT_MS)}):\n${lastLines(result.stderr || result.stdout, 20)}`,
      `Install the Debian/Ubuntu package${packages.length > 1 ? 's' : ''} ${packages.map((p) => `'${p}'`).join(' and ')} on the target yourself, or set '${Input.Install}: git'`
    )
  }
}

/** A git checkout of refstack-client in <workdir>/refstack-client, and its setup_env (which installs Tempest). */
export async function installGit(target: Target, config: Config, env: Record<string, string>): Promise<void> {
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
    const result = await target.exec(argv, { env, timeoutMs: GIT_TIMEOUT_MS })
    if (result.code !== 0) {
      throw new ActionError(
        `'${argv.slice(0, 2).join(' ')}' failed on ${target.description} (${failed(result, GIT_TIMEOUT_MS)}):\n${lastLines(result.stderr || result.stdout, 20)}`,
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
  core.info(`Running ${setup.join(' ')} in ${checkout} (needs PyPI and opendev.org from the target)`)
  const result = await logged(
    target,
    ['sh', '-c', 'cd "$1" && shift && exec "$@"', 'sh', checkout, ...setup],
    {
      env,
      timeoutMs: SETUP_ENV_TIMEOUT_MS
    }
  )
  if (result.code !== 0) {
    throw new ActionError(
      `refstack-client's setup_env failed on ${target.description} (${failed(result, SETUP_ENV_TIMEOUT_MS)}); its last lines:\n${lastLines(result.stdout + result.stderr, 20)}`,
      `setup_env downloads from PyPI and opendev.org: give the target that access (or a proxy), or use '${Input.Install}: apt'`
    )
  }
}
