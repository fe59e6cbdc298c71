/**
 * POSIX shell quoting. SSH sends one command string that the remote user's login shell parses, so every
 * argument is quoted exactly once here and the remote shell turns the string back into the same argv.
 * Assumes a POSIX-compatible login shell (sh, bash, dash, zsh, ksh) — csh/tcsh treat `!` and newlines
 * inside single quotes differently.
 */

/** Characters that never need quoting anywhere in a word (no `=`: a first word `A=b` would be an assignment). */
const SAFE = /^[A-Za-z0-9_\-+.,/:@%]+$/

/** Quote one argument so that a POSIX shell reads it back as exactly this string (no expansion at all). */
export function quoteArg(arg: string): string {
  if (arg === '') return "''"
  if (SAFE.test(arg)) return arg
  // Inside single quotes nothing is special except the single quote itself: close, add \', reopen.
  return `'${arg.replace(/'/g, `'\\''`)}'`
}

/** Quote an argument list into one command string: `['printf', '%s\n', 'a b']` → `printf '%s\n' 'a b'`. */
export function quoteCommand(argv: readonly string[]): string {
  if (argv.length === 0) throw new Error('quoteCommand: empty argument list')
  return argv.map(quoteArg).join(' ')
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

/** Whether `name` is a valid environment variable name (what `env NAME=VALUE` and `lxc-attach -v` accept). */
export function isEnvName(name: string): boolean {
  return ENV_NAME.test(name)
}

/**
 * `env 'K=V' … argv…` as an argument list, for targets that pass the environment on the command line.
 * Throws on an invalid name (the value is never put in the message: it may be a secret).
 */
export function withEnv(
  argv: readonly string[],
  env: Readonly<Record<string, string>> | undefined
): string[] {
  const entries = Object.entries(env ?? {})
  if (entries.length === 0) return [...argv]
  for (const [name] of entries) {
    if (!isEnvName(name)) throw new Error(`Invalid environment variable name '${name}'`)
  }
  return ['env', ...entries.map(([name, value]) => `${name}=${value}`), ...argv]
}

/**
 * The full remote command: optional `cd DIR &&`, optional `timeout …` (see withTimeout), optional
 * `env K=V`, then the quoted argv. If `cd` fails the command does not run (non-zero, the shell's message on stderr).
 */
export function buildRemoteCommand(
  argv: readonly string[],
  options: { env?: Readonly<Record<string, string>>; cwd?: string; timeoutMs?: number } = {}
): string {
  const command = quoteCommand(withTimeout(withEnv(argv, options.env), options.timeoutMs))
  return options.cwd === undefined ? command : `cd -- ${quoteArg(options.cwd)} && ${command}`
}

/** Seconds between `timeout`'s TERM and its KILL when the command ignores TERM. */
export const TIMEOUT_KILL_AFTER_S = 5

/**
 * `timeout -s TERM -k 5 SECONDS argv…`: the limit enforced on the remote side. Closing an SSH channel
 * does not end the command (no pty; and OpenSSH ignores signal requests in root sessions), and signals to
 * `lxc-attach` never reach the command inside, so only a watchdog next to the command can stop it.
 */
export function withTimeout(argv: readonly string[], timeoutMs: number | undefined): string[] {
  if (timeoutMs === undefined) return [...argv]
  const seconds = Math.max(timeoutMs, 1) / 1000
  return ['timeout', '-s', 'TERM', '-k', String(TIMEOUT_KILL_AFTER_S), String(seconds), ...argv]
}

/** Whether a result of a `withTimeout` command means the limit was hit (timeout's 124, or 137 after KILL). */
export function hitTimeout(
  code: number | undefined,
  elapsedMs: number,
  timeoutMs: number | undefined
): boolean {
  if (timeoutMs === undefined || code === undefined) return false
  return (code === 124 || code === 137) && elapsedMs >= timeoutMs - 20
}
