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
export function withEnv(argv: readonly string[], env: Readonly<Record<string, string>> | undefined): string[] {
  const entries = Object.entries(env ?? {})
  if (entries.length === 0) return [...argv]
  for (const [name] of entries) {
    if (!isEnvName(name)) throw new Error(`Invalid environment variable name '${name}'`)
  }
  return ['env', ...entries.map(([name, value]) => `${name}=${value}`), ...argv]
}

/**
 * The full remote command: optional `cd DIR &&`, optional `env K=V`, then the quoted argv.
 * If `cd` fails the command does not run (exit 1 with the shell's message on stderr).
 */
export function buildRemoteCommand(
  argv: readonly string[],
  options: { env?: Readonly<Record<string, string>>; cwd?: string } = {}
): string {
  const command = quoteCommand(withEnv(argv, options.env))
  return options.cwd === undefined ? command : `cd -- ${quoteArg(options.cwd)} && ${command}`
}
