/**
 * The SSH target: commands and files on a remote utility host, optionally through one bastion (jump host).
 * node-ssh (over ssh2) for the connection and SFTP; commands go through the ssh2 client directly so stdin
 * and output stay binary-safe. Host keys are checked against `ssh-known-hosts`.
 */
import { randomBytes } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import { dirname, posix } from 'node:path'
import { NodeSSH } from 'node-ssh'
import ssh2 from 'ssh2'
import type { Algorithms, Client, ClientChannel, SFTPWrapper, ServerHostKeyAlgorithm, Stats } from 'ssh2'
import type { Readable } from 'node:stream'
import { ActionError, describeError } from '../errors.js'
import {
  checkHostKey,
  fingerprintSha256,
  keyTypeOf,
  keyscanCommand,
  knownHostsLine,
  knownHostsName,
  knownKeyTypes,
  parseKnownHosts,
  type HostKeyStatus,
  type KnownHosts
} from './known-hosts.js'
import { TIMEOUT_KILL_AFTER_S, buildRemoteCommand, hitTimeout } from './quote.js'
import { collectOutput, type CommandResult, type ExecOptions, type Target } from './target.js'
import { sshReadableKey } from './pkcs8.js'

export interface SshEndpoint {
  host: string
  port: number
  user: string
}

export interface SshTargetOptions extends SshEndpoint {
  /** Private key text (OpenSSH or PEM). Used for the target and the jump host. */
  privateKey: string
  passphrase?: string
  /** known_hosts text for the target and the jump host. */
  knownHosts?: string
  /** true: refuse unknown or changed host keys. false: accept them (report via `hostKeys`/`onUnverifiedHostKey`). */
  strictHostKeyChecking: boolean
  jumpHost?: SshEndpoint
  /** SSH keepalive interval; the connection counts as dead after 3 unanswered keepalives. 0 disables. */
  keepaliveIntervalMs: number
  /** Limit for TCP connect + SSH handshake + authentication, per hop. */
  readyTimeoutMs: number
  /** Called for every host key accepted without verification (strict off): the caller warns loudly. */
  onUnverifiedHostKey?: (key: HostKeyInfo) => void
}

/** A host key a server offered, and what ssh-known-hosts says about it. */
export interface HostKeyInfo {
  role: 'target' | 'jump host'
  host: string
  port: number
  keyType: string
  /** `SHA256:…` as `ssh-keygen -lf` prints it. */
  fingerprint: string
  status: HostKeyStatus
  /** The known_hosts line that would pin this key. */
  knownHostsLine: string
}

/** The connection dropped (network, reboot, sshd restart). `reconnect()` and retry. */
export class SshConnectionLostError extends ActionError {
  constructor(description: string, detail: string) {
    super(
      `The SSH connection to ${description} was lost${detail === '' ? '' : ` (${detail})`}`,
      'Check that the host is up and reachable from the runner; a long run on the target keeps going and can be reattached'
    )
    this.name = 'SshConnectionLostError'
  }
}

interface Connection {
  target: NodeSSH
  client: Client
  jump?: NodeSSH
  /** Set once the connection closed; every later use rejects with it. */
  lost?: SshConnectionLostError
  sftp?: Promise<SFTPWrapper>
}

/** Default host key algorithms for each known_hosts key type (to prefer the pinned types in negotiation). */
const ALGORITHMS_FOR_TYPE: Record<string, ServerHostKeyAlgorithm[]> = {
  'ssh-ed25519': ['ssh-ed25519'],
  'ecdsa-sha2-nistp256': ['ecdsa-sha2-nistp256'],
  'ecdsa-sha2-nistp384': ['ecdsa-sha2-nistp384'],
  'ecdsa-sha2-nistp521': ['ecdsa-sha2-nistp521'],
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']
}

export class SshTarget implements Target {
  readonly description: string
  /** The host keys offered in the latest connection (jump host first). */
  hostKeys: HostKeyInfo[] = []

