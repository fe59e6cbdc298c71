/**
 * The Python programs the action runs on the target (this folder's .py files, which ncc copies into dist/
 * next to the bundle). They are written to `<workdir>/python/` on the target and run from there with the
 * target's Python, so that they import their shared module (keystone_login.py) from their own directory.
 */
import { readFileSync } from 'node:fs'
import * as path from 'node:path'
import { ActionError, describeError, lastLines } from '../errors.js'
import type { CommandResult, ExecOptions, Target } from '../target/target.js'

export type PythonProgram =
  | 'clean_accounts.py'
  | 'keystone_roles.py'
  | 'preflight.py'
  | 'refstack_config.py'
  | 'refstack_client_around.py'

/** Every file a program may import or run, read from the bundle (ncc rewrites each `new URL` to its copy). */
function bundledFiles(): Record<string, string> {
  return {
    'keystone_login.py': readFileSync(new URL('./keystone_login.py', import.meta.url), 'utf8'),
    'clean_accounts.py': readFileSync(new URL('./clean_accounts.py', import.meta.url), 'utf8'),
    'keystone_roles.py': readFileSync(new URL('./keystone_roles.py', import.meta.url), 'utf8'),
    'preflight.py': readFileSync(new URL('./preflight.py', import.meta.url), 'utf8'),
    'refstack_config.py': readFileSync(new URL('./refstack_config.py', import.meta.url), 'utf8'),
    'refstack_client_around.py': readFileSync(new URL('./refstack_client_around.py', import.meta.url), 'utf8')
  }
}

/** Writes the programs to `<workdir>/python/` on the target (mode 0600); returns the path of `program` there. */
export async function installPythonProgram(
  target: Target,
  workdir: string,
  program: PythonProgram
): Promise<string> {
  const dir = path.posix.join(workdir, 'python')
  for (const [name, text] of Object.entries(bundledFiles())) {
    await target.writeFile(path.posix.join(dir, name), text, 0o600)
  }
  return path.posix.join(dir, program)
}

/** A program's answer is the JSON on the last line of its standard output (Tempest may log before it). Pure. */
export function lastLineJson(stdout: string): unknown {
  try {
    return JSON.parse(lastLines(stdout))
  } catch {
    return undefined
  }
}

/** Installs the programs and runs `program` with `python`; `answer` is its last-line JSON, if any. */
export async function runPythonProgram(
  target: Target,
  run: { python: string; workdir: string; program: PythonProgram; args?: string[] },
  options?: ExecOptions
): Promise<{ result: CommandResult; answer: unknown }> {
  const program = await installPythonProgram(target, run.workdir, run.program)
  let result: CommandResult
  try {
    result = await target.exec([run.python, program, ...(run.args ?? [])], options)
  } catch (error) {
    // A lost connection says so itself; anything else means the Python could not be started.
    if (error instanceof ActionError) throw error
    throw new ActionError(
      `Cannot run ${run.python} on ${target.description}: ${describeError(error)}`,
      'Python 3 must be installed on the target'
    )
  }
  return { result, answer: lastLineJson(result.stdout) }
}
