/**
 * The verdict (the rule of the RefStack web UI's results report, `resultsReportController.js`): which required tests of the selected
 * capabilities passed, per capability and in distinct counts. Pure: the stream has been read already.
 *
 * A required test passes when its name or one of its aliases passed (the RefStack UI's rule; stream ids are
 * matched without Tempest's `[id-…,smoke]` attributes). Anything else is not a pass: failed, skipped, never run,
 * never reached because its class's setUpClass failed. Flagged tests are reported and never block.
 */
import type { Capability, GuidelineTest, ProgramSelection } from '../guideline/model.js'
import type { CapabilityVerdict, Compliance, TestOutcome, TestResult, TestVerdict } from './model.js'
import { FAILED } from './model.js'
import { FIXTURE_KINDS, baseName, parseFixture, type FixtureKind } from './test-id.js'

export interface ComplianceOptions {
  /** Results of later attempts (rerun-failures), in order: a test that passes in one counts, as flaky. */
  reruns?: TestResult[][]
  /**
   * Tests that ran in the whole stream, when `tests` is only the part of it the verdict needs (a streaming
   * read with `wanted` names, `readSubunit`). Without it, counted from `tests`.
   */
  testsRun?: number
}

/**
 * The base names a verdict of `selection` looks at: every test's name and aliases. A stream read keeps only
 * these (and the class/module fixtures) for `computeCompliance`.
 */
export function wantedNames(selection: ProgramSelection): Set<string> {
  return new Set(selection.capabilities.flatMap((cap) => cap.tests.flatMap((t) => [t.name, ...t.aliases])))
}

/** One attempt's results, indexed for matching. */
interface Attempt {
  /** Base name (attributes stripped) → the stream's results with that name. */
  byName: Map<string, TestResult[]>
  /** `module.Class` or `module` → its class/module-level pseudo-tests that did not pass. */
  fixtures: Map<string, TestResult[]>
}

/** What one attempt says of a test (flaky: passed, and also failed in another record of the attempt). */
type Judgement = Pick<TestVerdict, 'outcome' | 'matchedId' | 'detail' | 'flaky'>

function index(results: TestResult[]): Attempt {
  const byName = new Map<string, TestResult[]>()
  const fixtures = new Map<string, TestResult[]>()
  for (const t of results) {
    const fixture = parseFixture(t.id)
    if (fixture === undefined) push(byName, baseName(t.id), t)
    else if (t.status !== 'success' && t.status !== 'exists') push(fixtures, fixture.target, t)
  }
  return { byName, fixtures }
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
}

function attachmentText(t: TestResult, name: string): string | undefined {
  const text = t.attachments.find((a) => a.name === name)?.text
  return text?.trim() ? text : undefined
}

function suffix(text: string | undefined): string {
  return text ? `:\n${text}` : ''
}

/** Why a test that ran did not pass, from what the stream carries. */
function failureDetail(t: TestResult): string {
  const traceback = attachmentText(t, 'traceback')
  switch (t.status) {
    case 'uxsuccess':
      return `Unexpected success: the test is marked as an expected failure but passed${suffix(attachmentText(t, 'reason'))}`
    case 'xfail':
      return `Expected failure (not a pass)${suffix(attachmentText(t, 'reason') ?? traceback)}`
    case 'inprogress':
    case 'unknown':
      return `Did not finish: the stream ended while the test was running${suffix(traceback)}`
    default:
      return (
        traceback ??
        (t.attachments.map((a) => `${a.name}:\n${a.text}`).join('\n') ||
          'Failed (the stream carries no traceback)')
      )
  }
}

/** The class and module a test name belongs to (`a.b.C.test_x` → `a.b.C`, `a.b`). */
function owners(name: string): string[] {
  const cls = name.slice(0, Math.max(0, name.lastIndexOf('.')))
  const mod = cls.slice(0, Math.max(0, cls.lastIndexOf('.')))
  return [cls, mod].filter((x) => x !== '')
}

/** The class- or module-level pseudo-test that explains why a test never ran: failures first, setUp first. */
function fixtureFor(names: string[], attempt: Attempt): TestResult | undefined {
  const found = names.flatMap(owners).flatMap((owner) => attempt.fixtures.get(owner) ?? [])
  const rank = (t: TestResult): number =>
    (t.status === 'skip' ? 10 : 0) + FIXTURE_KINDS.indexOf(parseFixture(t.id)?.kind as FixtureKind)
  return found.sort((a, b) => rank(a) - rank(b))[0]
}

/** One guideline test (its name and aliases) against one attempt. */
function judge(names: string[], attempt: Attempt): Judgement {
  const candidates = names.flatMap((n) => attempt.byName.get(n) ?? [])
  const passed = candidates.find((t) => t.status === 'success')
  if (passed) {
    // Another record (a rerun in the same file, a second worker, the name and an alias) failed: a pass in
    // any attempt counts, and the test is flaky.
    const failure =
      candidates.find((t) => t.failedRecord !== undefined)?.failedRecord ??
      candidates.find((t) => FAILED.has(t.status))
    if (failure === undefined) return { outcome: 'passed', matchedId: passed.id }
    return {
      outcome: 'passed',
      matchedId: passed.id,
      flaky: true,
      detail: `Passed in one attempt and failed in another (${failure.id}): ${failureDetail(failure)}`
    }
  }
  const failed = candidates.find((t) => FAILED.has(t.status))
  if (failed) return { outcome: 'failed', matchedId: failed.id, detail: failureDetail(failed) }
  const skipped = candidates.find((t) => t.status === 'skip')
  if (skipped) {
    return {
      outcome: 'skipped',
      matchedId: skipped.id,
      detail: attachmentText(skipped, 'reason') ?? 'Skipped (no reason given)'
    }
  }
  // Absent, or only enumerated (`exists`): a failed or skipped class/module fixture explains it.
  const fixture = fixtureFor(names, attempt)
  if (fixture) {
    const skip = fixture.status === 'skip'
    const why = skip ? (attachmentText(fixture, 'reason') ?? '(no reason given)') : failureDetail(fixture)
    return {
      outcome: skip ? 'skipped' : 'failed',
      matchedId: fixture.id,
      detail: `${fixture.id} ${skip ? 'was skipped' : 'failed'}, so the test never ran:\n${why}`
    }
  }
  if (candidates.length > 0) {
    return {
      outcome: 'missing',
      detail: 'Listed by the test runner but never run (the run stopped before it, or its worker died)'
    }
  }
  return {
    outcome: 'missing',
    detail: 'Not in the results: the installed Tempest may not have it, or the run ended before reaching it'
  }
}