  private readonly options: SshTargetOptions
  private readonly knownHosts: KnownHosts
  private readonly privateKey: string
  private connection: Connection | undefined
  private connecting: Promise<Connection> | undefined
  private closed = false

  constructor(options: SshTargetOptions) {
    this.options = { ...options }
    this.knownHosts = parseKnownHosts(options.knownHosts ?? '')
    // Secrets pasted into a web form often come with CRLF line ends or without the final newline.
    // PKCS#8 keys, which OpenSSH accepts, are converted to a form ssh2 reads.
    this.privateKey = sshReadableKey(
      `${options.privateKey.replace(/\r\n?/g, '\n').trim()}\n`,
      options.passphrase
    )
    const { host, port, user, jumpHost } = options
    const via =
      jumpHost === undefined ? '' : ` via ${jumpHost.user}@${hostPort(jumpHost.host, jumpHost.port)}`
    this.description = `${user}@${hostPort(host, port)}${via}`
  }

  /** Connect (jump host first, if any). Throws an ActionError naming the input to fix. */
  async connect(): Promise<void> {
    await this.ensureConnection()
  }

  async reconnect(): Promise<void> {
    if (this.closed) throw new Error(`SSH target ${this.description} is closed`)
    await this.disconnect()
    await this.ensureConnection()
  }

  async close(): Promise<void> {
    this.closed = true
    await this.disconnect()
  }

  async exec(argv: readonly string[], options: ExecOptions = {}): Promise<CommandResult> {
    // Contains env values (possibly secrets): never logged, never put into an error message.
    const command = buildRemoteCommand(argv, options)
    const connection = await this.ensureConnection()
    return new Promise<CommandResult>((resolve, reject) => {
      try {
        connection.client.exec(command, (error, channel) => {
          if (error === undefined) this.collect(connection, channel, argv, options).then(resolve, reject)
          else
            reject(
              connection.lost ??
                new Error(`Cannot start '${argv[0]}' on ${this.description}: ${error.message}`)
            )
        })
      } catch (error) {
        // ssh2 throws "Not connected" synchronously when the socket just went away.
        reject(connection.lost ?? new SshConnectionLostError(this.description, describeError(error)))
      }
    })
  }

  async readFile(path: string): Promise<Buffer> {
    const sftp = await this.sftp()
    try {
      // A FIFO or a device would be read for ever (or never answer): regular files only.
      const stats = await sftpCall<Stats>((done) => sftp.stat(path, done))
      if (!stats.isFile()) throw new Error('not a regular file')
      return await sftpCall<Buffer>((done) => sftp.readFile(path, done))
    } catch (error) {
      throw this.fileError('read', path, error)
    }
  }

  async writeFile(path: string, content: string | Buffer, mode = 0o600): Promise<void> {
    const connection = await this.ensureConnection()
    const sftp = await this.sftp()
    const parent = posix.dirname(path)
    try {
      await connection.target.mkdir(parent, 'sftp', sftp)
    } catch (error) {
      throw this.fileError('create the directory of', path, error)
    }
    // Write a private temp file next to it and rename it over the target: readers never see a partial
    // file, and a secret never sits in a file with wider permissions.
    const temp = `${path}.tmp-${randomBytes(4).toString('hex')}`
    try {
      await sftpCall((done) => sftp.writeFile(temp, content, { mode: 0o600 }, done))
      await sftpCall((done) => sftp.chmod(temp, mode, done)) // the server's umask applied to the open
      await sftpCall((done) => sftp.ext_openssh_rename(temp, path, done)).catch(async () => {
        // Without posix-rename@openssh.com, SFTP rename refuses to replace an existing file.
        await sftpCall((done) => sftp.unlink(path, done)).catch(() => undefined)
        await sftpCall((done) => sftp.rename(temp, path, done))
      })
    } catch (error) {
      await sftpCall((done) => sftp.unlink(temp, done)).catch(() => undefined)
      throw this.fileError('write', path, error)
    }
  }

