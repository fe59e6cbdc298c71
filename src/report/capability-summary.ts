/**
 * The capability part of the job summary, failing capabilities first: which tests did not pass, why, and the
 * option or resource that fixes it (remedy.ts); the passing capabilities folded below. Pure: Markdown out.
 */
import type { CapabilityVerdict, TestVerdict } from '../results/model.js'
import { code, escapeText, shortName, table } from './markdown.js'
import { remedyFor } from './remedy.js'

const LISTED_TESTS = 6
const REASON_CHARS = 160

/** Text as a table cell that shows it as written. */
const cell = escapeText

/**
 * The reason a test did not pass, in one line: the known cause, or the last line of what Tempest said (a
 * traceback's exception, a skip reason, the reason a class fixture gave).
 */
export function reasonOf(test: TestVerdict): string {
  const remedy = remedyFor(test.detail)
  if (remedy) return remedy.cause
  const lines = (test.detail ?? '').split('\n').map((l) => l.trim())
  const said = lines.filter((l) => l !== '').at(-1) ?? ''
  const text = said === '' ? test.outcome : `${test.outcome}: ${said}`
  return text.length > REASON_CHARS ? `${text.slice(0, REASON_CHARS - 1)}…` : text
}

function unique(values: string[]): string[] {
  return [...new Set(values.filter((v) => v !== ''))]
}

function failingRow(cap: CapabilityVerdict): string[] {
  const notPassed = cap.tests.filter((t) => !t.flagged && t.outcome !== 'passed')
  const listed = notPassed.slice(0, LISTED_TESTS).map((t) => code(shortName(t.name)))
  if (notPassed.length > LISTED_TESTS) listed.push(`${notPassed.length - LISTED_TESTS} more`)
  return [
    '❌',
    escapeText(cap.name),
    `${cap.passed}/${cap.total}`,
    cap.flagged > 0 ? String(cap.flagged) : '',
    listed.join(', '),
    escapeText(unique(notPassed.map(reasonOf)).join('; ')),
    unique(notPassed.map((t) => remedyFor(t.detail)?.fix ?? '')).join('; ')
  ]
}

function passingRow(cap: CapabilityVerdict): string[] {
  return ['✅', cap.name, `${cap.passed}/${cap.total}`, cap.flagged > 0 ? String(cap.flagged) : '']
}

/** What the groups of a standard are called: capabilities of an interop guideline, services of a test list. */
export interface GroupNoun {
  one: string
  many: string
}
const CAPABILITY: GroupNoun = { one: 'Capability', many: 'capabilities' }

/** Failing groups (with tests, reason, fix), then the passing ones in a collapsed section. */
export function capabilitySections(
  capabilities: CapabilityVerdict[],
  noun: GroupNoun = CAPABILITY
): string[] {
  const failing = capabilities.filter((c) => c.status !== 'passed')
  const passing = capabilities.filter((c) => c.status === 'passed')
  const out: string[] = []
  if (failing.length > 0) {
    out.push(`### Failing ${noun.many} (${failing.length} of ${capabilities.length})`, '')
    // The names and reasons are escaped in failingRow; the Markdown of the fix column is the action's own.
    const rows = failing.map(failingRow)
    out.push(
      ...table(['', noun.one, 'Passed', 'Flagged', 'Tests not passed', 'Why', 'What fixes it'], rows),
      ''
    )
  }
  if (passing.length > 0) {
    out.push(
      `<details><summary>Passing ${noun.many} (${passing.length} of ${capabilities.length})</summary>`,
      '',
      ...table(['', noun.one, 'Passed', 'Flagged'], passing.map(passingRow), cell),
      '',
      '</details>',
      ''
    )
  }
  return out
}

/** A skipped test's line: the reason, its capabilities and what would make it run. */
export function skippedLine(test: TestVerdict, capabilities: CapabilityVerdict[]): string {
  const owners = capabilities.filter((c) => c.tests.some((t) => t.name === test.name)).map((c) => c.name)
  const remedy = remedyFor(test.detail)
  const reason = remedy ? remedy.cause : (test.detail ?? '').split('\n')[0]
  const parts = [code(test.name)]
  if (owners.length > 0) parts.push(`(${escapeText(owners.join(', '))})`)
  let line = `- ${parts.join(' ')}`
  if (reason !== '') line += ` — ${cell(reason)}`
  if (remedy) line += `; fix: ${remedy.fix}`
  return line
}
