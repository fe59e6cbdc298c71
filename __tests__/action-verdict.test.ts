/**
 * The bundled action (dist/index.js) in report-only mode (results-file, no cloud): verdicts that must not
 * depend on how the results were recorded, and errors that no setting forgives.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
// @ts-expect-error -- plain JavaScript helper shared with npm run demo
import { runAction } from '../scripts/lib/run-action.mjs'

const bundled = { guideline: '2020.06', 'guideline-source': 'bundled', 'artifact-name': '' }
const REAL_RUN = path.join(import.meta.dirname, '..', '__fixtures__', 'subunit', 'real-run')
/** All 58 required tests of 2020.06 object passed. */
const PASSING = readFileSync(path.join(REAL_RUN, 'object-2020.06-local.v1'))
/** The same tests, test_list_no_containers failed (the test accounts were reused). */
const ONE_FAILED = readFileSync(path.join(REAL_RUN, 'object-2020.06-reused-accounts-failed.v1'))
const FLAKY = 'tempest.api.object_storage.test_account_services.AccountTest.test_list_no_containers'

function tempFile(name: string, content: Buffer | string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'verdict-')), name)
  writeFileSync(file, content)
  return file
}

function errors(stdout: string): string[] {
  return stdout.split('\n').filter((line) => line.startsWith('::error::'))
}

describe('contradictory records of one test (two runs in one results file)', () => {
  it.each([
    ['failed, then passed', [ONE_FAILED, PASSING]],
    ['passed, then failed', [PASSING, ONE_FAILED]]
  ])('%s: passed (any pass counts), flaky, with the failure’s traceback', async (_, runs) => {
    const result = await runAction({
      ...bundled,
      program: 'object',
      'results-file': tempFile('two-runs.v1', Buffer.concat(runs)),
      'junit-file': tempFile('junit.xml', '')
    })
    expect(result.code).toBe(0)
    expect(result.outputs).toMatchObject({ compliant: 'true', passed: '58', failed: '0', flaky: '1' })
    expect(result.summary).toContain('Flaky (passed in one attempt, failed in another) (1)')
    expect(result.summary).toContain('sequence or collection is not empty')
    const report = JSON.parse(readFileSync(result.outputs['report-file'], 'utf8'))
    const flaky = report.compliance.tests.filter((t: { flaky?: boolean }) => t.flaky)
    expect(flaky.map((t: { name: string }) => t.name)).toEqual([FLAKY])
    expect(flaky[0].outcome).toBe('passed')
    expect(flaky[0].detail).toContain('AssertionError: [b')
    // The JUnit file folds the records the same way: the test passed.
    expect(readFileSync(result.outputs['junit-file'], 'utf8')).toMatch(/<testsuites [^>]*failures="0"/)
  })
})

describe('errors are not opinions: fail-on-noncompliance forgives non-compliance only', () => {
  it('a damaged stream fails the step, naming the byte offset', async () => {
    const result = await runAction({
      ...bundled,
      program: 'object',
      'fail-on-noncompliance': 'false',
      'results-file': path.join(import.meta.dirname, '..', '__fixtures__', 'subunit', 'truncated.v2')
    })
    expect(result.code).toBe(1)
    expect(result.outputs.compliant).toBe('false')
    const [error] = errors(result.stdout)
    expect(error).toMatch(/^::error::Not compliant with 2020\.06 object: .*is damaged at byte \d+/)
  })

  it('a results file without results fails the step', async () => {
    const result = await runAction({
      ...bundled,
      program: 'object',
      'fail-on-noncompliance': 'false',
      'results-file': tempFile('empty.v1', '')
    })
    expect(result.code).toBe(1)
    expect(errors(result.stdout)[0]).toContain('No tests ran')
  })

  it('plain non-compliance is still forgiven', async () => {
    const result = await runAction({
      ...bundled,
      program: 'object',
      'fail-on-noncompliance': 'false',
      'results-file': tempFile('one-failed.v1', ONE_FAILED)
    })
    expect(result.code).toBe(0)
    expect(errors(result.stdout)).toEqual([])
  })
})

describe('a malformed guideline is an error, not a list of zero tests', () => {
  const guideline = JSON.parse(
    readFileSync(path.join(import.meta.dirname, '..', 'data', 'guidelines', '2020.06.json'), 'utf8')
  )

  function withCapabilityTests(tests: (name: string) => unknown): string {
    const broken = structuredClone(guideline)
    for (const name of Object.keys(broken.capabilities)) broken.capabilities[name].tests = tests(name)
    return tempFile('2020.06.json', JSON.stringify(broken))
  }

  it('`tests` a string: names the file and the field', async () => {
    const file = withCapabilityTests((name) => `tempest.api.${name}`)
    const result = await runAction({
      guideline: file,
      program: 'object',
      'dry-run': 'true',
      'artifact-name': ''
    })
    expect(result.code).toBe(1)
    expect(errors(result.stdout)).toHaveLength(1)
    expect(errors(result.stdout)[0]).toMatch(
      new RegExp(
        `Guideline ${file} is malformed: \`capabilities\\.[a-z0-9-]+\\.tests\` must be a list or an object of tests \\(got a string\\)`
      )
    )
  })

  it('every required capability without tests: names the file and the field', async () => {
    const file = withCapabilityTests(() => ({}))
    const result = await runAction({
      guideline: file,
      program: 'object',
      'results-file': tempFile('passing.v1', PASSING),
      'artifact-name': ''
    })
    expect(result.code).toBe(1)
    expect(result.outputs.required).toBe('')
    expect(errors(result.stdout)[0]).toContain(`(${file}) lists no test in any required capability`)
    expect(errors(result.stdout)[0]).toContain('`capabilities.<name>.tests` is empty')
  })
})

describe('partial runs', () => {
  it('capabilities narrowed: output partial=true, and the log and summary say partial', async () => {
    const result = await runAction({
      ...bundled,
      program: 'object',
      capabilities: 'objectstore-container-*',
      'results-file': tempFile('passing.v1', PASSING)
    })
    expect(result.code).toBe(0)
    expect(result.outputs).toMatchObject({ compliant: 'true', partial: 'true' })
    expect(result.stdout).toMatch(/^Compliant \(partial: selected capabilities only\): /m)
    expect(result.summary).toContain('✅ **Compliant (partial)** with')
  })

  it('the whole program: partial=false', async () => {
    const result = await runAction({
      ...bundled,
      program: 'object',
      'results-file': tempFile('passing.v1', PASSING)
    })
    expect(result.outputs).toMatchObject({ compliant: 'true', partial: 'false' })
    expect(result.summary).toContain('✅ **Compliant** with')
  })
})
