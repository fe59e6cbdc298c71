/**
 * The comparison with an earlier run's report (input `baseline`): tests that fail now and passed then, tests
 * that pass now and failed then, capabilities whose status changed, and compliance then → now. Pure.
 *
 * Tests are matched by name or alias, over the required (non-flagged) tests both reports hold; a baseline of
 * another guideline, program or capability selection is compared on those common tests, and says so.
 */
import type { Program } from '../guideline/model.js'
import type { CapabilityVerdict, Compliance, TestOutcome, TestVerdict } from '../results/model.js'
import { code, escapeText, table } from './markdown.js'
import type { ReadReport } from './schema.js'
import { recomputeVerdict } from './recompute.js'

/** What a comparison reads of a JSON report: this run's Report, or an earlier run's as read-report.ts checked it. */
export interface ComparedReport {
  generatedAt: string
  guideline: { id: string }
  program: Program
  partial: boolean
  compliance: Pick<Compliance, 'compliant' | 'percent' | 'passed' | 'required' | 'tests'> & {
    capabilities: Array<Pick<CapabilityVerdict, 'name' | 'status'>>
  }
}

type ComplianceFigures = Pick<Compliance, 'compliant' | 'percent' | 'passed' | 'required'>

export interface BaselineComparison {
  /** The baseline report's file on the runner. */
  file: string
  /** When the baseline report was written. */
  generatedAt: string
  guideline: string
  program: string
  /** Set when the baseline is of another guideline, program or selection: why only common tests count. */
  scope?: string
  /** Set when the baseline report contradicts itself (its verdict then counts as not compliant): what. */
  inconsistent?: string
  /** Required tests both reports hold: what the lists below are about. */
  commonTests: number
  then: ComplianceFigures
  now: ComplianceFigures
  /** Required tests that passed in the baseline and do not pass now, with their outcome now. */
  newFailures: Array<{ name: string; outcome: Exclude<TestOutcome, 'passed'> }>
  /** Required tests that pass now and did not pass in the baseline. */
  fixed: string[]
  /** Capabilities of both reports whose status changed. */
  capabilitiesChanged: Array<{
    name: string
    then: CapabilityVerdict['status']
    now: CapabilityVerdict['status']
  }>
}

function figures(report: ComparedReport): ComplianceFigures {
  const c = report.compliance
  return { compliant: c.compliant, percent: c.percent, passed: c.passed, required: c.required }
}

/** Required tests of a report by every name they answer to (name and aliases). */
function byAnyName(tests: TestVerdict[]): Map<string, TestVerdict> {
  const names = new Map<string, TestVerdict>()
  for (const test of tests) {
    if (test.flagged) continue
    for (const name of [test.name, ...test.aliases]) if (!names.has(name)) names.set(name, test)
  }
  return names
}

function scopeOf(now: ComparedReport, then: ComparedReport): string | undefined {
  const differences: string[] = []
  if (then.guideline.id !== now.guideline.id)
    differences.push(`guideline ${then.guideline.id} (now ${now.guideline.id})`)
  if (then.program !== now.program) differences.push(`program ${then.program} (now ${now.program})`)
  if (then.partial !== now.partial || then.compliance.required !== now.compliance.required) {
    differences.push(
      `${then.compliance.required} required tests${then.partial ? ', a capability selection' : ''} (now ${now.compliance.required}${now.partial ? ', a capability selection' : ''})`
    )
  }
  return differences.length === 0 ? undefined : `The baseline is of ${differences.join(', ')}`
}

export function compareWithBaseline(
  now: ComparedReport,
  baseline: ReadReport,
  file: string
): BaselineComparison {
  // The baseline's verdict as its own counts give it, not as its flag says.
  const recomputed = recomputeVerdict(baseline)
  const then: ReadReport = {
    ...baseline,
    compliance: { ...baseline.compliance, compliant: recomputed.compliant }
  }
  const earlier = byAnyName(then.compliance.tests)
  const newFailures: BaselineComparison['newFailures'] = []
  const fixed: string[] = []
  let commonTests = 0
  for (const test of now.compliance.tests) {
    if (test.flagged) continue
    const before = [test.name, ...test.aliases].map((name) => earlier.get(name)).find(Boolean)
    if (!before) continue
    commonTests++
    const passesNow = test.outcome === 'passed'
    const passedThen = before.outcome === 'passed'
    if (passedThen && !passesNow) newFailures.push({ name: test.name, outcome: test.outcome as 'failed' })
    if (passesNow && !passedThen) fixed.push(test.name)
  }
  const statusThen = new Map(then.compliance.capabilities.map((cap) => [cap.name, cap.status]))
  const capabilitiesChanged = now.compliance.capabilities.flatMap((cap) => {
    const was = statusThen.get(cap.name)
    return was !== undefined && was !== cap.status ? [{ name: cap.name, then: was, now: cap.status }] : []
  })
  const scope = scopeOf(now, then)
  return {
    file,
    generatedAt: then.generatedAt,
    guideline: then.guideline.id,
    program: then.program,
    commonTests,
    then: figures(then),
    now: figures(now),
    newFailures,
    fixed,
    capabilitiesChanged,
    ...(recomputed.inconsistent !== undefined && { inconsistent: recomputed.inconsistent }),
    ...(scope !== undefined && { scope: `${scope}: compared on the ${commonTests} required tests both have` })
  }
}

const LISTED = 60

function percentText(f: ComplianceFigures): string {
  return `${f.compliant ? '✅' : '❌'} ${f.percent}% (${f.passed}/${f.required})`
}

/** Markdown list items, capped (the full lists are in report.json). */
function listed(items: string[]): string[] {
  const shown = items.slice(0, LISTED).map((item) => `- ${item}`)
  if (items.length > LISTED) shown.push(`- _${items.length - LISTED} more in report.json_`)
  return shown
}

/** The summary's "Since the baseline" section, as Markdown lines. */
export function renderBaselineSection(c: BaselineComparison): string[] {
  const out = [
    `### Since the baseline`,
    '',
    `Baseline: ${escapeText(`${c.guideline} ${c.program} of ${c.generatedAt}`)}. Compliance then → now: ${percentText(c.then)} → ${percentText(c.now)}`,
    ''
  ]
  if (c.inconsistent !== undefined)
    out.push(
      `> [!WARNING]\n> The baseline report is inconsistent (${escapeText(c.inconsistent)}): its verdict counts as not compliant.`,
      ''
    )
  if (c.scope !== undefined) out.push(`> [!NOTE]\n> ${escapeText(c.scope)}.`, '')
  if (c.newFailures.length === 0 && c.fixed.length === 0 && c.capabilitiesChanged.length === 0) {
    out.push(`No test and no capability changed status.`, '')
    return out
  }
  if (c.capabilitiesChanged.length > 0) {
    const icon = (status: string): string => (status === 'passed' ? '✅ passed' : '❌ failed')
    const rows = c.capabilitiesChanged.map((cap) => [escapeText(cap.name), icon(cap.then), icon(cap.now)])
    out.push(...table(['Capability', 'Then', 'Now'], rows), '')
  }
  if (c.newFailures.length > 0) {
    out.push(
      `**New failures (${c.newFailures.length})**: passed in the baseline, not now`,
      '',
      ...listed(c.newFailures.map((t) => `${code(t.name)} (${t.outcome})`)),
      ''
    )
  }
  if (c.fixed.length > 0) {
    out.push(
      `**Fixed (${c.fixed.length})**: pass now, did not in the baseline`,
      '',
      ...listed(c.fixed.map(code)),
      ''
    )
  }
  return out
}
