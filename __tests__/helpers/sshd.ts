/**
 * A private, real OpenSSH server for tests: `/usr/sbin/sshd -D -f CONF -e` on 127.0.0.1 and a free port,
 * with its own generated host key, authorized keys and config in a temp directory. The machine's sshd
 * configuration is neither read nor changed. Needs root (sshd's privilege separation) and openssh-server.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'

export const SSHD = '/usr/sbin/sshd'
export const SSH_KEYGEN = '/usr/bin/ssh-keygen'

export interface SshdOptions {
  /** `AllowTcpForwarding` (default true: a jump host needs it). */
  allowTcpForwarding?: boolean
  /** Host key type (default ed25519). */
  hostKeyType?: 'ed25519' | 'ecdsa' | 'rsa'
  /**
   * Extra /etc/hosts entries (name → address) seen only by this sshd and its sessions: it runs in a private
   * mount namespace with its own /etc/hosts bind-mounted (needs util-linux `unshare`). A jump host built this
   * way reaches a name the runner cannot resolve — like a bastion in front of a private network.
   */
  extraHosts?: Record<string, string>
  /** More authorized_keys lines (e.g. another Sshd's client keys: a jump host uses the same key). */
  authorizedKeys?: string
}

export interface Sshd {
  host: '127.0.0.1'
  port: number
  /** pid of the listening sshd (the only process stop() kills). */
  pid: number
  username: string
  /** A known_hosts line for this server: `[127.0.0.1]:PORT ssh-ed25519 AAAA…`. */
  hostKeyLine: string
  /** The public host key as `TYPE BASE64`. */
  hostPublicKey: string
  /** `SHA256:…` as `ssh-keygen -lf` prints it. */
  hostKeyFingerprint: string
  /** OpenSSH private key text without passphrase. */
  clientKey: string
  /** OpenSSH private key text encrypted with `passphrase`. */
  passphraseKey: string
  passphrase: string
  /** authorized_keys text: the public halves of clientKey and passphraseKey. */
  authorizedKeys: string
  /** The temp directory holding config, keys and the log. */
  dir: string
  /** What sshd wrote to stderr so far (for failure diagnostics). */
  log(): string
  /** Kill this sshd (its own pid only; live sessions end when their clients disconnect) and remove dir. */
  stop(): Promise<void>
}

/** Why a real sshd cannot be started here, or undefined when it can. */
export function sshdUnavailableReason(): string | undefined {
  if (process.platform !== 'linux') return `needs Linux (this is ${process.platform})`
  if (typeof process.getuid !== 'function' || process.getuid() !== 0)
    return 'needs root (sshd privilege separation)'
  if (!existsSync(SSHD)) return `${SSHD} not found (apt-get install openssh-server)`
  if (!existsSync(SSH_KEYGEN)) return `${SSH_KEYGEN} not found (apt-get install openssh-client)`
  return undefined
}

/**
 * For `describe.skipIf`: the reason to skip, after failing loudly when CI=true (CI must run these tests).
 * Returns a title suffix so the skip reason is visible in the test report.
 */
