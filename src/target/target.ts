/** Where refstack-client and Tempest run: the runner itself, an SSH host, or an LXC container on either. */
import type { Readable } from 'node:stream'

export interface ExecOptions {
  /** Bytes written to the command's standard input, then closed. */
  stdin?: string | Buffer
  /** Called with each chunk of standard output / error as it arrives (for streaming progress). */
  onStdout?: (chunk: Buffer) => void
  onStderr?: (chunk: Buffer) => void
  /** Extra environment for the command (never logged: values may be secrets). */
  env?: Record<string, string>
  cwd?: string
  /** Abort the command after this many milliseconds (the result then has code -1 and timedOut). */
  timeoutMs?: number
}

export interface CommandResult {
  /** Exit status; -1 when the command was killed by a signal or timed out. */
  code: number
  stdout: string
  stderr: string
  timedOut?: boolean
}

export interface Target {
  /** Human-readable, secret-free description used in messages: "the runner", "root@utility:22". */
  readonly description: string
  /**
   * Run a command given as an argument list (never a shell string: each implementation quotes safely).
   * Resolves with the exit status; rejects only when the command could not be started or the connection failed.
   */
  exec(argv: readonly string[], options?: ExecOptions): Promise<CommandResult>
  /** Read a whole file from the target. Rejects with an error naming the path when it cannot. */
  readFile(path: string): Promise<Buffer>
  /** Write a file on the target (creating parent directories), with the given mode (default 0o600). */
  writeFile(path: string, content: string | Buffer, mode?: number): Promise<void>
  /** Copy a file from the target to a path on the runner. */
  download(remotePath: string, localPath: string): Promise<void>
  /** Re-establish a dropped connection (remote targets only); the next exec uses it. */
  reconnect?(): Promise<void>
  /** Release connections. Safe to call twice. */
  close(): Promise<void>
}

/** Collects a command's output while passing each chunk on to `onStdout`/`onStderr`; `output()` returns it so far. */
export function collectOutput(
  stdout: Readable,
  stderr: Readable,
  options: ExecOptions
): () => { stdout: string; stderr: string } {
  const out: Buffer[] = []
  const err: Buffer[] = []
  stdout.on('data', (chunk: Buffer) => {
    out.push(chunk)
    options.onStdout?.(chunk)
  })
  stderr.on('data', (chunk: Buffer) => {
    err.push(chunk)
    options.onStderr?.(chunk)
  })
  return () => ({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') })
}
