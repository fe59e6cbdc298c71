/** Reads a JSON report an earlier run wrote (report.json), for a baseline comparison or a fleet summary. */
import { promises as fs } from 'node:fs'
import { Input } from '../constants.js'
import { ActionError } from '../errors.js'
import { REPORT_SCHEMA, type Report } from './report.js'

const REPORT_HINT =
  "Give the report.json a run of refstack-action wrote (output 'report-file', or the file of its results artifact)"

/**
 * The report in `text`, checked for what a comparison reads (schema, guideline, program, compliance with its
 * tests and capabilities). `file` and `input` name it in the error. Pure.
 */
export function parseReport(text: string, file: string, input: string): Report {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new ActionError(`Input '${input}': ${file} is not JSON (${(error as Error).message})`, REPORT_HINT)
  }
  const report = value as Partial<Report> | null
  const compliance = report?.compliance
  if (
    report === null ||
    typeof report !== 'object' ||
    report.schema !== REPORT_SCHEMA ||
    typeof report.guideline?.id !== 'string' ||
    typeof report.program !== 'string' ||
    typeof compliance?.compliant !== 'boolean' ||
    !Array.isArray(compliance.tests) ||
    !Array.isArray(compliance.capabilities)
  ) {
    const schema = (report as { schema?: unknown } | null)?.schema
    throw new ActionError(
      `Input '${input}': ${file} is not a report of refstack-action (expected "schema": "${REPORT_SCHEMA}"${typeof schema === 'string' ? `, got "${schema}"` : ''} with guideline, program and compliance)`,
      REPORT_HINT
    )
  }
  return report as Report
}

/** Reads and checks one report file; a missing file is an error that names it and the input. */
export async function readReportFile(file: string, input: string): Promise<Report> {
  let text: string
  try {
    text = await fs.readFile(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new ActionError(
      `Input '${input}': cannot read ${file} (${code === 'ENOENT' ? 'no such file' : (error as Error).message})`,
      `Give the path of a report.json on the runner, e.g. from actions/download-artifact of an earlier run`
    )
  }
  return parseReport(text, file, input)
}

/** The `baseline` input's report, when given. */
export async function readBaseline(
  file: string | undefined
): Promise<{ file: string; report: Report } | undefined> {
  return file === undefined ? undefined : { file, report: await readReportFile(file, Input.Baseline) }
}
