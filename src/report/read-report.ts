/**
 * Reads a JSON report another run wrote (report.json), for a baseline comparison or a fleet summary. Such a file
 * comes from an artifact, a cache or another repository, so nothing in it is trusted: it must be a regular file
 * of at most MAX_REPORT_BYTES (checked before reading), parse as JSON (an error never quotes it), and match the
 * schema field by field (an error names the file and the field). Fields the schema does not know are ignored,
 * so reports of newer versions that add fields still read.
 */
import { constants, promises as fs } from 'node:fs'
import { Input } from '../constants.js'
import { ActionError } from '../errors.js'
import { kindOf } from '../input-checks.js'
import { type ReadReport, REPORT_SCHEMA, reportSchema } from './schema.js'

export type { ReadReport } from './schema.js'

/** Far above a real report (a platform run with every traceback: a few MiB), far below what memory allows. */
export const MAX_REPORT_BYTES = 16 * 1024 * 1024

const REPORT_HINT =
  "Give the report.json a run of refstack-action wrote (output 'report-file', or the file of its results artifact)"

/** `compliance.capabilities[3].name` of an issue's path. */
function fieldOf(issuePath: PropertyKey[]): string {
  return issuePath.reduce<string>(
    (field, key) =>
      typeof key === 'number' ? `${field}[${key}]` : field === '' ? String(key) : `${field}.${String(key)}`,
    ''
  )
}

/**
 * The report in `text`, checked against the schema. `file` and `input` name it in the error, with the field
 * refused and what it must be; neither the error nor the hint quotes the file's content. Pure.
 */
export function parseReport(text: string, file: string, input: string): ReadReport {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    const position = /position (\d+)/.exec((error as Error).message)?.[1]
    throw new ActionError(
      `Input '${input}': ${file} is not JSON${position === undefined ? '' : ` (invalid at character ${position})`}`,
      REPORT_HINT
    )
  }
  const result = reportSchema.safeParse(value)
  if (result.success) return result.data
  const issue = result.error.issues[0]
  const field = fieldOf(issue.path)
  if (field === 'schema' || field === '') {
    throw new ActionError(
      `Input '${input}': ${file} is not a report of refstack-action (expected a JSON object with "schema": "${REPORT_SCHEMA}")`,
      REPORT_HINT
    )
  }
  const others = result.error.issues.length - 1
  const what =
    issue.code === 'invalid_type' && issue.message.endsWith('received undefined')
      ? `lacks the field '${field}'`
      : `has an invalid '${field}' (${issue.message.replace(/^Invalid input: /, '')})`
  throw new ActionError(
    `Input '${input}': ${file} is not a report of refstack-action ("schema": "${REPORT_SCHEMA}"): it ${what}${others > 0 ? `, and ${others} more problem${others > 1 ? 's' : ''}` : ''}`,
    REPORT_HINT
  )
}

/**
 * The bytes of `file`, when it is a regular file (links followed) of at most `maxBytes`. Opened without
 * blocking (a FIFO without a writer does not hang the open), then checked on the open descriptor, so what is
 * read is what was checked.
 */
export async function readBoundedFile(
  file: string,
  input: string,
  maxBytes = MAX_REPORT_BYTES
): Promise<Buffer> {
  let handle: fs.FileHandle
  try {
    handle = await fs.open(file, constants.O_RDONLY | constants.O_NONBLOCK)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (code ?? 'error')
    throw new ActionError(
      `Input '${input}': cannot read ${file} (${why})`,
      `Give the path of a report.json on the runner, e.g. from actions/download-artifact of an earlier run`
    )
  }
  try {
    const stat = await handle.stat()
    if (!stat.isFile()) {
      throw new ActionError(
        `Input '${input}': ${file} is ${kindOf(stat)}, not a regular file`,
        'Give the path of a report.json written to disk'
      )
    }
    if (stat.size > maxBytes) {
      throw new ActionError(
        `Input '${input}': ${file} has ${stat.size} bytes, more than a report of refstack-action holds (at most ${maxBytes})`,
        REPORT_HINT
      )
    }
    // One byte more than the size: a file that grew since the check is refused, not read without end.
    const buffer = Buffer.alloc(stat.size + 1)
    let length = 0
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length)
      if (bytesRead === 0) break
      length += bytesRead
    }
    if (length > stat.size) {
      throw new ActionError(`Input '${input}': ${file} grew while it was read`, REPORT_HINT)
    }
    return buffer.subarray(0, length)
  } catch (error) {
    if (error instanceof ActionError) throw error
    throw new ActionError(
      `Input '${input}': cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      REPORT_HINT
    )
  } finally {
    await handle.close()
  }
}

/** Reads and checks one report file. */
export async function readReportFile(file: string, input: string): Promise<ReadReport> {
  return parseReport((await readBoundedFile(file, input)).toString('utf8'), file, input)
}

/** The `baseline` input's report, when given. */
export async function readBaseline(
  file: string | undefined
): Promise<{ file: string; report: ReadReport } | undefined> {
  return file === undefined ? undefined : { file, report: await readReportFile(file, Input.Baseline) }
}
