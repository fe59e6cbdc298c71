/**
 * Many runs on one cloud, the two cases that need the cloud to themselves (they run after the compute runs the
 * global setup starts in the background; see the e2e sequencer): a rerun keeps its claim while another run is
 * queued (SLO is removed from the Swift proxy, which would fail the platform program's object tests of a
 * compute run), and a run reaching timeout-minutes reports the tests that finished (its first result must come
 * inside the one-minute deadline, which a busy machine can delay). Through dist/ on the loopback cloud's host.
 */
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
// @ts-expect-error -- plain JavaScript helper shared with npm run demo
import { ROOT, devCloudEnv, runAction } from '../../scripts/lib/run-action.mjs'
import {
  type ActionResult,
  RESULT_LINE,
  SMALL,
  alive,
  attemptDir,
  base,
  hang,
  report,
  streams
} from './many-runs.js'
import { computeRunsSettled } from './shared-runs.js'

const skip = inject('cloudSkipReason')

describe.skipIf(skip !== '')(
  `many runs on one cloud, the cloud to themselves${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    const cloud = skip === '' ? devCloudEnv() : {}
    beforeAll(() => computeRunsSettled(), 90 * 60_000)

    describe('with slo removed from the Swift proxy pipeline', () => {
      const middleware = (...args: string[]) =>
        execFileSync('bash', [path.join(ROOT, 'scripts/dev-cloud/break-middleware.sh'), ...args], {
          stdio: 'ignore'
        })
      afterAll(() => middleware('restore'))

      it('a run with a broken capability and rerun-failures: 1, while another run is queued: its report is complete', async () => {
        middleware('remove', 'slo')
        let queued: Promise<ActionResult> | undefined
        const broken = (await runAction(
          {
            ...base(cloud),
            capabilities: 'objectstore-slo-support,objectstore-info-request',
            'rerun-failures': '1'
          },
          {
            // Queued once this run's first test has finished: it waits through the rerun.
            onStdout: (all: string) => {
              if (!queued && RESULT_LINE.test(all))
                queued = runAction({ ...base(cloud), capabilities: SMALL })
            }
          }
        )) as ActionResult
        expect(queued).toBeDefined()
        const other = (await queued) as ActionResult
        expect(broken.stdout).toMatch(/Rerun 4 failed required tests \(attempt 1 of 1\)/)
        expect(broken.code).toBe(1)
        expect(broken.outputs).toMatchObject({ compliant: 'false', required: '5', passed: '1', failed: '4' })
        const r = report(broken)
        expect(r.compliance.failingCapabilities).toEqual(['objectstore-slo-support'])
        expect(r.errors).toEqual([])
        expect(broken.summary).toContain('| ❌ | objectstore-slo-support | 0/4 |')
        expect(existsSync(path.join(path.dirname(broken.outputs['report-file']), 'rerun-1.subunit'))).toBe(
          true
        )
        expect(streams(broken.stdout)).toHaveLength(2)
        // The queued run waited for the whole run, rerun included, then ran on its own.
        const claimDir = path.dirname(attemptDir(broken.stdout) as string)
        expect(other.stdout).toContain(`Waiting for the refstack-action run ${claimDir} since`)
        expect(other.code).toBe(0)
        expect(other.outputs).toMatchObject({ compliant: 'true', passed: '4' })
        for (const stream of streams(other.stdout)) expect(streams(broken.stdout)).not.toContain(stream)
        // …and its Tempest ran after the rerun: its stream number comes after the rerun's.
        const number = (stream: string): number => Number(/\/(\d+)$/.exec(stream)?.[1])
        expect(number(streams(other.stdout)[0])).toBeGreaterThan(number(streams(broken.stdout)[1]))
      })
    })

    it('timeout-minutes reached mid-run: the tests that finished are reported, partial, not compliant', async () => {
      let hung: number[] = []
      const result = (await runAction(
        // The whole object program: its first result comes long before its last (the SMALL subset's four tests
        // can all end inside one poll of the log, before the hang could stop a worker).
        { ...base(cloud), 'timeout-minutes': '1' },
        {
          onStdout: (all: string) => {
            if (hung.length === 0 && RESULT_LINE.test(all)) hung = hang(attemptDir(all) as string)
          }
        }
      )) as ActionResult
      expect(hung.length).toBeGreaterThan(0)
      expect(result.stdout).toContain('The Tempest run reached timeout-minutes')
      expect(result.code).toBe(1)
      expect(result.outputs.compliant).toBe('false')
      const r = report(result)
      expect(r.run).toMatchObject({ timedOut: true, partial: true })
      expect(r.compliance.passed).toBeGreaterThanOrEqual(1)
      expect(r.compliance.passed).toBeLessThan(58)
      expect(r.errors.join('\n')).toContain('stopped at timeout-minutes')
      for (const pid of hung) expect(alive(pid)).toBe(false)
    })
  }
)
