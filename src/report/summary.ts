/**
 * The job summary a release manager reads: verdict first, then the failing capabilities with why and what
 * fixes it, the passing ones folded, then what failed with its traceback. Pure: the report in, Markdown out (tested as text).
 */
import type { TestVerdict } from '../results/model.js'
import { renderBaselineSection } from './baseline.js'
import { capabilitySections, skippedLine } from './capability-summary.js'
import { code, escapeHtml, escapeText, headBytes, table, tailBytes } from './markdown.js'
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
  if (Buffer.byteLength(body) > TRACEBACK_BYTES) {
    body = tailBytes(body, TRACEBACK_BYTES)
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
    ? `test list **${escapeText(guideline.id)}**`
    : `OpenStack interop guideline **${escapeText(guideline.id)}**, program **${escapeText(program)}**`
  return partial ? `${standard} (selected ${list ? 'services' : 'capabilities'} only)` : standard
}

/** Foreign text in a `> ` block quote: each of its lines escaped, none leaving the quote. */
export function quoted(text: string): string {
  return text
    .split(/\r\n?|[\n\u2028\u2029]/)
    .map(escapeText)
    .join('\n> ')
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
    else if (test.detail) out.push(details(escapeText(test.name), trimTraceback(test.detail)), '')
    else out.push(`- ${code(test.name)}`)
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
    ...(report.cloudName ? [`cloud **${escapeText(report.cloudName)}**`] : []),
    ...(report.guideline.kind === 'test-list'
      ? [
          `Test list ${escapeText(report.guideline.id)} (${escapeText([report.guideline.status, report.guideline.source].filter(Boolean).join('; '))})`
        ]
      : [
          `Guideline ${escapeText(report.guideline.id)} (${escapeText(`${report.guideline.status}; ${report.guideline.source}`)})`,
          `releases ${escapeText(report.guideline.releases.join(', ')) || 'not stated'}`
        ]),
    `target ${escapeText(report.target)}`
  ]
  out.push(facts.join(' · '), '')
  const tempest = report.run?.tempest
  if (tempest) {
    const whose = tempest.owner === 'operator' ? "the target's own" : "refstack-client's"
    const installed = report.run?.installed
      ? ` · installed by this run: ${escapeHtml(report.run.installed)}`
      : ''
    out.push(
      `Tempest ${escapeHtml(tempest.version)} (${whose}): ${escapeHtml(tempest.path)}, workspace ${escapeHtml(tempest.workspace)} · refstack-client ${escapeHtml(report.run?.refstackClient ?? 'unknown')}${installed}`,
      ''
    )
  }
  if (report.guideline.rule) {
    // The rule and its source are the action's own text (guideline/plain-list.ts), quotes kept.
    const { text, source } = report.guideline.rule
    out.push(`Rule: ${text}${source ? ` (${escapeHtml(source)})` : ''}.`, '')
  }
  if (report.upload) {
    const reruns = report.upload.passedOnRerun?.length ?? 0
    const note = reruns > 0 ? ` (${reruns} of the uploaded tests passed only on a rerun)` : ''
    const url = report.upload.url
    const link = /^https?:\/\/[^\s<>()\\]+$/.test(url) ? `[${escapeText(url)}](${url})` : escapeText(url)
    out.push(`RefStack result: ${link}${note}`, '')
  }
  if (report.release && !report.release.covered) {
    out.push(
      `> [!WARNING]\n> The guideline does not cover OpenStack release **${escapeText(report.release.name)}**; the run went ahead because \`allow-uncovered-release\` is true.`,
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
    out.push(`Test credentials: ${kind} (${verdict}): ${escapeText(description)}.`, '')
  }
  for (const note of report.notes) out.push(`> [!NOTE]\n> ${quoted(note)}`, '')
  if (c.testsRun === 0) out.push(`> [!CAUTION]\n> No tests ran: zero tests is never compliance.`, '')
  for (const error of report.errors) out.push(`> [!CAUTION]\n> ${quoted(error)}`, '')

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
      ...flagged.map((t) => `- ${code(t.name)}`),
      '\n</details>',
      ''
    )
  }
  if (report.actionVersion) out.push(`<sub>refstack-action ${escapeHtml(report.actionVersion)}</sub>`, '')
  return fitBudget(out.join('\n'))
}

/** The open tags of `markdown` that a cut must close, innermost first (`<pre>` inside `<details>`). */
function closers(markdown: string): string {
  const count = (re: RegExp): number => (markdown.match(re) ?? []).length
  const pre = count(/<pre>/g) - count(/<\/pre>/g)
  const details = count(/<details>/g) - count(/<\/details>/g)
  return '</pre>'.repeat(Math.max(0, pre)) + '\n\n</details>'.repeat(Math.max(0, details))
}

/** Room for the note and the closing tags a cut adds. */
const CUT_RESERVE = 4096

/**
 * Keeps the summary under `budget` BYTES (GitHub drops a summary over 1 MiB whole): cut at the last line break
 * before the budget (a character boundary), open `<pre>`/`<details>` closed, and a note naming the sections left
 * out and where the whole report is.
 */
export function fitBudget(
  markdown: string,
  budget = SUMMARY_BUDGET_BYTES,
  whole = 'report.json in the results artifact'
): string {
  const total = Buffer.byteLength(markdown)
  if (total <= budget) return markdown
  let cut = headBytes(markdown, Math.max(0, budget - CUT_RESERVE))
  // At the last line break, unless that loses a long line's whole kept part (then at the character boundary).
  const lastBreak = cut.lastIndexOf('\n')
  if (lastBreak > 0 && cut.length - lastBreak < 64 * 1024) cut = cut.slice(0, lastBreak)
  const rest = markdown.slice(cut.length)
  const current = cut.match(/^#{2,3} .*$/gm)?.at(-1)
  const omitted = [
    ...(current ? [`the rest of “${current.replace(/^#+ /, '')}”`] : []),
    ...(rest.match(/^#{2,3} .*$/gm) ?? []).map((h) => `“${h.replace(/^#+ /, '')}”`)
  ]
  const names = omitted.length > 6 ? [...omitted.slice(0, 6), `${omitted.length - 6} more sections`] : omitted
  const note =
    `\n\n> [!WARNING]\n> The summary was cut at ${Buffer.byteLength(cut)} of its ${total} bytes to stay under GitHub’s 1 MiB limit` +
    `${names.length > 0 ? `; left out: ${names.join(', ')}` : ''}. The whole report is in ${whole}.\n`
  return headBytes(cut + closers(cut) + note, budget)
}
