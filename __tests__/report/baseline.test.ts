import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { compareWithBaseline, renderBaselineSection } from '../../src/report/baseline.js'
import { parseReport, readReportFile } from '../../src/report/read-report.js'
import type { Report } from '../../src/report/report.js'
import { renderSummary } from '../../src/report/summary.js'

// Reports the action wrote from real refstack-client runs (__fixtures__/reports/README.md).
const FIXTURES = path.join(import.meta.dirname, '..', '..', '__fixtures__', 'reports')
const report = (name: string): Report =>
  parseReport(readFileSync(path.join(FIXTURES, name, 'report.json'), 'utf8'), name, 'baseline')
const ACCOUNT_TEST = 'tempest.api.object_storage.test_account_services.AccountTest.test_list_no_containers'

describe('compareWithBaseline', () => {
  it.each([
    {
      then: 'healthy',
      now: 'one-failure',
      newFailures: [{ name: ACCOUNT_TEST, outcome: 'failed' }],
      fixed: [],
      changed: [{ name: 'objectstore-account-list', then: 'passed', now: 'failed' }],
      percents: [100, 98.3]
    },
    {
      then: 'one-failure',
      now: 'healthy',
      newFailures: [],
      fixed: [ACCOUNT_TEST],
      changed: [{ name: 'objectstore-account-list', then: 'failed', now: 'passed' }],
      percents: [98.3, 100]
    },
    { then: 'healthy', now: 'healthy', newFailures: [], fixed: [], changed: [], percents: [100, 100] }
  ])('$then → $now', ({ then, now, newFailures, fixed, changed, percents }) => {
    const c = compareWithBaseline(report(now), report(then), `${then}/report.json`)
    expect(c.newFailures).toEqual(newFailures)
    expect(c.fixed).toEqual(fixed)
    expect(c.capabilitiesChanged).toEqual(changed)
    expect([c.then.percent, c.now.percent]).toEqual(percents)
    expect(c.commonTests).toBe(58)
    expect(c.scope).toBeUndefined()
  })

  it('counts every test a cloud-down run did not pass as fixed once the cloud is back', () => {
    const c = compareWithBaseline(report('healthy'), report('cloud-down'), 'cloud-down/report.json')
    expect(c.fixed).toHaveLength(58)
    expect(c.newFailures).toEqual([])
    expect(c.capabilitiesChanged).toHaveLength(20)
    expect(c.capabilitiesChanged.every((cap) => cap.then === 'failed' && cap.now === 'passed')).toBe(true)
  })

  it('compares a baseline of another guideline on the common tests, and says so', () => {
    const c = compareWithBaseline(report('one-failure'), report('older-guideline'), 'old/report.json')
    expect(c.guideline).toBe('2017.01')
    expect(c.commonTests).toBe(31)
    expect(c.scope).toBe(
      'The baseline is of guideline 2017.01 (now 2020.06), 31 required tests (now 58): compared on the 31 required tests both have'
    )
    // The one failing test of the 2020.06 run is not in 2017.01's object program: nothing is new there.
    expect(c.newFailures).toEqual([])
    expect(renderBaselineSection(c).join('\n')).toContain('> [!NOTE]\n> The baseline is of guideline 2017.01')
  })
})

describe('the summary with a baseline', () => {
  it('has a "Since the baseline" section: compliance then → now, the changed capability, the new failure', () => {
    const now = report('one-failure')
    now.baseline = compareWithBaseline(now, report('healthy'), 'healthy/report.json')
    const summary = renderSummary(now)
    const section = summary.split('### Since the baseline\n')[1].split('### Failing capabilities')[0]
    expect(section).toContain('Compliance then → now: ✅ 100% (58/58) → ❌ 98.3% (57/58)')
    expect(section).toContain('| objectstore-account-list | ✅ passed | ❌ failed |')
    expect(section).toContain(
      `**New failures (1)**: passed in the baseline, not now\n\n- \`${ACCOUNT_TEST}\` (failed)`
    )
    expect(section).not.toContain('**Fixed')
    expect(summary).toContain('cloud **region-two**')
  })

  it('says when nothing changed, and has no section without a baseline', () => {
    const now = report('healthy')
    expect(renderSummary(now)).not.toContain('Since the baseline')
    now.baseline = compareWithBaseline(now, report('healthy'), 'healthy/report.json')
    expect(renderSummary(now)).toContain('No test and no capability changed status.')
  })
})

describe('reading a report', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'baseline-test-'))

  it('names the file and the input when the file is missing', async () => {
    const file = path.join(dir, 'nope', 'report.json')
    await expect(readReportFile(file, 'baseline')).rejects.toThrow(
      `Input 'baseline': cannot read ${file} (no such file)`
    )
  })

  it('names the file when it is not JSON, or not a report of this action', async () => {
    const notJson = path.join(dir, 'truncated.json')
    writeFileSync(notJson, readFileSync(path.join(FIXTURES, 'healthy', 'report.json'), 'utf8').slice(0, 500))
    await expect(readReportFile(notJson, 'baseline')).rejects.toThrow(
      `Input 'baseline': ${notJson} is not JSON`
    )
    const other = path.join(dir, 'refstack-client.json')
    writeFileSync(other, JSON.stringify({ cpid: 'x', duration_seconds: 1, results: [] }))
    await expect(readReportFile(other, 'baseline')).rejects.toThrow(
      `Input 'baseline': ${other} is not a report of refstack-action (expected a JSON object with "schema": "refstack-action/report@1"`
    )
  })

  it('reads a real report', async () => {
    const read = await readReportFile(path.join(FIXTURES, 'healthy', 'report.json'), 'baseline')
    expect(read.compliance.passed).toBe(58)
  })
})