  async download(remotePath: string, localPath: string): Promise<void> {
    const connection = await this.ensureConnection()
    const sftp = await this.sftp()
    await mkdir(dirname(localPath), { recursive: true })
    try {
      await connection.target.getFile(localPath, remotePath, sftp)
    } catch (error) {
      throw this.fileError('download', remotePath, error)
    }
  }

  private async collect(
    connection: Connection,
    channel: ClientChannel,
    argv: readonly string[],
    options: ExecOptions
  ): Promise<CommandResult> {
    const startedAt = Date.now()
    return new Promise((resolve, reject) => {
      const output = collectOutput(channel, channel.stderr, options)
      let code: number | undefined
      let signal: string | undefined
      const result = (): CommandResult => ({ code: -1, ...output() })
      // Only the first outcome counts (a promise settles once).
      const finish = (outcome: CommandResult | Error): void => {
        clearTimeout(timer)
        if (outcome instanceof Error) reject(outcome)
        else resolve(outcome)
      }
      channel.on('exit', (exitCode: number | null, exitSignal?: string) => {
        if (exitCode !== null) code = exitCode
        else signal = exitSignal ?? 'unknown'
      })
      // The remote `timeout` (withTimeout) stops the command; this is the backstop when it cannot
      // (no `timeout` there, a hung host): give up waiting, the command may keep running.
      const timer =
        options.timeoutMs === undefined
          ? undefined
          : setTimeout(
              () => {
                finish({ ...result(), timedOut: true })
                channel.close()
              },
              options.timeoutMs + (TIMEOUT_KILL_AFTER_S + 2) * 1000
            )
      channel.on('close', () => {
        const elapsed = Date.now() - startedAt
        // GNU timeout re-raises a KILL it had to send: then there is an exit signal, not a status.
        const killed = signal !== undefined && hitTimeout(137, elapsed, options.timeoutMs)
        if (killed || hitTimeout(code, elapsed, options.timeoutMs)) finish({ ...result(), timedOut: true })
        else if (code !== undefined) finish({ ...result(), code })
        else if (signal !== undefined) finish(result())
        else {
          // No exit status: the connection went down (ssh2 emits the client's 'close' first).
          finish(
            connection.lost ?? new SshConnectionLostError(this.description, `while running '${argv[0]}'`)
          )
        }
      })
      channel.on('error', (error: Error) => {
        finish(connection.lost ?? new Error(`'${argv[0]}' on ${this.description}: ${error.message}`))
      })
      if (options.stdin !== undefined) channel.end(options.stdin)
      else channel.end()
    })
  }

  private async sftp(): Promise<SFTPWrapper> {
    const connection = await this.ensureConnection()
    if (connection.sftp === undefined) {
      connection.sftp = connection.target.requestSFTP()
      connection.sftp.catch(() => {
        connection.sftp = undefined
      })
    }
    try {
      return await connection.sftp
    } catch (error) {
      throw connection.lost ?? new Error(`Cannot start SFTP on ${this.description}: ${describeError(error)}`)
    }
  }

  private fileError(verb: string, path: string, error: unknown): Error {
    if (error instanceof SshConnectionLostError) return error
    if (this.connection?.lost !== undefined) return this.connection.lost
    return new Error(`Cannot ${verb} ${path} on ${this.description}: ${describeError(error)}`)
  }

  private async ensureConnection(): Promise<Connection> {
    if (this.closed) throw new Error(`SSH target ${this.description} is closed`)
    if (this.connection !== undefined) {
      if (this.connection.lost !== undefined) throw this.connection.lost
      return this.connection
    }
    if (this.connecting === undefined) {
      this.connecting = this.open().finally(() => {
        this.connecting = undefined
      })
    }
    return this.connecting
  }

