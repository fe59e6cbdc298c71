/** The "Pre-flight" section of the job summary and the pre-flight's warning annotations. Pure. */
import { escapeCell, shortName, table } from '../report/markdown.js'
import type { Finding, Prediction } from './findings.js'

const MAX_NAMES = 5

/** "3 tests (Class.test_a, Class.test_b, …) in compute-servers-metadata". */
export function affected(finding: Finding): string {
  if (finding.tests.length === 0) return 'any test given it'
  const names = finding.tests.slice(0, MAX_NAMES).map(shortName)
  const more = finding.tests.length > MAX_NAMES ? `, and ${finding.tests.length - MAX_NAMES} more` : ''
  const caps = finding.capabilities.slice(0, MAX_NAMES)
  const moreCaps =
    finding.capabilities.length > MAX_NAMES ? ` and ${finding.capabilities.length - MAX_NAMES} more` : ''
  return `${finding.tests.length} (${names.join(', ')}${more}) in ${caps.join(', ')}${moreCaps}`
}

export function preflightSection(prediction: Prediction, seconds: number): string[] {
  const head = `### Pre-flight (${seconds.toFixed(1)} s${prediction.tempest ? `, Tempest ${prediction.tempest}` : ''})`
  const verdict =
    prediction.notPassing.length === 0
      ? `No finding: all ${prediction.required} required tests are predicted to run.`
      : `**${prediction.notPassing.length} of ${prediction.required} required tests are predicted not to pass.**`
  const out = [head, '', verdict, '']
  if (prediction.findings.length > 0) {
    const rows = prediction.findings.map((f) => [f.finding, affected(f), f.fix])
    out.push(...table(['Finding', 'Required tests it affects', 'Fix'], rows), '')
  }
  if (prediction.notPassing.length > 0) {
    out.push(
      `<details><summary>Required tests predicted not to pass (${prediction.notPassing.length})</summary>\n`,
      ...prediction.notPassing.map((t) => `- \`${t.name}\` (${t.outcome}): ${escapeCell(t.reason)}`),
      '\n</details>',
      ''
    )
  }
  for (const error of prediction.errors) out.push(`> [!WARNING]\n> Pre-flight: ${escapeCell(error)}`, '')
  return out
}

/** One warning per finding. */
export function preflightAnnotations(prediction: Prediction): Array<{ title: string; message: string }> {
  return prediction.findings.map((f) => ({
    title: `Pre-flight: ${f.kind}`,
    message: `${f.finding}. Affects ${affected(f)}. Fix: ${f.fix}`
  }))
}
