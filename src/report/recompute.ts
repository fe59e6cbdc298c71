/**
 * The verdict of a report another run wrote, recomputed from its own counts and capabilities with the single-run
 * rules (results/compliance.ts): zero required tests or zero tests run is never compliance; a failed or missing
 * test fails, a skipped one too unless the standard's rule is `no-test-failed`; a failing capability or an error
 * fails. A report whose facts contradict each other, or its `compliant` flag, is inconsistent: named, and never
 * compliant. Pure.
 */
import type { ReadReport } from './schema.js'

export interface Recomputed {
  compliant: boolean
  /** Why the report is not compliant by its own counts (empty when it is). */
  failing: string[]
  /** What in the report contradicts the rest (absent when it is consistent). */
  inconsistent?: string
}

export function recomputeVerdict(report: ReadReport): Recomputed {
  const c = report.compliance
  const rule =
    report.guideline.rule?.id ??
    (report.guideline.kind === 'test-list' ? 'no-test-failed' : 'every-test-passed')
  const skipsPass = rule === 'no-test-failed'
  const failedCapabilities = c.capabilities.filter((cap) => cap.status === 'failed').map((cap) => cap.name)

  const failing: string[] = []
  if (c.required === 0) failing.push('zero required tests')
  if (c.testsRun === 0) failing.push('no tests ran')
  if (c.failed > 0) failing.push(`${c.failed} failed`)
  if (c.missing > 0) failing.push(`${c.missing} missing`)
  if (c.skipped > 0 && !skipsPass) failing.push(`${c.skipped} skipped`)
  if (failedCapabilities.length > 0) failing.push(`${failedCapabilities.length} failing capabilities`)
  if (report.errors.length > 0) failing.push(`${report.errors.length} errors`)

  const contradictions: string[] = []
  const sum = c.passed + c.failed + c.skipped + c.missing
  if (sum !== c.required)
    contradictions.push(`passed + failed + skipped + missing is ${sum}, required ${c.required}`)
  const expected = c.required === 0 ? 0 : (c.passed / c.required) * 100
  if (
    Math.abs(c.percent - expected) > 0.1 ||
    (c.percent === 100) !== (c.required > 0 && c.passed === c.required)
  )
    contradictions.push(`percent ${c.percent} is not ${c.passed} of ${c.required}`)
  const blocking = c.tests.filter((t) => !t.flagged)
  if (blocking.length > 0) {
    const outcomes = { passed: 0, failed: 0, skipped: 0, missing: 0 }
    for (const t of blocking) outcomes[t.outcome]++
    if (
      blocking.length !== c.required ||
      (Object.keys(outcomes) as Array<keyof typeof outcomes>).some((k) => outcomes[k] !== c[k])
    )
      contradictions.push('its tests do not add up to its counts')
  }
  for (const cap of c.capabilities) {
    const complete = cap.passed === cap.total && cap.total > 0
    if (cap.status === 'passed' && !complete && !skipsPass) {
      contradictions.push(`capability ${cap.name} passed with ${cap.passed}/${cap.total}`)
      break
    }
  }
  if (
    c.failingCapabilities !== undefined &&
    [...c.failingCapabilities].sort().join('\n') !== [...failedCapabilities].sort().join('\n')
  )
    contradictions.push('failingCapabilities differ from the capabilities that failed')
  if (c.compliant && failing.length > 0)
    contradictions.push(`says compliant, but its counts show ${failing.join(', ')}`)
  if (!c.compliant && failing.length === 0 && contradictions.length === 0)
    contradictions.push('says not compliant, but its counts show nothing that fails')

  return {
    compliant: c.compliant && failing.length === 0 && contradictions.length === 0,
    failing,
    ...(contradictions.length > 0 && { inconsistent: contradictions.join('; ') })
  }
}