/** Percent with one decimal, never showing 100.0 unless all passed (nor 0.0 when some did). */
function percentOf(passed: number, total: number): number {
  if (total === 0) return 0
  const p = Math.round((passed / total) * 1000) / 10
  if (passed < total && p >= 100) return 99.9
  if (passed > 0 && p <= 0) return 0.1
  return p
}

/**
 * Compliance of a run with the selected program. Flagged tests are reported but never block; required tests
 * that did not run are missing, or failed/skipped when their class's setUpClass (or the module's setUpModule,
 * or a tearDown) failed/was skipped; zero tests run (or zero required tests) is never compliant. A test that
 * passed in any attempt passed (RefStack's rule), whatever the order of the records: with `reruns` a later
 * attempt, or another record of it in the same stream; if it also failed, it is flaky.
 */
export function computeCompliance(
  selection: ProgramSelection,
  tests: TestResult[],
  options: ComplianceOptions = {}
): Compliance {
  const first = index(tests)
  const reruns = (options.reruns ?? []).map(index)

  // Distinct tests in guideline order, with every capability entry that lists them.
  const entriesByName = new Map<string, GuidelineTest[]>()
  for (const cap of selection.capabilities) for (const t of cap.tests) push(entriesByName, t.name, t)
  // A test flagged in one capability and not in another is required (it blocks where it is not flagged).
  const distinct = new Map<string, TestVerdict>()
  for (const [name, entries] of entriesByName) {
    const aliases = [...new Set(entries.flatMap((e) => e.aliases))].filter((a) => a !== name)
    const names = [name, ...aliases]
    let judgement = judge(names, first)
    if (judgement.outcome !== 'passed') {
      for (const attempt of reruns) {
        const again = judge(names, attempt)
        if (again.outcome === 'passed') {
          judgement = {
            ...again,
            flaky: true,
            detail: `Passed on a rerun; the first attempt: ${judgement.outcome}${suffix(judgement.detail)}`
          }
          break
        }
        // Not passed again: keep the latest thing known about it.
        if (again.outcome !== 'missing') judgement = again
      }
    }
    const flagged = entries.every((e) => e.flagged !== undefined)
    const v: TestVerdict = { name, aliases, flagged, outcome: judgement.outcome }
    const idempotentId = entries.find((e) => e.idempotentId !== undefined)?.idempotentId
    if (idempotentId !== undefined) v.idempotentId = idempotentId.replace(/^id-/, '')
    if (judgement.matchedId !== undefined) v.matchedId = judgement.matchedId
    if (judgement.detail !== undefined) v.detail = judgement.detail
    if (judgement.flaky) v.flaky = true
    distinct.set(name, v)
  }
  // The standard's rule: a test list's `no-test-failed` lets a skip through (reported); guidelines do not.
  const skipsPass = selection.rule === 'no-test-failed'
  const acceptable = (t: TestVerdict): boolean =>
    t.outcome === 'passed' || (skipsPass && t.outcome === 'skipped')

  const capabilities: CapabilityVerdict[] = selection.capabilities.map((cap: Capability) => {
    const rows = cap.tests.map((t) => ({
      ...(distinct.get(t.name) as TestVerdict),
      flagged: t.flagged !== undefined,
      aliases: t.aliases
    }))
    const blocking = rows.filter((r) => !r.flagged)
    const passed = blocking.filter((r) => r.outcome === 'passed').length
    return {
      name: cap.name,
      status: blocking.every(acceptable) ? 'passed' : 'failed',
      tests: rows,
      passed,
      total: blocking.length,
      flagged: rows.length - blocking.length
    }
  })

  const all = [...distinct.values()]
  const required = all.filter((t) => !t.flagged)
  const count = (outcome: TestOutcome): number => required.filter((t) => t.outcome === outcome).length
  const passed = count('passed')
  // Tests that ran: every record but enumerations and the parser's own pseudo-test.
  const testsRun =
    options.testsRun ?? tests.filter((t) => t.status !== 'exists' && t.id !== 'subunit.parser').length
  return {
    compliant: testsRun > 0 && required.length > 0 && required.every(acceptable),
    percent: percentOf(passed, required.length),
    required: required.length,
    passed,
    failed: count('failed'),
    missing: count('missing'),
    skipped: count('skipped'),
    flagged: all.length - required.length,
    flaky: required.filter((t) => t.flaky).length,
    testsRun,
    capabilities,
    tests: all,
    failingCapabilities: capabilities.filter((c) => c.status === 'failed').map((c) => c.name)
  }
}
