/**
 * Installs every Debian package the tests use (the loopback cloud's with its compute side, sshd, LXC:
 * `up.sh --install-only`), stands up the loopback cloud (scripts/dev-cloud/up.sh --with-ssh --compute) for the
 * end-to-end tests, and stops it afterwards only if this run started it. Both are done once per machine: the
 * packages stay installed, a cloud that is up is used as it is. What each step cost is printed. Without root
 * the tests skip with a visible reason, except under CI=true, where a missing prerequisite is a failure.
 *
 * It gives the test files `e2eRunId`, an id of this test run: __tests__/e2e/shared-runs.ts keeps the expensive
 * runs for the other files of the same test run under it. When the end-to-end files to run include those that
 * judge the compute runs (platform, SCS-0128, pre-flight), it starts those runs in the background once the
 * cloud is up: they go on while the other files run. So does what the container tests build once per machine
 * (the LXC base container, the openstack-ansible-style utility container). The teardown waits for all of it.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import type { TestProject } from 'vitest/node'
import { ensureBaseInBackground } from '../target/lxc-fixture.js'
import { buildOsaUtilityInBackground } from './osa-utility-rig.js'
import { startComputeRuns } from './shared-runs.js'

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
const RUN_ID = randomUUID()

/** Runs `step`, printing what it took (one-time set-up: the next person sees what a fresh machine costs). */
function timed<T>(label: string, step: () => T): T {
  const started = process.hrtime.bigint()
  const value = step()
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  console.log(`e2e set-up: ${label} in ${seconds.toFixed(1)} s`)
  return value
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const ci = process.env.CI === 'true'
  let reason = ''
  if (process.getuid?.() !== 0) reason = 'the loopback cloud needs root'
  else if (!existsSync(path.join(ROOT, 'dist', 'index.js')))
    reason = 'dist/index.js is missing: run npm run build'
  if (reason !== '') {
    if (ci) throw new Error(`End-to-end tests cannot run under CI=true: ${reason}`)
    project.provide('cloudSkipReason', reason)
    project.provide('e2eRunId', RUN_ID)
    return undefined
  }
  project.provide('cloudSkipReason', '')
  project.provide('e2eRunId', RUN_ID)
  installPackages()
  users++
  // A cloud that is up is used as it is: up.sh would restart services and empty the test accounts under a
  // run that may be going on in another process.
  if (!cloudRunning()) {
    startedByThisRun = timed('the loopback cloud (up.sh --with-ssh --compute)', startCloud)
  } else console.log(`e2e set-up: the loopback cloud in ${STATE} is up already: used as it is`)
  if (project.name === 'e2e' && background.length === 0) {
    const files = await testFiles(project)
    const wanted = {
      compute: files.has('platform') || files.has('scs-0128') || files.has('preflight'),
      stripped: files.has('preflight')
    }
    if (wanted.compute || wanted.stripped) background.push(startComputeRuns(RUN_ID, wanted))
    // What one machine builds once for the container tests, built while the unit tests run (quick when built).
    if (files.has('osa-utility'))
      background.push(logFailure('the utility container rig', buildOsaUtilityInBackground()))
    else if (files.has('lxc')) background.push(logFailure('the LXC base container', ensureBaseInBackground()))
  }
  return async () => {
    if (--users > 0) return
    await Promise.all(background)
    if (startedByThisRun && process.env.KEEP_DEV_CLOUD !== '1') {
      execFileSync('bash', [path.join(ROOT, 'scripts/dev-cloud/down.sh')], { stdio: 'ignore' })
    }
  }
}

/** What the global setup started in the background; the teardown waits for it. */
const background: Array<Promise<void>> = []

/** A background step whose failure is printed: the test file that needs it then meets the failure itself. */
function logFailure(what: string, step: Promise<void>): Promise<void> {
  return step.catch((error: unknown) =>
    console.error(`e2e set-up: ${what} failed in the background: ${String(error)}`)
  )
}

/**
 * The names of the end-to-end files this test run runs (`platform` for __tests__/e2e/platform.test.ts): the
 * project's files, narrowed by the command line's filters (vitest keeps those as `filenamePattern`).
 */
async function testFiles(project: TestProject): Promise<Set<string>> {
  const filters = (project.vitest as unknown as { filenamePattern?: string[] }).filenamePattern ?? []
  const { testFiles: files } = await project.globTestFiles(filters)
  return new Set(files.map((file) => path.basename(file, '.test.ts')))
}

let packagesInstalled = false

/** Once per test run: the Debian packages of the cloud, sshd and LXC (quick when they are installed already). */
function installPackages(): void {
  if (packagesInstalled) return
  const install = timed('Debian packages (up.sh --install-only; quick when present)', () =>
    spawnSync(
      'bash',
      [path.join(ROOT, 'scripts/dev-cloud/up.sh'), '--install-only', '--with-ssh', '--with-lxc', '--compute'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }
    )
  )
  if (install.status !== 0) {
    throw new Error(
      `scripts/dev-cloud/up.sh --install-only failed (exit ${install.status}):\n${install.stdout.slice(-3000)}\n${install.stderr.slice(-3000)}`
    )
  }
  packagesInstalled = true
}

/**
 * Stands the cloud up unless another process has meanwhile (checked again under the lock: the two projects'
 * setups, or another test run, may get here at once; up.sh is idempotent but not re-entrant, and run twice it
 * would restart services under the other's tests). True when this call started it.
 */
function startCloud(): boolean {
  const up = spawnSync(
    'flock',
    [
      '/tmp/refstack-dev-cloud-setup.lock',
      'bash',
      '-c',
      UP_UNLESS_RUNNING,
      path.join(ROOT, 'scripts/dev-cloud/up.sh'),
      STATE
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }
  )
  if (up.status !== 0) {
    throw new Error(
      `scripts/dev-cloud/up.sh failed (exit ${up.status}):\n${up.stdout.slice(-3000)}\n${up.stderr.slice(-3000)}`
    )
  }
  return !up.stdout.startsWith(ALREADY_UP)
}

const ALREADY_UP = 'the loopback cloud is up already'

/** cloudRunning() in the shell, under the lock; up.sh unless it holds ($0: up.sh, $1: the state directory). */
const UP_UNLESS_RUNNING = `
if [ -f "$1/env" ] && grep -q '^SSH_PORT=' "$1/env" && grep -q '^PLATFORM_TEMPEST_CONF=' "$1/env" &&
  [ -f "$1/run/keystone.pid" ] && kill -0 "$(cat "$1/run/keystone.pid")" 2>/dev/null; then
  echo '${ALREADY_UP}'
  exit 0
fi
exec bash "$0" --with-ssh --compute
`

declare module 'vitest' {
  export interface ProvidedContext {
    cloudSkipReason: string
    e2eRunId: string
  }
}
