/**
 * What the many-runs end-to-end files share: the inputs of an object run on the loopback cloud's host (the runner
 * is the target, the default workdir, the shared Tempest workspace), and readers of a run's log and report.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

export interface ActionResult {
  code: number | null
  stdout: string
  outputs: Record<string, string>
  summary: string
  post?: { code: number | null; stdout: string }
}

/** A finished test in refstack-client's log (stestr's subunit-trace line). */
export const RESULT_LINE = /^\{\d+\} tempest\.\S+ .*\.\.\. (ok|FAILED|SKIPPED)/m
export const SMALL = 'objectstore-info-request,objectstore-container-create,objectstore-container-delete'

export const base = (cloud: Record<string, string>): Record<string, string> => ({
  guideline: '2020.06',
  'guideline-source': 'bundled',
  program: 'object',
  'tempest-conf': cloud.TEMPEST_CONF as string,
  'artifact-name': ''
})

export function report(result: ActionResult): {
  compliance: { compliant: boolean; passed: number; required: number; failingCapabilities: string[] }
  run?: { timedOut: boolean; partial?: boolean }
  errors: string[]
} {
  return JSON.parse(readFileSync(result.outputs['report-file'] as string, 'utf8'))
}

/** The streams refstack-client named for a run (main and reruns). */
export const streams = (stdout: string): string[] =>
  [...stdout.matchAll(/Subunit results located in: (\S+)/g)].map((m) => m[1] as string)

/** The attempt directory of the run whose log this is (its test list is in it). */
export const attemptDir = (stdout: string): string | undefined =>
  /--test-list (\S+)\/test-list\.txt/.exec(stdout)?.[1]

/** Stops (SIGSTOP) the stestr workers of a run's attempt: the run hangs as a hung Tempest does. */
export function hang(attempt: string): number[] {
  const group = readFileSync(`${attempt}/pid`, 'utf8').trim()
  const found = execFileSync('sh', ['-c', 'pgrep -g "$1" -f stestr.subunit_runner || true', 'sh', group], {
    encoding: 'utf8'
  })
  const pids = found
    .split('\n')
    .filter((line) => /^\d+$/.test(line))
    .map(Number)
  for (const pid of pids) process.kill(pid, 'SIGSTOP')
  return pids
}

/** Whether `pid` is a live process (not a zombie). */
export const alive = (pid: number): boolean => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z'
  } catch {
    return false
  }
}
