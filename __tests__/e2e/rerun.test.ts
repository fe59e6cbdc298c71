/**
 * rerun-failures on the loopback cloud: SLO is off while the first attempt runs its SLO tests, back on for the
 * rerun. The four SLO tests then pass on the rerun: they count, and are reported as flaky.
 */
import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { afterAll, describe, expect, inject, it } from 'vitest'
// @ts-expect-error -- plain JavaScript helper shared with npm run demo
import { ROOT, devCloudEnv, runAction } from '../../scripts/lib/run-action.mjs'

const skip = inject('cloudSkipReason')
const middleware = (...args: string[]) =>
  execFileSync('bash', [path.join(ROOT, 'scripts/dev-cloud/break-middleware.sh'), ...args], {
    stdio: 'ignore'
  })

describe.skipIf(skip !== '')(`rerun-failures${skip ? ` (skipped: ${skip})` : ''}`, () => {
  afterAll(() => middleware('restore'))

  it('reruns only the failed required tests; a pass on the rerun counts and is flaky', async () => {
    const cloud = devCloudEnv()
    middleware('remove', 'slo')
    let restored = false
    const result = await runAction(
      {
        guideline: '2020.06',
        'guideline-source': 'bundled',
        program: 'object',
        'tempest-conf': cloud.TEMPEST_CONF,
        'rerun-failures': '2',
        'artifact-name': ''
      },
      {
        // Put SLO back once the first attempt has failed its four SLO tests (before the rerun starts).
        onStdout: (all: string) => {
          if (!restored && (all.match(/ObjectSloTest\.\S+ \[[\d.]+s\] \.\.\. FAILED/g) ?? []).length === 4) {
            restored = true
            middleware('restore')
          }
        }
      }
    )
    expect(restored).toBe(true)
    expect(result.stdout).toMatch(/Rerun \d+ failed required tests \(attempt 1 of 2\)/)
    expect(result.code).toBe(0)
    expect(result.outputs.compliant).toBe('true')
    expect(Number(result.outputs.flaky)).toBeGreaterThanOrEqual(4)
    expect(result.summary).toContain('Flaky (passed in one attempt, failed in another)')
    expect(result.stdout).toMatch(
      /::warning title=Flaky test%3A passed in one attempt%2C failed in another::tempest\.api\.object_storage\.test_object_slo\.ObjectSloTest\./
    )
    expect(result.summary).toContain('ObjectSloTest.test_upload_manifest')
  })
})
