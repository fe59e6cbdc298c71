/**
 * Installs every Debian package the tests use (the loopback cloud's with its compute side, sshd, LXC:
 * `up.sh --install-only`), stands up the loopback cloud (scripts/dev-cloud/up.sh --with-ssh --compute) for the
 * end-to-end tests, and stops it afterwards only if this run started it. Without root the tests skip with a visible
 * reason, except under CI=true, where a missing prerequisite is a failure.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import type { TestProject } from 'vitest/node'

const ROOT = path.resolve(import.meta.dirname, '..', '..')
const STATE = process.env.DEV_CLOUD_DIR || '/var/lib/refstack-dev-cloud'

function cloudRunning(): boolean {
  const pidfile = path.join(STATE, 'run', 'keystone.pid')
  // down.sh removes the env file: its presence means up.sh finished.
  const env = path.join(STATE, 'env')
  if (
    !existsSync(pidfile) ||
    !existsSync(env) ||
    !/^SSH_PORT=/m.test(readFileSync(env, 'utf8')) ||
    !/^PLATFORM_TEMPEST_CONF=/m.test(readFileSync(env, 'utf8'))
  )
    return false
  try {
    process.kill(Number(readFileSync(pidfile, 'utf8').trim()), 0)
    return true
  } catch {
    return false
  }
}

// Both test projects use this setup (one vitest process): the cloud is stood up once, and stopped after the
// last project's teardown, only if this run started it.
let users = 0
let startedByThisRun = false

export default function setup(project: TestProject): (() => void) | undefined {
  const ci = process.env.CI === 'true'
  let reason = ''
  if (process.getuid?.() !== 0) reason = 'the loopback cloud needs root'
  else if (!existsSync(path.join(ROOT, 'dist', 'index.js')))
    reason = 'dist/index.js is missing: run npm run build'
  if (reason !== '') {
    if (ci) throw new Error(`End-to-end tests cannot run under CI=true: ${reason}`)
    project.provide('cloudSkipReason', reason)
    return undefined
  }
  project.provide('cloudSkipReason', '')
  installPackages()
  users++
  // A cloud that is up is used as it is: up.sh would restart services and empty the test accounts under a
  // run that may be going on in another process.
  if (!cloudRunning()) {
    startedByThisRun = true
    startCloud()
  }
  return () => {
    if (--users === 0 && startedByThisRun && process.env.KEEP_DEV_CLOUD !== '1') {
      execFileSync('bash', [path.join(ROOT, 'scripts/dev-cloud/down.sh')], { stdio: 'ignore' })
    }
  }
}

let packagesInstalled = false

/** Once per test run: the Debian packages of the cloud, sshd and LXC (quick when they are installed already). */
function installPackages(): void {
  if (packagesInstalled) return
  const install = spawnSync(
    'bash',
    [path.join(ROOT, 'scripts/dev-cloud/up.sh'), '--install-only', '--with-ssh', '--with-lxc', '--compute'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }
  )
  if (install.status !== 0) {
    throw new Error(
      `scripts/dev-cloud/up.sh --install-only failed (exit ${install.status}):\n${install.stdout.slice(-3000)}\n${install.stderr.slice(-3000)}`
    )
  }
  packagesInstalled = true
}

function startCloud(): void {
  // flock: the two projects' setups may start at once; up.sh is idempotent but not re-entrant.
  const up = spawnSync(
    'flock',
    [
      '/tmp/refstack-dev-cloud-setup.lock',
      'bash',
      path.join(ROOT, 'scripts/dev-cloud/up.sh'),
      '--with-ssh',
      '--compute'
    ],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe']
    }
  )
  if (up.status !== 0) {
    throw new Error(
      `scripts/dev-cloud/up.sh failed (exit ${up.status}):\n${up.stdout.slice(-3000)}\n${up.stderr.slice(-3000)}`
    )
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    cloudSkipReason: string
  }
}
