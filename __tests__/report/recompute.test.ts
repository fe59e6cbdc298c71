import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseReport } from '../../src/report/read-report.js'
import { recomputeVerdict } from '../../src/report/recompute.js'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- reports are changed field by field, as a hostile writer would
type Json = Record<string, any>

const FIXTURES = path.join(import.meta.dirname, '..', '..', '__fixtures__', 'reports')
function read(name: string, change: (r: Json) => void = () => undefined) {
  const json = JSON.parse(readFileSync(path.join(FIXTURES, name, 'report.json'), 'utf8'))
  change(json)
  return parseReport(JSON.stringify(json), `${name}/report.json`, 'reports')
}

describe('recomputeVerdict', () => {
  it('agrees with real reports', () => {
    expect(recomputeVerdict(read('healthy'))).toEqual({ compliant: true, failing: [] })
    expect(recomputeVerdict(read('one-failure'))).toMatchObject({
      compliant: false,
      failing: ['1 failed', '1 failing capabilities']
    })
    expect(recomputeVerdict(read('one-failure')).inconsistent).toBeUndefined()
    expect(recomputeVerdict(read('cloud-down')).inconsistent).toBeUndefined()
  })

  it.each<[string, (r: Json) => void, RegExp]>([
    [
      'a failure under a compliant flag',
      (r) => Object.assign(r.compliance, { passed: 57, failed: 1, percent: 98.3 }),
      /says compliant, but its counts show 1 failed/
    ],
    [
      'zero required tests',
      (r) => Object.assign(r.compliance, { required: 0, passed: 0, percent: 0, tests: [], capabilities: [] }),
      /zero required tests/
    ],
    [
      'counts that do not add up',
      (r) => Object.assign(r.compliance, { required: 60 }),
      /passed \+ failed \+ skipped \+ missing is 58, required 60/
    ],
    [
      'a percent that is not passed/required',
      (r) => Object.assign(r.compliance, { percent: 50 }),
      /percent 50 is not 58 of 58/
    ],
    [
      'a failing capability under a compliant flag',
      (r) => {
        r.compliance.capabilities[0].status = 'failed'
      },
      /failingCapabilities differ/
    ],
    [
      'an error under a compliant flag',
      (r) => {
        r.errors = ['stream damaged']
      },
      /1 errors/
    ],
    [
      'a skip under the every-test-passed rule',
      (r) => Object.assign(r.compliance, { passed: 57, skipped: 1, percent: 98.3 }),
      /1 skipped/
    ]
  ])('%s is inconsistent and not compliant', (_, change, why) => {
    const verdict = recomputeVerdict(read('healthy', change))
    expect(verdict.compliant).toBe(false)
    expect(verdict.inconsistent).toMatch(why)
  })

  it('a flag of not compliant over clean counts is inconsistent too', () => {
    const verdict = recomputeVerdict(
      read('healthy', (r) => {
        r.compliance.compliant = false
      })
    )
    expect(verdict).toMatchObject({
      compliant: false,
      inconsistent: expect.stringMatching(/says not compliant/)
    })
  })
})