  /** Waits for a connection attempt under way, then closes the connection. */
  private async disconnect(): Promise<void> {
    await this.connecting?.catch(() => undefined)
    if (this.connection !== undefined) this.drop(this.connection, 'closed by the action')
    this.connection = undefined
  }

  /** Marks the connection lost (every later use rejects with that error until reconnect()) and closes it. */
  private drop(connection: Connection, detail: string): void {
    connection.lost ??= new SshConnectionLostError(this.description, detail)
    connection.target.dispose()
    connection.jump?.dispose()
  }

  private async open(): Promise<Connection> {
    const { host, port, user, jumpHost } = this.options
    this.checkPrivateKey()
    this.hostKeys = []
    let jump: NodeSSH | undefined
    let sock: Readable | undefined
    if (jumpHost !== undefined) {
      jump = await this.connectHop(jumpHost, 'jump host')
      try {
        sock = await jump.forwardOut('127.0.0.1', 0, host, port)
      } catch (error) {
        jump.dispose()
        const target = hostPort(host, port)
        const via = hostPort(jumpHost.host, jumpHost.port)
        throw new ActionError(
          `The jump host ${via} could not open a connection to ${target}: ${describeError(error)}`,
          `Check ssh-host and ssh-port as the jump host sees them (\`nc -zv ${host} ${port}\` on ${jumpHost.host}), ` +
            `and that its sshd allows TCP forwarding (AllowTcpForwarding yes)`
        )
      }
    }
    let target: NodeSSH
    try {
      target = await this.connectHop({ host, port, user }, 'target', sock)
    } catch (error) {
      jump?.dispose()
      throw error
    }
    // Set by connect(); node-ssh clears it only on 'close', which cannot come before this line runs.
    const client = target.connection as Client
    const connection: Connection = { target, client, ...(jump === undefined ? {} : { jump }) }
    let lastError = ''
    const onError = (error: Error): void => {
      const keepalive = errorProperty(error, 'level') === 'client-timeout'
      lastError = keepalive ? `no keepalive answer: ${error.message}` : error.message
    }
    const onClose = (): void => this.drop(connection, lastError)
    // ssh2 emits 'error' after connect (keepalive timeout, reset): without a listener it would crash the process.
    client.on('error', onError)
    client.on('close', onClose)
    if (jump !== undefined) {
      jump.connection?.on('error', onError)
      jump.connection?.on('close', onClose)
    }
    this.connection = connection
    return connection
  }

  /** Connect one hop; host key checked in hostVerifier; every failure becomes an ActionError. */
  private async connectHop(
    endpoint: SshEndpoint,
    role: HostKeyInfo['role'],
    sock?: Readable
  ): Promise<NodeSSH> {
    const ssh = new NodeSSH()
    let refusedKey: HostKeyInfo | undefined
    const hostVerifier = (key: Buffer): boolean => {
      // Called again at every re-key: check every time, report once.
      const info = this.describeHostKey(endpoint, role, key)
      const seen = this.hostKeys.some((k) => k.role === role && k.fingerprint === info.fingerprint)
      if (!seen) this.hostKeys.push(info)
      if (info.status === 'match') return true
      if (!this.options.strictHostKeyChecking) {
        if (!seen) this.options.onUnverifiedHostKey?.(info)
        return true
      }
      refusedKey = info
      return false
    }
    try {
      await ssh.connect({
        ...(sock === undefined ? { host: endpoint.host } : { sock }),
        port: endpoint.port,
        username: endpoint.user,
        privateKey: this.privateKey,
        ...(this.options.passphrase === undefined || this.options.passphrase === ''
          ? {}
          : { passphrase: this.options.passphrase }),
        hostVerifier,
        algorithms: this.algorithmsFor(endpoint),
        readyTimeout: this.options.readyTimeoutMs,
        keepaliveInterval: this.options.keepaliveIntervalMs,
        keepaliveCountMax: 3,
        tryKeyboard: false
      })
    } catch (error) {
      ssh.dispose()
      if (refusedKey !== undefined) throw hostKeyError(refusedKey, this.options.jumpHost !== undefined)
      throw this.connectError(endpoint, role, error)
    }
    return ssh
  }

