/** The "Pre-flight" section of the job summary and the pre-flight's warning annotations. Pure. */
import type { Finding, Prediction } from './findings.js'

const MAX_NAMES = 5

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ')
}

function short(name: string): string {
  return name.split('.').slice(-2).join('.')
}

/** "3 tests (Class.test_a, Class.test_b, …) in compute-servers-metadata". */
export function affected(finding: Finding): string {
  if (finding.tests.length === 0) return 'any test given it'
  const names = finding.tests.slice(0, MAX_NAMES).map(short)
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
    out.push('| Finding | Required tests it affects | Fix |', '| --- | --- | --- |')
    for (const f of prediction.findings) {
      out.push(`| ${cell(f.finding)} | ${cell(affected(f))} | ${cell(f.fix)} |`)
    }
    out.push('')
  }
  if (prediction.notPassing.length > 0) {
    out.push(
      `<details><summary>Required tests predicted not to pass (${prediction.notPassing.length})</summary>\n`,
      ...prediction.notPassing.map((t) => `- \`${t.name}\` (${t.outcome}): ${cell(t.reason)}`),
      '\n</details>',
      ''
    )
  }
  for (const error of prediction.errors) out.push(`> [!WARNING]\n> Pre-flight: ${cell(error)}`, '')
  return out
}

/** One warning per finding. */
export function preflightAnnotations(prediction: Prediction): Array<{ title: string; message: string }> {
  return prediction.findings.map((f) => ({
    title: `Pre-flight: ${f.kind}`,
    message: `${f.finding}. Affects ${affected(f)}. Fix: ${f.fix}`
  }))
}
