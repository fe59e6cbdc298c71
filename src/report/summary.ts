/**
 * The job summary a release manager reads: verdict first, then the failing capabilities with why and what
 * fixes it, the passing ones folded, then what failed with its traceback. Pure: the report in, Markdown out (tested as text).
 */
import type { TestVerdict } from '../results/model.js'
import { renderBaselineSection } from './baseline.js'
import { capabilitySections, skippedLine } from './capability-summary.js'
import { escapeHtml, table } from './markdown.js'
import { preflightSection } from '../preflight/summary.js'
import type { Report } from './report.js'
import { formatDuration } from '../run/refstack-client.js'

/** GitHub rejects step summaries over 1 MiB; leave room for other steps' summaries. */
export const SUMMARY_BUDGET_BYTES = 900 * 1024
const TRACEBACK_LINES = 40
const TRACEBACK_BYTES = 6 * 1024
const LISTED_FAILURES = 60

/** The first line (what it is about) and the last lines (the cause) of a traceback, capped in lines and bytes. */
export function trimTraceback(text: string): string {
  const lines = text.trimEnd().split('\n')
  const head = lines[0]
  let tail = lines.slice(1)
  let cut = false
  if (tail.length > TRACEBACK_LINES) {
    tail = tail.slice(-TRACEBACK_LINES)
    cut = true
  }
  let body = tail.join('\n')
  if (body.length > TRACEBACK_BYTES) {
    body = body.slice(-TRACEBACK_BYTES)
    cut = true
  }
  if (!cut) return [head, ...tail].join('\n')
  return `${head}\n… (cut; the full text is in the results artifact)\n${body}`
}

export function verdictLine(report: Report): string {
  const c = report.compliance
  const icon = c.compliant ? '✅' : '❌'
  const word = (c.compliant ? 'Compliant' : 'Not compliant') + (report.partial ? ' (partial)' : '')
  const duration = report.run ? `, ${formatDuration(report.run.durationSeconds)}` : ''
  const skipped = report.guideline.kind === 'test-list' && c.skipped > 0 ? `, ${c.skipped} skipped` : ''
  return `${icon} **${word}** with ${standardName(report)}: ${c.passed}/${c.required} required tests passed (${c.percent}%)${skipped}${duration}`
}

/** "OpenStack interop guideline **2020.06**, program **object**" or "test list **scs-0128**", and what a partial run selected. */
export function standardName({
  guideline,
  program,
  partial
}: Pick<Report, 'guideline' | 'program' | 'partial'>): string {
  const list = guideline.kind === 'test-list'
  const standard = list
    ? `test list **${guideline.id}**`
    : `OpenStack interop guideline **${guideline.id}**, program **${program}**`
  return partial ? `${standard} (selected ${list ? 'services' : 'capabilities'} only)` : standard
}

function details(summary: string, body: string): string {
  return `<details><summary>${summary}</summary>\n\n<pre>${escapeHtml(body)}</pre>\n\n</details>`
}

/** A capped list of tests: each as `line` shows it, else with its traceback folded (or its name alone). */
function section(title: string, tests: TestVerdict[], line?: (test: TestVerdict) => string): string[] {
  if (tests.length === 0) return []
  const out = [`### ${title} (${tests.length})`, '']
  const listed = tests.slice(0, LISTED_FAILURES)
  for (const test of listed) {
    if (line) out.push(line(test))
    else if (test.detail) out.push(details(escapeHtml(test.name), trimTraceback(test.detail)), '')
    else out.push(`- \`${test.name}\``)
  }
  if (tests.length > listed.length) {
    out.push('', `_${tests.length - listed.length} more in the results artifact (report.json)._`)
  }
  out.push('')
  return out
}

