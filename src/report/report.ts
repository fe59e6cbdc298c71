/** The action's JSON report: everything a later step, a fleet summary or a baseline comparison needs. */
import { promises as fs } from 'node:fs'
import * as path from 'node:path'
import type { Config } from '../config.js'
import type { Resolved } from '../guideline/resolve.js'
import type { Program, ProgramSelection, VerdictRule } from '../guideline/model.js'
import { standardFacts } from '../guideline/plain-list.js'
import type { Execution } from '../run/tests.js'
import type { TestCredentials } from '../tempest/generate-conf.js'
import type { Compliance, StreamRead, TestVerdict } from '../results/model.js'
import { type BaselineComparison, compareWithBaseline } from './baseline.js'
import type { PreflightResult } from '../preflight/modes.js'
import type { ReadReport } from './schema.js'
import { ACTION_VERSION } from '../version.js'

import { REPORT_SCHEMA } from './schema.js'

export { REPORT_SCHEMA }

export interface Report {
  schema: typeof REPORT_SCHEMA
  generatedAt: string
  /** The version of refstack-action that wrote the report (package.json's; absent in older reports). */
  actionVersion?: string
  guideline: {
    id: string
    source: string
    status: string
    releases: string[]
    /** `test-list` for a plain list (results grouped by service), else `interop-guideline`. */
    kind?: 'interop-guideline' | 'test-list'
    /** The verdict rule that applied, and where it comes from. */
    rule?: { id: VerdictRule; text: string; source?: string }
  }
  program: Program
  /** The `capabilities` input narrowed the run. */
  partial: boolean
  /** Where the tests ran ("the runner", "root@host:22"), or "results-file". */
  target: string
  /** The `cloud-name` input: this cloud's name in fleet tables (absent: the report's folder name). */
  cloudName?: string
  release?: { name: string; covered: boolean }
  compliance: Compliance
  run?: {
    exitCode?: number
    timedOut: boolean
    /** The run was stopped or died before its end: only the tests that finished are in the results. */
    partial?: boolean
    durationSeconds: number
    /** Required names refstack-client dropped because the installed Tempest lacks them. */
    notInTempest: string[]
    toolchain?: string
    /** The Tempest that ran: its version, executable, workspace, and whether it was the operator's. */
    tempest?: { version: string; path: string; workspace: string; owner: 'operator' | 'refstack-client' }
    /** refstack-client's package version or git commit. */
    refstackClient?: string
    /** What the action installed on the target in this run (absent: nothing). */
    installed?: string
  }
  /** With the `baseline` input: what changed since that earlier run. */
  baseline?: BaselineComparison
  /** The pre-flight's prediction, when it ran (input 'preflight'). */
  preflight?: PreflightResult
  /** Set when the results were uploaded to a RefStack server; `passedOnRerun`: uploaded tests that passed only on a rerun. */
  upload?: { url: string; id: string; passedOnRerun?: string[] }
  /** Which credentials ran the tests (dynamic / accounts file / the openrc's account) and whether one was admin. */
  credentials?: TestCredentials
  /** What the action did that the reader should know (a tempest.conf copy it wrote, …). */
  notes: string[]
  /** Problems that did not stop the report (stream truncated, upload refused, …). */
  errors: string[]
  /** Files on the runner. */
  files: { testList?: string; stream?: string; junit?: string; log?: string; tempestLog?: string }
}

/** The standard a run or pre-flight was checked against, as report.json names it. */
export function guidelineSummary(selection: ProgramSelection): Report['guideline'] {
  const { id, source, status, releases } = selection.guideline
  return { id, source, status, releases, ...standardFacts(selection) }
}

/** Where the tests ran, for the summary: "root@host:22", "container x on the runner", "results-file". */
export function targetName(config: Config, ran: boolean): string {
  if (!ran) return 'results-file'
  const host = config.ssh ? `${config.ssh.user}@${config.ssh.host}:${config.ssh.port}` : 'the runner'
  return config.container ? `container ${config.container} on ${host}` : host
}

/**
 * Required tests that refstack-client dropped because the installed Tempest lacks them are missing for that
 * reason, which the report says (refstack-client itself only logs a warning).
 */
function explainMissing(compliance: Compliance, notInTempest: string[]): Compliance {
  const absent = new Set(notInTempest)
  const dropped = (test: TestVerdict): boolean =>
    test.outcome === 'missing' && [test.name, ...test.aliases].every((name) => absent.has(name))
  const detail = 'The installed Tempest has no test of this name (refstack-client dropped it from the list)'
  return {
    ...compliance,
    tests: compliance.tests.map((test) => (dropped(test) ? { ...test, detail } : test))
  }
}

export interface ReportParts {
  config: Config
  resolved: Resolved
  compliance: Compliance
  execution?: Execution
  read?: StreamRead
  resultsFile?: string
  testListFile: string
  errors: string[]
  /** The `baseline` input's report, read (and checked) before the run. */
  baseline?: { file: string; report: ReadReport }
  preflight?: PreflightResult
  upload?: Report['upload']
}

/** Everything known after a run (or a read of given results), as the report. Pure. */
export function buildReport(parts: ReportParts): Report {
  const { config, resolved, execution, read } = parts
  const compliance = execution ? explainMissing(parts.compliance, execution.notInTempest) : parts.compliance
  const report: Report = {
    schema: REPORT_SCHEMA,
    generatedAt: new Date().toISOString(),
    actionVersion: ACTION_VERSION,
    guideline: guidelineSummary(resolved.selection),
    program: resolved.selection.program,
    partial: resolved.selection.partial,
    target: targetName(config, execution !== undefined),
    cloudName: config.cloudName,
    release: resolved.release,
    compliance,
    run: execution && {
      exitCode: execution.exitCode,
      timedOut: execution.timedOut,
      partial: execution.partial || execution.timedOut || execution.cancelled,
      durationSeconds: execution.durationSeconds,
      notInTempest: execution.notInTempest,
      toolchain: `${execution.toolchain.origin}: ${execution.toolchain.version}`,
      tempest: execution.toolchain.tempest && {
        version: execution.toolchain.tempest.version,
        path: execution.toolchain.tempest.executable,
        workspace: execution.toolchain.tempest.workspace,
        owner: execution.toolchain.tempest.owner
      },
      refstackClient: execution.toolchain.version,
      installed: execution.toolchain.installed
    },
    credentials: execution?.credentials,
    notes: execution?.confNote ? [execution.confNote] : [],
    errors: parts.errors,
    files: {
      testList: parts.testListFile,
      stream: parts.resultsFile && read ? parts.resultsFile : undefined,
      log: execution?.logFile,
      tempestLog: execution?.tempestLogFile
    }
  }
  return {
    ...report,
    baseline: parts.baseline && compareWithBaseline(report, parts.baseline.report, parts.baseline.file),
    preflight: parts.preflight,
    upload: parts.upload
  }
}

/** Writes a JSON report (this one, or the pre-flight's) to `file`. */
export async function writeReport(report: object, file: string): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true })
  await fs.writeFile(file, `${JSON.stringify(report, null, 2)}\n`)
}
