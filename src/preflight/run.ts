/**
 * Runs preflight.py (src/python/) on the target with the Python that runs Tempest, with the test list in
 * <workdir>/preflight/.
 */
import { ActionError } from '../errors.js'
import { runPythonProgram } from '../python/programs.js'
import type { Target } from '../target/target.js'
import type { PreflightRaw } from './findings.js'

const PREFLIGHT_TIMEOUT_MS = 5 * 60_000

export async function runPreflightProgram(
  target: Target,
  options: { python: string; tempestConf: string; testList: string[]; workdir: string }
): Promise<PreflightRaw> {
  const { python, workdir, tempestConf } = options
  const dir = `${workdir}/preflight`
  const list = `${dir}/test-list.txt`
  await target.writeFile(list, `${options.testList.join('\n')}\n`, 0o644)
  const { result, answer } = await runPythonProgram(
    target,
    { python, workdir, program: 'preflight.py', args: [tempestConf, list] },
    { cwd: dir, timeoutMs: PREFLIGHT_TIMEOUT_MS }
  )
  if (result.code !== 0 || typeof answer !== 'object' || answer === null || Array.isArray(answer)) {
    const tail = (result.stderr || result.stdout).trim().split('\n').slice(-3).join(' ')
    throw new ActionError(
      `The pre-flight on ${target.description} failed${result.timedOut ? ' (timed out)' : ''}: ${tail}`,
      `Check that ${options.python} can import tempest with ${options.tempestConf}, or set 'preflight: off'`
    )
  }
  return answer as PreflightRaw
}
