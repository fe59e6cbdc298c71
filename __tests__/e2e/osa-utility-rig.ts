/**
 * The rig of scripts/dev-cloud/osa-utility/: its HTTP proxy (started and stopped by the test, by pid) and its
 * openstack-ansible-style utility container (built once per machine by build.sh, cached as an LXC container;
 * each test run gets an overlay clone named `aio1_utility_container-<8 hex>` in /var/lib/lxc).
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { ensureBase, ensureBaseInBackground } from '../target/lxc-fixture.js'

const RIG = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../scripts/dev-cloud/osa-utility')

/** What os_tempest and openstack_openrc leave in the utility container (see build.sh). */
export const OSA = {
  venv: '/openstack/venvs/tempest-31.1.0',
  tempestConf: '/etc/tempest/tempest.conf',
  workspace: '/root/workspace',
  openrc: '/root/openrc',
  tempestLog: '/var/log/utility/tempest.log',
  pluginTest:
    'refstack_action_rig_plugin.tests.test_rig.RigPluginTest.test_runs_in_the_operators_venv[id-6f0e7d63-2b51-4d4e-9a55-0f3c2e7a1c01]'
}

export interface Proxy {
  url: string
  log: string
  process: ChildProcess
  /** The requests it forwarded so far ("GET http://…", "CONNECT host:443"). */
  requests(): string[]
  stop(): void
}

/** Starts the rig's proxy on 127.0.0.1 (a free port) and waits for it to listen (its port file). */
export async function startProxy(): Promise<Proxy> {
  const dir = mkdtempSync(path.join(tmpdir(), 'refstack-rig-proxy-'))
  const portFile = path.join(dir, 'port')
  const log = path.join(dir, 'requests.log')
  const child = spawn('/usr/bin/python3', [path.join(RIG, 'http-proxy.py'), portFile, log], {
    stdio: 'ignore'
  })
  for (let i = 0; !existsSync(portFile); i++) {
    if (child.exitCode !== null || i > 300)
      throw new Error(`the rig's proxy did not start (exit ${child.exitCode})`)
    await sleep(100)
  }
  const url = `http://127.0.0.1:${readFileSync(portFile, 'utf8').trim()}`
  return {
    url,
    log,
    process: child,
    requests: () =>
      existsSync(log)
        ? readFileSync(log, 'utf8')
            .split('\n')
            .filter((l) => l !== '')
        : [],
    stop: () => {
      if (child.exitCode === null && child.pid !== undefined) process.kill(child.pid, 'SIGTERM')
    }
  }
}

/** Builds the cached utility container unless it is current (build.sh prints its cost); returns its name. */
export function buildOsaUtility(proxy: Proxy): string {
  ensureBase()
  const out = execFileSync('bash', [path.join(RIG, 'build.sh'), proxy.url], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 1_800_000
  })
  const built = /^built .*$/m.exec(out)
  console.log(built ? built[0] : 'the openstack-ansible-style utility container was built before: reused')
  const name = /^OSA_UTILITY_BASE=(\S+)$/m.exec(out)?.[1]
  if (name === undefined) throw new Error(`build.sh printed no OSA_UTILITY_BASE:\n${out}`)
  return name
}

/**
 * buildOsaUtility without blocking, with a proxy of its own (the e2e global setup starts it while the unit tests
 * run, on a machine where the container is not built yet). build.sh builds under a flock, so the test's own
 * buildOsaUtility waits for a build under way and then finds the container current.
 */
export async function buildOsaUtilityInBackground(): Promise<void> {
  await ensureBaseInBackground()
  const proxy = await startProxy()
  try {
    const started = process.hrtime.bigint()
    const { stdout } = await promisify(execFile)('bash', [path.join(RIG, 'build.sh'), proxy.url], {
      encoding: 'utf8',
      timeout: 1_800_000
    })
    const seconds = (Number(process.hrtime.bigint() - started) / 1e9).toFixed(0)
    console.log(
      /^built .*$/m.test(stdout)
        ? `e2e set-up: the openstack-ansible-style utility container built in the background in ${seconds} s`
        : 'e2e set-up: the openstack-ansible-style utility container was built before: reused'
    )
  } finally {
    proxy.stop()
  }
}