  /** Prefer the key types ssh-known-hosts pins for this host, as OpenSSH does. */
  private algorithmsFor(endpoint: SshEndpoint): Algorithms | undefined {
    const preferred = knownKeyTypes(this.knownHosts, endpoint.host, endpoint.port).flatMap(
      (type) => ALGORITHMS_FOR_TYPE[type] ?? []
    )
    if (preferred.length === 0) return undefined
    // Order matters: ssh2 applies the operations in key order, and prepend skips names already listed.
    return { serverHostKey: { remove: preferred, prepend: preferred, append: [] } }
  }

  private describeHostKey(endpoint: SshEndpoint, role: HostKeyInfo['role'], key: Buffer): HostKeyInfo {
    return {
      role,
      host: endpoint.host,
      port: endpoint.port,
      keyType: keyTypeOf(key) ?? 'unknown',
      fingerprint: fingerprintSha256(key),
      status: checkHostKey(this.knownHosts, endpoint.host, endpoint.port, key),
      knownHostsLine: knownHostsLine(endpoint.host, endpoint.port, key)
    }
  }

  /** Fail early, with the input to change, when the key cannot be used (before any network traffic). */
  private checkPrivateKey(): void {
    const { passphrase } = this.options
    if (this.privateKey.trim() === '') {
      throw new ActionError(
        'ssh-private-key is empty',
        'Set ssh-private-key to the private key text (a secret)'
      )
    }
    const parsed = ssh2.utils.parseKey(this.privateKey, passphrase === '' ? undefined : passphrase)
    if (parsed instanceof Error) {
      if (/no passphrase given/i.test(parsed.message)) {
        throw new ActionError(
          'ssh-private-key is encrypted with a passphrase',
          'Set ssh-passphrase to its passphrase (as a secret)'
        )
      }
      if (/bad passphrase|integrity check failed|decrypt/i.test(parsed.message)) {
        throw new ActionError(
          'ssh-passphrase does not decrypt ssh-private-key',
          'Set ssh-passphrase to the passphrase of this key (check the secret for trailing spaces or newlines)'
        )
      }
      throw new ActionError(
        `ssh-private-key is not a usable private key (${parsed.message})`,
        'Paste the whole private key file, from "-----BEGIN" to "-----END … KEY-----", into the secret'
      )
    }
    const key = Array.isArray(parsed) ? (parsed[0] as ssh2.ParsedKey | undefined) : parsed
    if (key === undefined || !key.isPrivateKey()) {
      throw new ActionError(
        'ssh-private-key holds a public key, not a private key',
        'Use the private key file (e.g. id_ed25519, not id_ed25519.pub)'
      )
    }
  }