export function renderSummary(report: Report): string {
  const c = report.compliance
  const out: string[] = [`## RefStack interop compliance`, '', verdictLine(report), '']
  const facts = [
    ...(report.cloudName ? [`cloud **${escapeHtml(report.cloudName)}**`] : []),
    ...(report.guideline.kind === 'test-list'
      ? [
          `Test list ${report.guideline.id} (${[report.guideline.status, report.guideline.source].filter(Boolean).join('; ')})`
        ]
      : [
          `Guideline ${report.guideline.id} (${report.guideline.status}; ${report.guideline.source})`,
          `releases ${report.guideline.releases.join(', ') || 'not stated'}`
        ]),
    `target ${report.target}`
  ]
  out.push(facts.join(' · '), '')
  if (report.guideline.rule) {
    const { text, source } = report.guideline.rule
    out.push(`Rule: ${text}${source ? ` (${escapeHtml(source)})` : ''}.`, '')
  }
  if (report.upload) {
    const reruns = report.upload.passedOnRerun?.length ?? 0
    const note = reruns > 0 ? ` (${reruns} of the uploaded tests passed only on a rerun)` : ''
    out.push(`RefStack result: [${report.upload.url}](${report.upload.url})${note}`, '')
  }
  if (report.release && !report.release.covered) {
    out.push(
      `> [!WARNING]\n> The guideline does not cover OpenStack release **${report.release.name}**; the run went ahead because \`allow-uncovered-release\` is true.`,
      ''
    )
  }
  if (report.partial) {
    out.push(
      `> [!NOTE]\n> Partial run: only the capabilities selected with \`capabilities\` were tested; this is not a full compliance result.`,
      ''
    )
  }
  if (report.credentials) {
    const { kind, admin, description } = report.credentials
    const verdict =
      admin === null ? 'admin role not checked' : admin ? '**an admin ran tests**' : 'none admin'
    out.push(`Test credentials: ${kind} (${verdict}): ${escapeHtml(description)}.`, '')
  }
  for (const note of report.notes) out.push(`> [!NOTE]\n> ${escapeHtml(note)}`, '')
  if (c.testsRun === 0) out.push(`> [!CAUTION]\n> No tests ran: zero tests is never compliance.`, '')
  for (const error of report.errors)
    out.push(`> [!CAUTION]\n> ${escapeHtml(error).replace(/\n/g, '\n> ')}`, '')

  out.push(
    ...table(
      ['Required', 'Passed', 'Failed', 'Skipped', 'Missing', 'Flagged', 'Flaky'],
      [[c.required, c.passed, c.failed, c.skipped, c.missing, c.flagged, c.flaky].map(String)]
    ),
    ''
  )
  if (report.baseline) out.push(...renderBaselineSection(report.baseline))
  const noun =
    report.guideline.kind === 'test-list'
      ? { one: 'Service', many: 'services' }
      : { one: 'Capability', many: 'capabilities' }
  out.push(...capabilitySections(c.capabilities, noun))
  // The prediction after the outcome: the summary leads with what failed.
  if (report.preflight) out.push(...preflightSection(report.preflight, report.preflight.seconds))

  const notPassed = (outcome: TestVerdict['outcome']): TestVerdict[] =>
    c.tests.filter((t) => !t.flagged && t.outcome === outcome)
  out.push(
    ...section('Failed', notPassed('failed')),
    ...section('Missing (did not run)', notPassed('missing')),
    ...section('Skipped', notPassed('skipped'), (test) => skippedLine(test, c.capabilities)),
    ...section(
      'Flaky (passed in one attempt, failed in another)',
      c.tests.filter((t) => t.flaky)
    )
  )
  const flagged = c.tests.filter((t) => t.flagged)
  if (flagged.length > 0) {
    out.push(
      `<details><summary>Flagged tests (${flagged.length}): not run, never blocking</summary>\n`,
      ...flagged.map((t) => `- \`${t.name}\``),
      '\n</details>',
      ''
    )
  }
  return fitBudget(out.join('\n'))
}

/** Keeps the summary under GitHub's limit, with a visible note when cut. */
export function fitBudget(markdown: string, budget = SUMMARY_BUDGET_BYTES): string {
  if (Buffer.byteLength(markdown) <= budget) return markdown
  const note =
    '\n\n_The summary was cut to fit GitHub’s size limit; the full report is in the results artifact._\n'
  let cut = markdown.slice(0, budget - note.length - 1024)
  cut = cut.slice(0, cut.lastIndexOf('\n'))
  // Do not leave a details block open.
  const open = (cut.match(/<details>/g) ?? []).length - (cut.match(/<\/details>/g) ?? []).length
  return cut + '</pre></details>'.repeat(Math.max(0, open)) + note
}
