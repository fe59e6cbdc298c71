/**
 * A real openstack-ansible-style utility container for the end-to-end tests (lxc-create(1), lxc-attach(1)):
 * an overlay clone `aio1_utility_container-<8 hex>` of the cached Debian base of __tests__/target/lxc-fixture.ts,
 * sharing the host's network (`lxc.net.0.type = none`), so it reaches the loopback cloud on 127.0.0.1 and
 * the apt mirror.
 *
 * Unlike the target tests, the clone lives in LXC's default lxcpath (/var/lib/lxc): the action finds
 * `container: utility` with a plain `lxc-ls -1`, as on an openstack-ansible infra host, and has no input
 * for another lxcpath. So the names are unique, each clone carries an owner file (the test process's pid),
 * clones of dead test runs are removed first, and any other utility container there stops the test with a
 * clear message (discovery needs exactly one).
 *
 * Files go into the container only through lxc-attach (never into a running overlay from the host).
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { lxcAttachArgv } from '../../src/target/lxc.js'
import { pidAlive } from '../helpers/process.js'
import { BASE, destroyClone, ensureBase, osaName, startClone, type Clone } from '../target/lxc-fixture.js'

export const LXC_PATH = '/var/lib/lxc'
const OWNER_FILE = 'refstack-action-e2e-owner'

export interface AttachResult {
  code: number
  stdout: string
  stderr: string
}

/** Runs argv inside the container (clean environment, HOME=/root), optionally with stdin. */
export function attach(name: string, argv: readonly string[], input?: string | Buffer): AttachResult {
  const [command, ...args] = lxcAttachArgv(name, argv, { lxcPath: LXC_PATH })
  const result = spawnSync(command, args, {
    input: input ?? '',
    encoding: 'utf8',
    timeout: 120_000,
    maxBuffer: 64 * 1024 * 1024
  })
  return { code: result.status ?? -1, stdout: result.stdout ?? '', stderr: result.stderr ?? '' }
}

/** attach() that throws with the output unless the command succeeds. */
export function attachOk(name: string, argv: readonly string[], input?: string | Buffer): string {
  const result = attach(name, argv, input)
  if (result.code !== 0) {
    throw new Error(
      `lxc-attach -n ${name} -- ${argv.join(' ')}: exit ${result.code}\n${result.stdout}\n${result.stderr}`
    )
  }
  return result.stdout
}

/** Writes a file inside the running container through lxc-attach (parents created). */
export function copyIn(name: string, path: string, content: string | Buffer, mode = '600'): void {
  attachOk(
    name,
    ['sh', '-c', 'mkdir -p -- "$(dirname -- "$1")" && cat > "$1" && chmod "$2" "$1"', 'sh', path, mode],
    content
  )
}

/** Names `lxc-ls -1` lists in the default lxcpath. */
export function containersOnHost(): string[] {
  const result = spawnSync('lxc-ls', ['-1'], { encoding: 'utf8' })
  return (result.stdout ?? '').split(/\s+/).filter((name) => name !== '')
}

/** Destroys the clones that earlier test runs left in /var/lib/lxc (their owner process is gone). */
export function removeStaleClones(): string[] {
  const removed: string[] = []
  for (const name of readdirSync(LXC_PATH)) {
    const owner = join(LXC_PATH, name, OWNER_FILE)
    if (name === BASE || !existsSync(owner)) continue
    const pid = Number(readFileSync(owner, 'utf8').trim())
    if (Number.isInteger(pid) && pid > 1 && pidAlive(pid)) continue
    destroyClone({ name, lxcPath: LXC_PATH })
    removed.push(name)
  }
  return removed
}

/** The other openstack-ansible utility containers on this host (they would make discovery ambiguous). */
export function otherUtilityContainers(except: string[] = []): string[] {
  return containersOnHost().filter(
    (name) => /(_utility_container-|-utility-container-)/.test(name) && !except.includes(name)
  )
}

/**
 * A fresh utility container in /var/lib/lxc, running; its systemd has booted far enough to run commands.
 * `base`: the container it is an overlay clone of (default: the bare Debian base).
 */