  private connectError(endpoint: SshEndpoint, role: HostKeyInfo['role'], error: unknown): ActionError {
    const where = hostPort(endpoint.host, endpoint.port)
    const hop = role === 'target' ? `SSH host ${where}` : `SSH jump host ${where}`
    const hostInputs = role === 'target' ? 'ssh-host and ssh-port' : 'ssh-jump-host'
    const userInput = role === 'target' ? 'ssh-user' : 'the user in ssh-jump-host'
    const code = errorProperty(error, 'code')
    const level = errorProperty(error, 'level')
    const message = describeError(error)
    if (code === 'ECONNREFUSED') {
      return new ActionError(
        `Connection to ${hop} refused`,
        `Check ${hostInputs}: nothing accepts connections there (is sshd running on that port?)`
      )
    }
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || level === 'client-dns') {
      return new ActionError(
        `Cannot resolve the ${role === 'target' ? 'SSH host' : 'SSH jump host'} name '${endpoint.host}'`,
        `Check ${hostInputs} (the runner must be able to resolve it)`
      )
    }
    if (
      level === 'client-timeout' ||
      code === 'ETIMEDOUT' ||
      code === 'EHOSTUNREACH' ||
      code === 'ENETUNREACH' ||
      /timed out/i.test(message)
    ) {
      return new ActionError(
        `No SSH answer from ${hop} within ${Math.round(this.options.readyTimeoutMs / 1000)} s (${message})`,
        `Check ${hostInputs}, and that the runner can reach that host and port (firewall, VPN, security group)`
      )
    }
    if (level === 'client-authentication' || /authentication methods failed/i.test(message)) {
      return new ActionError(
        `SSH authentication as ${endpoint.user} on ${hop} failed: the server did not accept ssh-private-key`,
        `Add the public half of ssh-private-key to ~${endpoint.user}/.ssh/authorized_keys on ${endpoint.host}, ` +
          `or fix ${userInput}`
      )
    }
    if (code === 'ECONNRESET' || /before handshake|connection lost/i.test(message)) {
      return new ActionError(
        `${hop} closed the connection during the SSH handshake (${message})`,
        `Check ${hostInputs} point at an SSH server, and the server's logs (MaxStartups, AllowUsers, sshd_config)`
      )
    }
    return new ActionError(
      `SSH connection to ${hop} failed: ${message}`,
      `Check ${hostInputs} and ${userInput}`
    )
  }
}

/** The ActionError for a refused host key: what was offered, and how to pin it. */
export function hostKeyError(key: HostKeyInfo, behindJumpHost: boolean): ActionError {
  const hop = `${key.role === 'target' ? 'SSH host' : 'SSH jump host'} ${hostPort(key.host, key.port)}`
  const offered = `${key.keyType} key ${key.fingerprint}`
  const name = knownHostsName(key.host, key.port)
  let message: string
  if (key.status === 'revoked') {
    message = `The ${hop} offered the ${offered}, which ssh-known-hosts marks @revoked`
  } else if (key.status === 'mismatch') {
    message =
      `The ${hop} offered the ${offered}, which does not match the key(s) ssh-known-hosts lists for ${name}. ` +
      'The host may have been reinstalled — or someone is intercepting the connection'
  } else {
    message = `The ${hop} offered the ${offered}, but ssh-known-hosts has no entry for ${name}`
  }
  const scanWhere =
    key.role === 'target' && behindJumpHost
      ? ' on the jump host (the runner cannot reach this host directly)'
      : ''
  const hint =
    `Check that fingerprint on the host itself (\`ssh-keygen -lf /etc/ssh/ssh_host_${shortKeyType(key.keyType)}_key.pub\`), ` +
    `then put its line into ssh-known-hosts: run \`${keyscanCommand(key.host, key.port)}\`${scanWhere}, ` +
    `or add exactly: ${key.knownHostsLine} ` +
    '(ssh-strict-host-key-checking: false skips this check — not recommended)'
  return new ActionError(message, hint)
}

/** An SFTP request with a Node-style callback, as a promise. */
function sftpCall<T = void>(request: (done: (error?: Error | null, value?: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) =>
    request((error, value) => (error ? reject(error) : resolve(value as T)))
  )
}

/** `host:port`, with IPv6 addresses in brackets. */
function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`
}

function shortKeyType(keyType: string): string {
  if (keyType === 'ssh-ed25519') return 'ed25519'
  if (keyType.startsWith('ecdsa-')) return 'ecdsa'
  if (keyType === 'ssh-rsa') return 'rsa'
  return '*'
}

function errorProperty(error: unknown, name: 'code' | 'level'): string | undefined {
  if (typeof error !== 'object' || error === null || !(name in error)) return undefined
  const value = (error as Record<string, unknown>)[name]
  return typeof value === 'string' ? value : undefined
}
