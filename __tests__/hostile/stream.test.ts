/**
 * A subunit stream is foreign text too: test ids and tracebacks with newlines and `::` lines issue no
 * workflow command, whether the summary goes to the step summary file or, outside Actions, to the log.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
// @ts-expect-error -- plain JavaScript helper shared with npm run demo
import { runAction } from '../../scripts/lib/run-action.mjs'
import { STATUS, testPackets } from '../results/subunit-writer.js'
import { effectiveCommands } from './harness.js'

const REQUIRED = 'tempest.api.object_storage.test_container_services.ContainerTest.test_create_container'

function hostileStream(): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'hostile-stream-')), 'stream.v2')
  writeFileSync(
    file,
    Buffer.concat([
      testPackets(`${REQUIRED}[id-92139d73-7819-4db1-85f8-3f2f22a8d91f]`, STATUS.fail, {
        attachments: [{ name: 'traceback', data: 'Traceback:\n::warning::injected by a traceback\n' }]
      }),
      testPackets('tempest.api.fake.Test.test_x\n::warning::injected by a test id', STATUS.fail, {
        attachments: [{ name: 'traceback', data: 'boom' }]
      })
    ])
  )
  return file
}

describe('a stream with hostile test ids and tracebacks', () => {
  for (const where of ['the step summary file', 'the log']) {
    it(`issues no workflow command (summary to ${where})`, async () => {
      const result = await runAction(
        {
          guideline: '2020.06',
          'guideline-source': 'bundled',
          program: 'object',
          'artifact-name': '',
          'results-file': hostileStream(),
          'junit-file': 'junit.xml'
        },
        where === 'the log' ? { env: { GITHUB_STEP_SUMMARY: '' } } : {}
      )
      expect(result.code).toBe(1)
      expect(result.outputs.failed).toBe('1')
      expect(effectiveCommands(result.stdout).filter((line) => line.includes('injected'))).toEqual([])
    })
  }
})
