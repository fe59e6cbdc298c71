/**
 * The LXC target: commands and files inside a container, through `lxc-attach` run by another target
 * (the runner itself, or an SSH host). How lxc-attach(1) behaves shapes it:
 * the caller's environment leaks unless --clear-env, signals never reach the command inside, and a
 * running container's overlay must not be written from the host — so files go in and out through
 * `lxc-attach` too.
 */
import { readFileSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { ActionError, describeError, lastLines } from '../errors.js'
import { TIMEOUT_KILL_AFTER_S, hitTimeout, isEnvName, withTimeout } from './quote.js'
import type { CommandResult, ExecOptions, Target } from './target.js'

/** PATH inside the container (--clear-env leaves lxc's own minimal default; set it explicitly). */
export const CONTAINER_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'

export interface LxcOptions {
  /** LXC's container directory (`lxc-attach -P`); default: LXC's configured lxcpath (/var/lib/lxc). */
  lxcPath?: string
}

/** Container names LXC accepts (and that cannot be taken for an option). */
const CONTAINER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/

/** openstack-ansible utility container names: `*_utility_container-*` (up to 2023.2) and `*-utility-container-*`. */
const UTILITY_CONTAINER = /(_utility_container-|-utility-container-)/

export interface AttachOptions extends LxcOptions {
  /** Names of variables to carry in from lxc-attach's own environment (`--keep-var`). */
  keepVars?: readonly string[]
  cwd?: string
  /** Limit enforced inside the container by `timeout` (signals to lxc-attach would not reach the command). */
  timeoutMs?: number
}

/**
 * The argument list that runs `argv` inside container `name`:
 * `lxc-attach -n NAME --clear-env -v HOME=/root -v PATH=… [--keep-var K]… -- [timeout …] [sh -c cd…] argv…`.
 * No shell is involved unless `cwd` is set (then `sh -c 'cd -- "$1" && shift && exec "$@"'`, arguments
 * passed positionally, never spliced into the script).
 */
export function lxcAttachArgv(name: string, argv: readonly string[], options: AttachOptions = {}): string[] {
  checkContainerName(name)
  if (argv.length === 0) throw new Error('lxc-attach: empty argument list')
  for (const variable of options.keepVars ?? []) {
    if (!isEnvName(variable)) throw new Error(`Invalid environment variable name '${variable}'`)
  }
  const inContainer =
    options.cwd === undefined
      ? [...argv]
      : ['sh', '-c', 'cd -- "$1" && shift && exec "$@"', 'sh', options.cwd, ...argv]
  return [
    'lxc-attach',
    ...(options.lxcPath === undefined ? [] : ['-P', options.lxcPath]),
    '-n',
    name,
    '--clear-env',
    '-v',
    'HOME=/root',
    '-v',
    `PATH=${CONTAINER_PATH}`,
    ...(options.keepVars ?? []).flatMap((variable) => ['--keep-var', variable]),
    '--',
    ...withTimeout(inContainer, options.timeoutMs)
  ]
}

function checkContainerName(name: string): void {
  if (!CONTAINER_NAME.test(name)) {
    throw new ActionError(
      `Input 'container' is not a valid LXC container name (got '${name}')`,
      "Use the name as `lxc-ls -1` prints it, or 'utility' to find the openstack-ansible utility container"
    )
  }
}

let writeScript: string | undefined

export class LxcTarget implements Target {
  readonly description: string

  constructor(
    /** The target that runs lxc-attach (the container's host). */
    readonly inner: Target,
    /** The container name. */
    readonly name: string,
    private readonly options: LxcOptions = {}
  ) {
    checkContainerName(name)
    this.description = `container ${name} on ${inner.description}`
  }

  async exec(argv: readonly string[], options: ExecOptions = {}): Promise<CommandResult> {
    const { cwd, timeoutMs, ...passOn } = options
    // Values travel in lxc-attach's environment (never on its command line) and --keep-var lets them in.
    const keepVars = Object.keys(options.env ?? {})
    const attach = lxcAttachArgv(this.name, argv, { ...this.options, keepVars, cwd, timeoutMs })
    const startedAt = Date.now()
    let result: CommandResult
    try {
      result = await this.inner.exec(attach, {
        ...passOn,
        // The in-container `timeout` acts first; the inner limit only catches a hung host.
        timeoutMs: timeoutMs === undefined ? undefined : timeoutMs + (TIMEOUT_KILL_AFTER_S + 5) * 1000
      })
    } catch (error) {
      if (error instanceof Error && /ENOENT/.test(error.message)) throw this.notInstalled()
      throw error
    }
    this.checkAttached(result)
    if (result.timedOut === true || hitTimeout(result.code, Date.now() - startedAt, timeoutMs)) {
      return { ...result, code: -1, timedOut: true }
    }
    return result
  }

  async readFile(path: string): Promise<Buffer> {
    const chunks: Buffer[] = []
    const result = await this.exec(['cat', '--', path], { onStdout: (chunk) => chunks.push(chunk) })
    if (result.code !== 0) {
      throw new Error(`Cannot read ${path} in ${this.description}: ${lastLine(result.stderr, result.code)}`)
    }
    return Buffer.concat(chunks)
  }

  async writeFile(path: string, content: string | Buffer, mode = 0o600): Promise<void> {
    // ncc copies lxc-write-file.sh next to the bundle; read once, on the first write.
    writeScript ??= readFileSync(new URL('./lxc-write-file.sh', import.meta.url), 'utf8')
    const result = await this.exec(['sh', '-c', writeScript, 'sh', path, mode.toString(8)], {
      stdin: typeof content === 'string' ? Buffer.from(content, 'utf8') : content
    })
    if (result.code !== 0) {
      throw new Error(`Cannot write ${path} in ${this.description}: ${lastLine(result.stderr, result.code)}`)
    }
  }

  async download(remotePath: string, localPath: string): Promise<void> {
    const content = await this.readFile(remotePath)
    await mkdir(dirname(localPath), { recursive: true })
    await writeFile(localPath, content)
  }

  async reconnect(): Promise<void> {
    await this.inner.reconnect?.()
  }

  /** Closes the inner target too (the LXC target owns it). */
  async close(): Promise<void> {
    await this.inner.close()
  }

  private notInstalled(): ActionError {
    return new ActionError(
      `lxc-attach is not installed on ${this.inner.description}`,
      "Input 'container' needs LXC on that host (the openstack-ansible infra host); leave 'container' empty to run on the host itself"
    )
  }

  /** lxc-attach's own failures (not the command's) become ActionErrors: the command never ran. */
  private checkAttached(result: CommandResult): void {
    const { code, stderr } = result
    if (code === 127 && /lxc-attach: (command )?not found|lxc-attach: No such file/i.test(stderr)) {
      throw this.notInstalled()
    }
    if (code !== 1 && code !== 255) return
    // Only lxc-attach's own lines count: the command inside may well print "does not exist" and exit 1.
    const own = lxcAttachLines(stderr)
    if (
      /Failed to get (the )?init pid|Failed to get attach context|does not exist|is not running|not defined/i.test(
        own
      )
    ) {
      throw new ActionError(
        `Container ${this.name} is not running (or does not exist) on ${this.inner.description}`,
        `Start it (\`lxc-start -n ${this.name}\`) or set 'container' to a running container (\`lxc-ls -f\` on the host lists them)`
      )
    }
    if (/Permission denied|Operation not permitted/i.test(own)) {
      throw new ActionError(
        `lxc-attach into ${this.name} was refused on ${this.inner.description}: ${lastLine(own, code)}`,
        'lxc-attach needs root on the host: set ssh-user to root'
      )
    }
  }
}

/**
 * The openstack-ansible utility container on the host behind `inner` (`container: utility`):
 * exactly one name from `lxc-ls -1` matching `*_utility_container-*` or `*-utility-container-*`.
 */
export async function findUtilityContainer(inner: Target, options: LxcOptions = {}): Promise<string> {
  const argv = ['lxc-ls', ...(options.lxcPath === undefined ? [] : ['-P', options.lxcPath]), '-1']
  let result: CommandResult
  try {
    result = await inner.exec(argv)
  } catch (error) {
    if (error instanceof ActionError) throw error
    throw new ActionError(
      `Cannot run lxc-ls on ${inner.description}: ${describeError(error)}`,
      "Input 'container: utility' needs LXC on that host (the openstack-ansible infra host)"
    )
  }
  if (result.code !== 0) {
    throw new ActionError(
      `lxc-ls failed on ${inner.description} (exit ${result.code}): ${lastLine(result.stderr, result.code)}`,
      result.code === 127
        ? "Input 'container: utility' needs LXC on that host (the openstack-ansible infra host)"
        : 'lxc-ls must run as root to see the system containers: set ssh-user to root'
    )
  }
  const names = result.stdout.split(/\s+/).filter((name) => name !== '')
  const matches = names.filter((name) => UTILITY_CONTAINER.test(name))
  if (matches.length === 1) return matches[0] as string
  const found = names.length === 0 ? 'no containers at all' : `only: ${names.join(', ')}`
  if (matches.length === 0) {
    throw new ActionError(
      `No openstack-ansible utility container on ${inner.description} (lxc-ls -1 lists ${found})`,
      "Set 'container' to the container's name, or point ssh-host at the infra host that runs it"
    )
  }
  throw new ActionError(
    `Several utility containers on ${inner.description}: ${matches.join(', ')}`,
    "Set 'container' to one of these names (openstack-ansible installs Tempest in the first utility host)"
  )
}

/** The lines lxc-attach itself wrote (`lxc-attach: NAME: file: function: line message`), not the command's. */
function lxcAttachLines(stderr: string): string {
  return stderr
    .split('\n')
    .filter((line) => line.trimStart().startsWith('lxc-attach: '))
    .join('\n')
}

/** The last line of a failed command's error output, or its exit status when it printed nothing. */
function lastLine(stderr: string, code: number): string {
  return lastLines(stderr).trim() || `exit ${code}`
}
