/**
 * A plain Tempest test list run for real: refstack-client and Tempest on the runner against the loopback
 * Keystone + Swift. A listed test the installed Tempest does not have is dropped by refstack-client (a log
 * line only); the action reports it missing, says why, and fails the run. The run waits for any other run on
 * the same target (one Tempest workspace), hence the long limit.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
// @ts-expect-error -- plain JavaScript helper shared with npm run demo
import { devCloudEnv, runAction } from '../../scripts/lib/run-action.mjs'

const skip = inject('cloudSkipReason')

const PRESENT = [
  'tempest.api.identity.v3.test_tokens.TokensV3Test.test_create_token[id-6f8e4436-fc96-4282-8122-e41df57197a9]',
  'tempest.api.object_storage.test_account_services.AccountTest.test_list_containers[id-3499406a-ae53-4f8c-b43a-133d4dc6fe3f,smoke]',
  'tempest.api.object_storage.test_object_services.ObjectTest.test_create_object'
]
/** A name Tempest has never had, in a module it has. */
const ABSENT = 'tempest.api.object_storage.test_object_services.ObjectTest.test_refstack_action_absent_test'

describe.skipIf(skip !== '')(
  `a plain test list on the loopback cloud${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    let cloud: Record<string, string>
    let dir: string
    beforeAll(() => {
      cloud = devCloudEnv()
      dir = mkdtempSync(path.join(tmpdir(), 'refstack-list-e2e-'))
    })
    afterAll(() => {
      rmSync(dir, { recursive: true, force: true })
    })

    it(
      'a test the installed Tempest lacks is reported missing, with the reason, and fails the run',
      async () => {
        const list = path.join(dir, 'cloud-a.lst')
        writeFileSync(list, ['# must pass on cloud A', ...PRESENT, '', ABSENT, ''].join('\n'))
        const result = await runAction({
          guideline: list,
          'tempest-conf': cloud.TEMPEST_CONF,
          'artifact-name': ''
        })
        expect(result.code).toBe(1)
        expect(result.outputs).toMatchObject({
          compliant: 'false',
          required: '4',
          passed: '3',
          failed: '0',
          missing: '1'
        })
        expect(result.stdout).toContain(
          '::error::Not compliant with test list cloud-a.lst: 3/4 required tests passed (75%25); failing services: object-storage'
        )
        const report = JSON.parse(readFileSync(result.outputs['report-file'], 'utf8')) as {
          run: { notInTempest: string[] }
          compliance: { tests: Array<{ name: string; outcome: string; detail?: string }> }
        }
        expect(report.run.notInTempest).toEqual([ABSENT])
        expect(report.compliance.tests.find((t) => t.name === ABSENT)).toMatchObject({
          outcome: 'missing',
          detail: 'The installed Tempest has no test of this name (refstack-client dropped it from the list)'
        })
        expect(result.summary).toContain('| ✅ | identity | 1/1 |')
        expect(result.summary).toContain('| ❌ | object-storage | 2/3 |')
        expect(result.summary).toContain('### Missing (did not run) (1)')
      },
      60 * 60_000
    )
  }
)
