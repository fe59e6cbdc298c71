/**
 * Runs preflight.py (src/python/) on the target with the Python that runs Tempest, with the test list in
 * <workdir>/preflight/; its JSON is the last line of its output.
 */
import { ActionError } from '../errors.js'
import { installPythonProgram } from '../python/programs.js'
import type { Target } from '../target/target.js'
import type { PreflightRaw } from './findings.js'

const PREFLIGHT_TIMEOUT_MS = 5 * 60_000

/** preflight.py's JSON: the last line of its standard output (Tempest may log to it before). Pure. */
export function parsePreflightOutput(stdout: string): PreflightRaw | undefined {
  const last = stdout.trimEnd().split('\n').pop() ?? ''
  if (!last.startsWith('{')) return undefined
  try {
    return JSON.parse(last) as PreflightRaw
  } catch {
    return undefined
  }
}

export async function runPreflightProgram(
  target: Target,
  options: { python: string; tempestConf: string; testList: string[]; workdir: string }
): Promise<PreflightRaw> {
  const dir = `${options.workdir}/preflight`
  const program = await installPythonProgram(target, options.workdir, 'preflight.py')
  const list = `${dir}/test-list.txt`
  await target.writeFile(list, `${options.testList.join('\n')}\n`, 0o644)
  const result = await target.exec([options.python, program, options.tempestConf, list], {
    cwd: dir,
    timeoutMs: PREFLIGHT_TIMEOUT_MS
  })
  const raw = parsePreflightOutput(result.stdout)
  if (result.code !== 0 || raw === undefined) {
    const tail = (result.stderr || result.stdout).trim().split('\n').slice(-3).join(' ')
    throw new ActionError(
      `The pre-flight on ${target.description} failed${result.timedOut ? ' (timed out)' : ''}: ${tail}`,
      `Check that ${options.python} can import tempest with ${options.tempestConf}, or set 'preflight: off'`
    )
  }
  return raw
}