export function skipUnlessAvailable(
  reason: string | undefined,
  what: string
): { skip: boolean; title: string } {
  if (reason !== undefined && process.env.CI === 'true') {
    throw new Error(
      `${what}: prerequisite missing on CI (CI=true, so this fails instead of skipping): ${reason}`
    )
  }
  if (reason !== undefined) console.warn(`SKIPPING ${what}: ${reason}`)
  return { skip: reason !== undefined, title: reason === undefined ? what : `${what} [skipped: ${reason}]` }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

function keygen(path: string, type: string, passphrase: string, comment: string): void {
  const args = ['-q', '-t', type, '-N', passphrase, '-C', comment, '-f', path]
  if (type === 'rsa') args.push('-b', '3072')
  execFileSync(SSH_KEYGEN, args, { stdio: 'ignore' })
}

export async function startSshd(options: SshdOptions = {}): Promise<Sshd> {
  const reason = sshdUnavailableReason()
  if (reason !== undefined) throw new Error(`cannot start sshd: ${reason}`)
  const dir = mkdtempSync(join(tmpdir(), 'refstack-sshd-'))
  chmodSync(dir, 0o700)
  // Privilege-separation directory sshd insists on (exists on any machine that ever ran sshd).
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 })

  const hostKeyType = options.hostKeyType ?? 'ed25519'
  const hostKeyPath = join(dir, `ssh_host_${hostKeyType}_key`)
  keygen(hostKeyPath, hostKeyType, '', 'refstack-test-host')
  keygen(join(dir, 'id_plain'), 'ed25519', '', 'refstack-test-plain')
  const passphrase = 'correct horse battery staple'
  keygen(join(dir, 'id_pass'), 'ed25519', passphrase, 'refstack-test-pass')
  const authorized = [join(dir, 'id_plain.pub'), join(dir, 'id_pass.pub')].map((p) => readFileSync(p, 'utf8'))
  if (options.authorizedKeys !== undefined) authorized.push(`${options.authorizedKeys.trim()}\n`)
  writeFileSync(join(dir, 'authorized_keys'), authorized.join(''), { mode: 0o600 })
  const hostPublicKey = readFileSync(`${hostKeyPath}.pub`, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ')
  const hostKeyFingerprint = execFileSync(SSH_KEYGEN, ['-l', '-E', 'sha256', '-f', `${hostKeyPath}.pub`], {
    encoding: 'utf8'
  }).split(/\s+/)[1] as string
  const username = userInfo().username
  const sftpServer = ['/usr/lib/openssh/sftp-server', '/usr/libexec/openssh/sftp-server'].find((p) =>
    existsSync(p)
  )

  let lastError = ''
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort()
    const config = join(dir, 'sshd_config')
    writeFileSync(
      config,
      [
        '# private sshd for refstack-action tests (__tests__/helpers/sshd.ts)',
        `Port ${port}`,
        'ListenAddress 127.0.0.1',
        `HostKey ${hostKeyPath}`,
        'PidFile none',
        `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
        'StrictModes no',
        'PermitRootLogin prohibit-password',
        `AllowUsers ${username}`,
        'PubkeyAuthentication yes',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'UsePAM no',
        'X11Forwarding no',
        `AllowTcpForwarding ${options.allowTcpForwarding === false ? 'no' : 'yes'}`,
        'PrintMotd no',
        'LogLevel VERBOSE',
        ...(sftpServer === undefined ? [] : [`Subsystem sftp ${sftpServer}`]),
        ''
      ].join('\n')
    )
    const sshdArgv = [SSHD, '-D', '-f', config, '-e']
    let command = sshdArgv
    if (options.extraHosts !== undefined) {
      const hosts = join(dir, 'hosts')
      const lines = Object.entries(options.extraHosts).map(([name, address]) => `${address} ${name}`)
      writeFileSync(hosts, `${readFileSync('/etc/hosts', 'utf8')}\n${lines.join('\n')}\n`)
      // unshare execs (no fork) and sh execs sshd: the child's pid is sshd's pid.
      command = [
        '/usr/bin/unshare',
        '--mount',
        '--propagation',
        'private',
        '/bin/sh',
        '-c',
        'mount --bind "$1" /etc/hosts && shift && exec "$@"',
        'sh',
        hosts,
        ...sshdArgv
      ]
    }
    const child = spawn(command[0] as string, command.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] })
    let log = ''
    child.stderr?.on('data', (chunk: Buffer) => {
      log += chunk.toString('utf8')
    })
    const started = await waitListening(child, () => log, port)
    if (started === true) {
      const pid = child.pid as number
      return {
        host: '127.0.0.1',
        port,
        pid,
        username,
        hostKeyLine: `[127.0.0.1]:${port} ${hostPublicKey}`,
        hostPublicKey,
        hostKeyFingerprint,
        clientKey: readFileSync(join(dir, 'id_plain'), 'utf8'),
        passphraseKey: readFileSync(join(dir, 'id_pass'), 'utf8'),
        passphrase,
        authorizedKeys: authorized.slice(0, 2).join(''),
        dir,
        log: () => log,
        stop: async () => {
          if (child.exitCode === null && child.signalCode === null) {
            const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
            process.kill(pid, 'SIGTERM')
            await exited
          }
          rmSync(dir, { recursive: true, force: true })
        }
      }
    }
    lastError = started
    if (!/Address already in use/i.test(started)) break
  }
  rmSync(dir, { recursive: true, force: true })
  throw new Error(`sshd did not start: ${lastError}`)
}

const SSHD_LISTEN_BOUND_MS = 60_000

/**
 * Resolves true once sshd logs that it listens, or with its log when it exits or is still silent after
 * SSHD_LISTEN_BOUND_MS (a bound only a hang reaches).
 */
function waitListening(child: ChildProcess, log: () => string, port: number): Promise<true | string> {
  return new Promise((resolve) => {
    const deadline = Date.now() + SSHD_LISTEN_BOUND_MS
    const timer = setInterval(() => {
      if (log().includes(`Server listening on 127.0.0.1 port ${port}`)) {
        clearInterval(timer)
        resolve(true)
      } else if (child.exitCode !== null || child.signalCode !== null) {
        clearInterval(timer)
        resolve(`sshd exited (${child.exitCode ?? child.signalCode}): ${log()}`)
      } else if (Date.now() > deadline) {
        clearInterval(timer)
        if (child.pid !== undefined) process.kill(child.pid, 'SIGTERM')
        resolve(`sshd not listening after ${SSHD_LISTEN_BOUND_MS / 1000} s: ${log()}`)
      }
    }, 25)
  })
}

/** pids of all descendants of `pid`, children first. */
export function descendantPids(pid: number): number[] {
  return childPids(pid).flatMap((child) => [child, ...descendantPids(child)])
}

/** pids of the direct children of `pid` (the per-connection sshd processes of a listener). */
export function childPids(pid: number): number[] {
  let out = ''
  try {
    out = execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
  } catch {
    return [] // ps exits 1 when there are none
  }
  return out
    .split(/\s+/)
    .filter((s) => s !== '')
    .map(Number)
}
