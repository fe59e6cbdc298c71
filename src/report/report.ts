/** The action's JSON report: everything a later step, a fleet summary or a baseline comparison needs. */
import { promises as fs } from 'node:fs'
import * as path from 'node:path'
import type { Guideline, Program } from '../guideline/model.js'
import type { Compliance } from '../results/model.js'

export const REPORT_SCHEMA = 'refstack-action/report@1'

export interface Report {
  schema: typeof REPORT_SCHEMA
  generatedAt: string
  guideline: { id: string; source: string; status: string; releases: string[] }
  program: Program
  /** The `capabilities` input narrowed the run. */
  partial: boolean
  /** Where the tests ran ("the runner", "root@host:22"), or "results-file". */
  target: string
  release?: { name: string; covered: boolean }
  compliance: Compliance
  run?: {
    exitCode?: number
    timedOut: boolean
    durationSeconds: number
    /** Required names refstack-client dropped because the installed Tempest lacks them. */
    notInTempest: string[]
    toolchain?: string
  }
  /** Set when the results were uploaded to a RefStack server. */
  upload?: { url: string; id: string }
  /** What the action did that the reader should know (a tempest.conf copy it wrote, …). */
  notes: string[]
  /** Problems that did not stop the report (stream truncated, upload refused, …). */
  errors: string[]
  /** Files on the runner. */
  files: { testList?: string; stream?: string; junit?: string; log?: string; tempestLog?: string }
}

export function guidelineSummary(guideline: Guideline): Report['guideline'] {
  return {
    id: guideline.id,
    source: guideline.source,
    status: guideline.status,
    releases: guideline.releases
  }
}

export async function writeReport(report: Report, file: string): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true })
  await fs.writeFile(file, `${JSON.stringify(report, null, 2)}\n`)
}
