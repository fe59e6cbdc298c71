import { describe, expect, it } from 'vitest'
import type { Config } from '../../src/config.js'
import type { PreflightMode, PreflightResult } from '../../src/preflight/modes.js'
import { preflightVerdict, stopsBeforeRun } from '../../src/preflight/step.js'

function result(mode: PreflightMode, notPassing: number): PreflightResult {
  return {
    mode,
    seconds: 1,
    required: 10,
    findings: [],
    errors: [],
    notPassing: Array.from({ length: notPassing }, (_, i) => ({
      name: `t${i}`,
      outcome: 'skipped' as const,
      reason: 'r'
    }))
  }
}
const config = (failOnNoncompliance: boolean) => ({ failOnNoncompliance }) as Config

describe('the preflight input', () => {
  it.each([
    ['warn', 0, false],
    ['warn', 3, false],
    ['fail', 0, false],
    ['fail', 3, true],
    ['only', 0, true],
    ['only', 3, true]
  ] as const)('%s with %i tests predicted not to pass: stops before the run: %s', (mode, n, stops) => {
    expect(stopsBeforeRun(result(mode, n))).toBe(stops)
  })

  it.each([
    ['only', 0, true, undefined],
    [
      'only',
      3,
      true,
      'Pre-flight: 3 of 10 required tests are predicted not to pass (0 findings, see the job summary)'
    ],
    ['only', 3, false, undefined],
    [
      'fail',
      3,
      false,
      "Pre-flight: 3 of 10 required tests are predicted not to pass (0 findings, see the job summary); Tempest was not run ('preflight: fail')"
    ],
    ['warn', 3, true, undefined]
  ] as const)(
    '%s, %i predicted, fail-on-noncompliance %s: fails the step with %s',
    (mode, n, fail, message) => {
      expect(preflightVerdict(config(fail), result(mode, n))).toBe(message)
    }
  )
})
