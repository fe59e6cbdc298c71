import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import * as os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it, vi } from 'vitest'
import type { Config } from '../../src/config.js'
import { selectListedTests } from '../../src/guideline/plain-list.js'
import { selectProgram } from '../../src/guideline/select.js'
import { bundledList } from '../../src/guideline/source.js'
import { parseGuideline } from '../../src/guideline/parse.js'
import type { PreflightMode, PreflightResult } from '../../src/preflight/modes.js'
import { preflightVerdict, publishPreflight, stopsBeforeRun } from '../../src/preflight/step.js'
import { BUNDLED_DIR } from '../helpers/refstack-server.js'

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

describe('a run that stops after the pre-flight', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'preflight-step-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  /** publishPreflight's job summary and report.json for a selection. */
  async function publish(selection: Parameters<typeof publishPreflight>[1]['selection']) {
    // One file for every test: @actions/core's summary keeps the first path it was given.
    const summaryFile = path.join(dir, 'summary.md')
    writeFileSync(summaryFile, '')
    vi.stubEnv('GITHUB_STEP_SUMMARY', summaryFile)
    const config = { outputDir: path.join(dir, selection.guideline.id) } as Config
    try {
      await publishPreflight(config, { selection, testList: [] }, result('only', 3), 'list.txt')
    } finally {
      vi.unstubAllEnvs()
    }
    const report = JSON.parse(readFileSync(path.join(config.outputDir, 'report.json'), 'utf8'))
    return { summary: readFileSync(summaryFile, 'utf8'), report }
  }

  it('names a test list as a test list, in the summary and in report.json', async () => {
    const scs = await bundledList('scs-0128')
    const { summary, report } = await publish(selectListedTests(scs!, ['compute'], false))
    expect(summary).toContain(
      'Checked against test list **scs-0128** (selected services only) on the runner: Tempest was not run.'
    )
    expect(summary).not.toContain('program')
    expect(report.guideline).toMatchObject({ id: 'scs-0128', kind: 'test-list' })
    expect(report.guideline.rule.id).toBe('no-test-failed')
  })

  it('names a guideline with its program', async () => {
    const file = path.join(BUNDLED_DIR, '2020.06.json')
    const guideline = parseGuideline(readFileSync(file, 'utf8'), { source: file, fileName: '2020.06.json' })
    const { summary, report } = await publish(selectProgram(guideline, 'object', []))
    expect(summary).toContain(
      'Checked against OpenStack interop guideline **2020.06**, program **object** on the runner: Tempest was not run.'
    )
    expect(report.guideline).toMatchObject({ id: '2020.06', kind: 'interop-guideline' })
  })
})