export function createUtilityContainer(base = BASE): Clone {
  ensureBase()
  removeStaleClones()
  const others = otherUtilityContainers()
  if (others.length > 0) {
    throw new Error(
      `Another utility container exists in ${LXC_PATH} (${others.join(', ')}): 'container: utility' must find exactly one. ` +
        'Destroy it (lxc-stop -k -n NAME; lxc-destroy -n NAME) if a test left it behind.'
    )
  }
  const name = osaName('aio1_utility_container-')
  const clone = startClone(name, LXC_PATH, false, base)
  writeFileSync(join(LXC_PATH, name, OWNER_FILE), `${process.pid}\n`)
  const started = spawnSync('lxc-start', ['-P', LXC_PATH, '-n', name, '-d'], { encoding: 'utf8' })
  const waited = spawnSync('lxc-wait', ['-P', LXC_PATH, '-n', name, '-s', 'RUNNING', '-t', '30'], {
    encoding: 'utf8'
  })
  if (started.status !== 0 || waited.status !== 0) {
    destroyClone(clone)
    throw new Error(`lxc-start ${name} failed: ${started.stderr}${waited.stderr}`)
  }
  // lxc-attach needs the container's init to be up; give it a few seconds.
  for (let i = 0; i < 50 && attach(name, ['true']).code !== 0; i++) spawnSync('sleep', ['0.2'])
  // lxc-attach works before systemd has booted (and set the hostname the tests read): wait for the boot to end
  // ('degraded' counts: its exit status is not looked at).
  attach(name, ['timeout', '60', 'systemctl', 'is-system-running', '--wait'])
  return clone
}

/** The Tempest files as an openstack-ansible utility container has them (Stein and later). */
export const IN_CONTAINER = {
  tempestConf: '/root/workspace/etc/tempest.conf',
  accountsFile: '/root/workspace/etc/tempest_accounts.yaml',
  logDir: '/var/log/utility',
  lockPath: '/root/workspace/locks'
}

/**
 * Copies the loopback cloud's tempest.conf and accounts file into the container at the openstack-ansible
 * paths, pointing log_dir, lock_path and test_accounts_file at paths that exist only inside the container
 * (created there), so a run that read anything from the host instead would fail.
 */
export function installTempestConf(name: string, cloud: Record<string, string>): void {
  const conf = readFileSync(cloud.TEMPEST_CONF as string, 'utf8')
    .replace(/^log_dir\s*=.*$/m, `log_dir = ${IN_CONTAINER.logDir}`)
    .replace(/^lock_path\s*=.*$/m, `lock_path = ${IN_CONTAINER.lockPath}`)
    .replace(/^test_accounts_file\s*=.*$/m, `test_accounts_file = ${IN_CONTAINER.accountsFile}`)
  for (const [key, value] of [
    ['log_dir', IN_CONTAINER.logDir],
    ['lock_path', IN_CONTAINER.lockPath],
    ['test_accounts_file', IN_CONTAINER.accountsFile]
  ] as const) {
    if (!conf.includes(`${key} = ${value}`))
      throw new Error(`the dev cloud's tempest.conf has no ${key} line to rewrite`)
  }
  copyIn(name, IN_CONTAINER.tempestConf, conf)
  copyIn(name, IN_CONTAINER.accountsFile, readFileSync(cloud.ACCOUNTS_FILE as string))
  attachOk(name, ['mkdir', '-p', IN_CONTAINER.logDir, IN_CONTAINER.lockPath])
}

export interface InnerProcess {
  pid: number
  pgid: number
  args: string
}

/** Every process inside the container (its own pid namespace: pids as the container sees them). */
export function innerProcesses(name: string): InnerProcess[] {
  return attachOk(name, ['ps', '-eo', 'pid=,pgid=,args='])
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), pgid: Number(m[2]), args: m[3] as string }))
    .filter((p) => !/^ps -eo /.test(p.args))
}

/** Processes of a Tempest run inside the container (refstack-client, stestr, tempest workers). */
export function tempestProcesses(name: string): InnerProcess[] {
  return innerProcesses(name).filter((p) => /refstack-client|stestr|tempest|subunit/.test(p.args))
}

export { destroyClone, type Clone }
