/**
 * SshTarget against real OpenSSH servers on 127.0.0.1 (no mocks): exec, files, host keys, errors,
 * a jump host, and a dropped session. The servers run on this machine, so remote effects are checked locally.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ActionError } from '../../src/errors.js'
import {
  SshConnectionLostError,
  SshTarget,
  type HostKeyInfo,
  type SshTargetOptions
} from '../../src/target/ssh.js'
import {
  SSH_KEYGEN,
  childPids,
  descendantPids,
  skipUnlessAvailable,
  sshdUnavailableReason,
  startSshd,
  type Sshd
} from '../helpers/sshd.js'
import { HANG_BOUND_MS, processRunning, waitUntil } from '../helpers/wait-for.js'
import { HOSTILE_ARGS } from './hostile-args.js'

const env = skipUnlessAvailable(sshdUnavailableReason(), 'SshTarget against a real sshd')

/** A name only the jump host can resolve (its sshd has a private /etc/hosts). */
const PRIVATE_NAME = 'refstack-target.internal'

describe.skipIf(env.skip)(env.title, () => {
  let sshd: Sshd
  let jump: Sshd
  let work = ''
  const targets: SshTarget[] = []

  function target(overrides: Partial<SshTargetOptions> = {}): SshTarget {
    const t = new SshTarget({
      host: sshd.host,
      port: sshd.port,
      user: sshd.username,
      privateKey: sshd.clientKey,
      knownHosts: sshd.hostKeyLine,
      strictHostKeyChecking: true,
      keepaliveIntervalMs: 5_000,
      readyTimeoutMs: 10_000,
      ...overrides
    })
    targets.push(t)
    return t
  }

  async function connectError(t: SshTarget): Promise<ActionError> {
    const error: unknown = await t.connect().then(
      () => undefined,
      (e: unknown) => e
    )
    if (!(error instanceof ActionError)) throw new Error(`expected an ActionError, got ${String(error)}`)
    return error
  }

  beforeAll(async () => {
    sshd = await startSshd()
    jump = await startSshd({
      extraHosts: { [PRIVATE_NAME]: '127.0.0.1' },
      authorizedKeys: sshd.authorizedKeys
    })
    work = mkdtempSync(join(tmpdir(), 'refstack-ssh-test-'))
  })

  afterAll(async () => {
    for (const t of targets) await t.close()
    await sshd?.stop()
    await jump?.stop()
    if (work !== '') rmSync(work, { recursive: true, force: true })
  })

  describe('exec', () => {
    let t: SshTarget
    beforeAll(async () => {
      t = target()
      await t.connect()
    })

    it('describes itself without secrets', () => {
      expect(t.description).toBe(`${sshd.username}@127.0.0.1:${sshd.port}`)
      expect(t.hostKeys).toEqual([
        expect.objectContaining({ role: 'target', status: 'match', fingerprint: sshd.hostKeyFingerprint })
      ])
    })

    it('returns exit codes and keeps stdout and stderr apart', async () => {
      const result = await t.exec(['sh', '-c', 'echo out; echo err >&2; exit 3'])
      expect(result).toEqual({ code: 3, stdout: 'out\n', stderr: 'err\n' })
      expect((await t.exec(['true'])).code).toBe(0)
      expect((await t.exec(['refstack-no-such-command'])).code).toBe(127)
    })

    it('passes hostile arguments through exactly', async () => {
      const result = await t.exec(['printf', '%s\\n', ...HOSTILE_ARGS])
      expect(result.stdout).toBe(HOSTILE_ARGS.map((arg) => `${arg}\n`).join(''))
      expect(result.code).toBe(0)
      expect(() => statSync('/tmp/refstack-quote-pwned')).toThrow()
    })

    it('streams output chunks as they arrive, binary-safe', async () => {
      const chunks: Buffer[] = []
      // The command goes on only once its first line has reached us (this file exists), so the first
      // line arrived before the command ended; without it, after a bound only a hang reaches, it says so.
      const release = join(work, `release-${Math.random()}`)
      const script = [
        'echo first',
        `i=0; while [ ! -e "$0" ] && [ $i -lt ${HANG_BOUND_MS / 50} ]; do sleep 0.05; i=$((i+1)); done`,
        '[ -e "$0" ] || echo "first line not streamed"',
        'printf "\\377\\000second"'
      ].join('; ')
      const result = await t.exec(['sh', '-c', script, release], {
        onStdout: (chunk) => {
          chunks.push(chunk)
          if (Buffer.concat(chunks).toString('latin1').startsWith('first\n')) writeFileSync(release, '')
        }
      })
      expect(Buffer.concat(chunks)).toEqual(Buffer.from('first\n\xff\x00second', 'latin1'))
      expect(result.code).toBe(0)
    })

    it('feeds stdin (string and binary)', async () => {
      expect((await t.exec(['cat'], { stdin: 'hello\nworld' })).stdout).toBe('hello\nworld')
      const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i))
      const chunks: Buffer[] = []
      await t.exec(['cat'], { stdin: bytes, onStdout: (chunk) => chunks.push(chunk) })
      expect(Buffer.concat(chunks)).toEqual(bytes)
      expect((await t.exec(['wc', '-c'])).stdout.trim()).toBe('0') // no stdin: EOF at once
    })

    it('sets env and cwd', async () => {
      const secret = "s3cret $(id) 'quoted' `x` \\ end"
      const result = await t.exec(['sh', '-c', 'pwd; printf "%s" "$REFSTACK_SECRET"'], {
        env: { REFSTACK_SECRET: secret },
        cwd: '/tmp'
      })
      expect(result.stdout).toBe(`/tmp\n${secret}`)
      const missing = await t.exec(['pwd'], { cwd: '/nonexistent-dir' })
      expect(missing.code).not.toBe(0)
      expect(missing.stdout).toBe('')
    })

    it('times out, reports it, and kills the remote command', async () => {
      const marker = `${30 + Math.random()}`
      const result = await t.exec(['sleep', marker], { timeoutMs: 500 })
      expect(result).toMatchObject({ code: -1, timedOut: true })
      await waitUntil('the timed-out remote command to end', () => !processRunning(`sleep ${marker}`))
    })
  })

  describe('exec (more)', () => {
    it('kills a command that ignores TERM (timeout -k)', async () => {
      const t = target()
      // Sleeps past the test's own timeout: only timeout's KILL lets exec return before it.
      const marker = `${300 + Math.random()}`
      const result = await t.exec(['sh', '-c', `trap "" TERM; sleep ${marker}; echo late`], {
        timeoutMs: 300
      })
      expect(result).toMatchObject({ code: -1, timedOut: true })
      expect(result.stdout).toBe('')
      await waitUntil('the TERM-ignoring command to be killed', () => !processRunning(`sleep ${marker}`))
    })

    it('a command exiting 124 by itself is not a timeout', async () => {
      const result = await target().exec(['sh', '-c', 'exit 124'], { timeoutMs: 5_000 })
      expect(result).toEqual({ code: 124, stdout: '', stderr: '' })
    })

    it('runs commands in parallel on one connection', async () => {
      const t = target()
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) => t.exec(['sh', '-c', `sleep 0.3; echo ${i}`]))
      )
      expect(results.map((r) => r.stdout)).toEqual(Array.from({ length: 8 }, (_, i) => `${i}\n`))
    })
  })

  describe('files', () => {
    let t: SshTarget
    beforeAll(async () => {
      t = target()
    })

    it('writes (creating parents, with mode), reads and downloads binary content', async () => {
      const content = Buffer.from([0, 1, 2, 255, 10, 13, 0x80, ...Buffer.from('ünïcødé')])
      const remote = join(work, 'remote', 'deep', 'file.bin')
      await t.writeFile(remote, content)
      expect(readFileSync(remote)).toEqual(content)
      expect(statSync(remote).mode & 0o777).toBe(0o600)
      expect(await t.readFile(remote)).toEqual(content)
      const local = join(work, 'local', 'copy.bin')
      await t.download(remote, local)
      expect(readFileSync(local)).toEqual(content)
    })

    it('replaces an existing file and applies the mode despite the umask', async () => {
      const remote = join(work, 'existing.conf')
      writeFileSync(remote, 'old, much longer content than the new one', { mode: 0o644 })
      await t.writeFile(remote, 'new', 0o755)
      expect(readFileSync(remote, 'utf8')).toBe('new')
      expect(statSync(remote).mode & 0o777).toBe(0o755)
      await t.writeFile(remote, 'secret', 0o600)
      expect(statSync(remote).mode & 0o777).toBe(0o600)
    })

    it('names the path when a file cannot be read or written', async () => {
      await expect(t.readFile('/nonexistent/refstack.conf')).rejects.toThrow(
        /Cannot read \/nonexistent\/refstack.conf on .*: No such file/
      )
      await expect(t.download('/nonexistent/x', join(work, 'x'))).rejects.toThrow(/\/nonexistent\/x/)
      await expect(t.writeFile('/proc/refstack/x', 'x')).rejects.toThrow(/\/proc\/refstack\/x/)
    })
  })

  describe('authentication and host keys', () => {
    it('uses a key with a passphrase', async () => {
      const t = target({ privateKey: sshd.passphraseKey, passphrase: sshd.passphrase })
      expect((await t.exec(['echo', 'ok'])).stdout).toBe('ok\n')
    })

    it('says which input to fix for a wrong or missing passphrase', async () => {
      const wrong = await connectError(target({ privateKey: sshd.passphraseKey, passphrase: 'wrong' }))
      expect(wrong.message).toBe('ssh-passphrase does not decrypt ssh-private-key')
      expect(wrong.message + (wrong.hint ?? '')).not.toContain(sshd.passphrase)
      const missing = await connectError(target({ privateKey: sshd.passphraseKey }))
      expect(missing.message).toMatch(/encrypted/)
      expect(missing.hint).toMatch(/ssh-passphrase/)
    })

    it('rejects a public key, garbage and a key the server does not know', async () => {
      const pub = readFileSync(join(sshd.dir, 'id_plain.pub'), 'utf8')
      expect((await connectError(target({ privateKey: pub }))).message).toMatch(/public key/)
      expect((await connectError(target({ privateKey: 'not a key' }))).message).toMatch(/ssh-private-key/)
      const other = join(work, 'other_key')
      execFileSync(SSH_KEYGEN, ['-q', '-t', 'ed25519', '-N', '', '-f', other])
      const refused = await connectError(target({ privateKey: readFileSync(other, 'utf8') }))
      expect(refused.message).toMatch(
        /authentication as .* failed: the server did not accept ssh-private-key/
      )
      expect(refused.hint).toMatch(/authorized_keys/)
    })

    it('accepts a CRLF key without final newline (as pasted into a secret)', async () => {
      const t = target({ privateKey: sshd.clientKey.trim().replace(/\n/g, '\r\n') })
      expect((await t.exec(['true'])).code).toBe(0)
    })

    it('refuses a changed host key and shows the offered fingerprint and how to pin it', async () => {
      const otherKey = join(work, 'other_host_key')
      execFileSync(SSH_KEYGEN, ['-q', '-t', 'ed25519', '-N', '', '-f', otherKey])
      const otherPub = readFileSync(`${otherKey}.pub`, 'utf8').split(' ').slice(0, 2).join(' ')
      const error = await connectError(target({ knownHosts: `[127.0.0.1]:${sshd.port} ${otherPub}` }))
      expect(error.message).toContain(`127.0.0.1:${sshd.port}`)
      expect(error.message).toContain(`ssh-ed25519 key ${sshd.hostKeyFingerprint}`)
      expect(error.message).toMatch(/does not match/)
      expect(error.hint).toContain(`ssh-keyscan -p ${sshd.port} 127.0.0.1`)
      expect(error.hint).toContain(sshd.hostKeyLine)
    })

    it('refuses an unknown host (empty or unrelated known_hosts)', async () => {
      const error = await connectError(target({ knownHosts: '' }))
      expect(error.message).toContain(sshd.hostKeyFingerprint)
      expect(error.message).toMatch(/no entry for \[127\.0\.0\.1\]:\d+/)
      const otherPort = await connectError(target({ knownHosts: sshd.hostKeyLine.replace(/:\d+ /, ':1 ') }))
      expect(otherPort.message).toMatch(/no entry/)
    })

    it('refuses a key marked @revoked even when also listed', async () => {
      const error = await connectError(
        target({ knownHosts: `${sshd.hostKeyLine}\n@revoked ${sshd.hostKeyLine}` })
      )
      expect(error.message).toMatch(/@revoked/)
    })

    it('accepts a hashed known_hosts entry (ssh-keygen -H)', async () => {
      const file = join(work, 'known_hosts_hashed')
      writeFileSync(file, `${sshd.hostKeyLine}\n`)
      execFileSync(SSH_KEYGEN, ['-H', '-f', file], { stdio: 'ignore' })
      const hashed = readFileSync(file, 'utf8')
      expect(hashed).toMatch(/^\|1\|/)
      const t = target({ knownHosts: hashed })
      expect((await t.exec(['true'])).code).toBe(0)
      expect(t.hostKeys[0]?.status).toBe('match')
    })

    it('with strict checking off, connects and exposes the unverified fingerprint', async () => {
      const warned: HostKeyInfo[] = []
      const t = target({
        knownHosts: undefined,
        strictHostKeyChecking: false,
        onUnverifiedHostKey: (key) => warned.push(key)
      })
      expect((await t.exec(['true'])).code).toBe(0)
      expect(warned).toEqual([
        expect.objectContaining({
          role: 'target',
          fingerprint: sshd.hostKeyFingerprint,
          status: 'unknown',
          knownHostsLine: sshd.hostKeyLine
        })
      ])
      expect(t.hostKeys).toEqual(warned)
    })
  })

  describe('connection errors', () => {
    it('names ssh-host/ssh-port when the connection is refused', async () => {
      const port = await closedPort()
      const error = await connectError(target({ port }))
      expect(error.message).toBe(`Connection to SSH host 127.0.0.1:${port} refused`)
      expect(error.hint).toMatch(/ssh-host and ssh-port/)
    })

    it('times out on a server that never answers', async () => {
      const silent = await listen(createServer(() => undefined))
      try {
        const error = await connectError(target({ port: silent.port, readyTimeoutMs: 700 }))
        expect(error.message).toMatch(/No SSH answer from SSH host 127\.0\.0\.1:\d+ within 1 s/)
        expect(error.hint).toMatch(/ssh-host and ssh-port/)
      } finally {
        silent.server.close()
      }
    })

    it('names ssh-host when the name does not resolve', async () => {
      const error = await connectError(target({ host: 'refstack-no-such-host.invalid' }))
      expect(error.message).toMatch(/Cannot resolve/)
      expect(error.hint).toMatch(/ssh-host/)
    })
  })

  describe('jump host', () => {
    const behindJump = (overrides: Partial<SshTargetOptions> = {}): SshTarget =>
      target({
        host: PRIVATE_NAME,
        knownHosts: `${jump.hostKeyLine}\n[${PRIVATE_NAME}]:${sshd.port} ${sshd.hostPublicKey}`,
        jumpHost: { host: jump.host, port: jump.port, user: jump.username },
        ...overrides
      })

    it('the target name is not reachable from the runner directly', async () => {
      const error = await connectError(target({ host: PRIVATE_NAME }))
      expect(error.message).toMatch(/Cannot resolve/)
    })

    it('reaches the target through the bastion, both host keys verified', async () => {
      const t = behindJump()
      const result = await t.exec(['sh', '-c', 'echo "$SSH_CONNECTION"'])
      expect(result.code).toBe(0)
      expect(t.description).toBe(
        `${sshd.username}@${PRIVATE_NAME}:${sshd.port} via ${jump.username}@127.0.0.1:${jump.port}`
      )
      expect(t.hostKeys.map((k) => [k.role, k.fingerprint, k.status])).toEqual([
        ['jump host', jump.hostKeyFingerprint, 'match'],
        ['target', sshd.hostKeyFingerprint, 'match']
      ])
      expect(jump.log()).toMatch(/direct-tcpip|Accepted publickey/)
      const files = await t.exec(['printf', '%s\\n', ...HOSTILE_ARGS])
      expect(files.stdout).toBe(HOSTILE_ARGS.map((arg) => `${arg}\n`).join(''))
    })

    it("verifies the jump host's key too", async () => {
      const error = await connectError(
        behindJump({ knownHosts: `[${PRIVATE_NAME}]:${sshd.port} ${sshd.hostPublicKey}` })
      )
      expect(error.message).toContain(`SSH jump host 127.0.0.1:${jump.port}`)
      expect(error.message).toContain(jump.hostKeyFingerprint)
    })

    it("tells to scan the target's key on the jump host", async () => {
      const error = await connectError(behindJump({ knownHosts: jump.hostKeyLine }))
      expect(error.message).toContain(`SSH host ${PRIVATE_NAME}:${sshd.port}`)
      expect(error.message).toContain(sshd.hostKeyFingerprint)
      expect(error.hint).toContain(`ssh-keyscan -p ${sshd.port} ${PRIVATE_NAME}\` on the jump host`)
    })

    it('says when the bastion cannot reach the target', async () => {
      const port = await closedPort()
      const error = await connectError(behindJump({ port }))
      expect(error.message).toMatch(
        new RegExp(
          `jump host 127\\.0\\.0\\.1:${jump.port} could not open a connection to ${PRIVATE_NAME}:${port}`
        )
      )
      expect(error.hint).toMatch(/ssh-host and ssh-port as the jump host sees them/)
    })
  })

  describe('a dropped connection', () => {
    it('rejects the running exec, then reconnect() works', async () => {
      const t = target()
      const before = new Set(childPids(sshd.pid))
      await t.connect()
      // The process sshd forked for this connection (older ones belong to other tests' connections).
      const session = childPids(sshd.pid).filter((pid) => !before.has(pid))
      expect(session).toHaveLength(1)
      const marker = `${60 + Math.random()}`
      const running = t.exec(['sleep', marker])
      running.catch(() => undefined)
      await waitUntil('the remote command to run', () => processRunning(`sleep ${marker}`))
      // Kill the connection's whole sshd process tree (privileged monitor, the network child, the command).
      const tree = [session[0] as number, ...descendantPids(session[0] as number)]
      for (const pid of tree) killIfAlive(pid)
      await expect(running).rejects.toBeInstanceOf(SshConnectionLostError)
      await expect(t.exec(['true'])).rejects.toBeInstanceOf(SshConnectionLostError)
      await t.reconnect()
      expect((await t.exec(['echo', 'back'])).stdout).toBe('back\n')
    })

    it('notices a silent peer through keepalive (no TCP reset), then reconnects', async () => {
      const t = target({ keepaliveIntervalMs: 250 })
      const before = new Set(childPids(sshd.pid))
      await t.connect()
      const session = childPids(sshd.pid).filter((pid) => !before.has(pid))
      expect(session).toHaveLength(1)
      const frozen = session[0] as number
      const marker = `${60 + Math.random()}`
      const running = t.exec(['sleep', marker])
      running.catch(() => undefined)
      await waitUntil('the remote command to run', () => processRunning(`sleep ${marker}`))
      process.kill(frozen, 'SIGSTOP') // a hung host: the socket stays open, nothing answers
      try {
        const error = await running.catch((e: unknown) => e)
        expect(error).toBeInstanceOf(SshConnectionLostError)
        expect((error as Error).message).toMatch(/keepalive/i)
      } finally {
        process.kill(frozen, 'SIGKILL')
      }
      await t.reconnect()
      expect((await t.exec(['true'])).code).toBe(0)
    })

    it('close() is idempotent and later use fails clearly', async () => {
      const t = target()
      await t.connect()
      await t.close()
      await t.close()
      await expect(t.exec(['true'])).rejects.toThrow(/closed/)
    })
  })
})

async function listen(server: Server): Promise<{ server: Server; port: number }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  return { server, port: typeof address === 'object' && address !== null ? address.port : 0 }
}

/** A port on 127.0.0.1 where nothing listens (bound, then released). */
async function closedPort(): Promise<number> {
  const { server, port } = await listen(createServer())
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** SIGKILL, where a process that already ended (a child that died with its parent) is not an error. */
function killIfAlive(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error
  }
}
