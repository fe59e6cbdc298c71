/**
 * Fleet mode (input `reports`): the JSON reports of several runs — typically one per cloud or region of a
 * matrix, downloaded by a fan-in job — as one summary: a row per cloud, then a capability × cloud grid that
 * shows which capability fails where. Nothing is provisioned or run.
 *
 * The reports come from other jobs, so none is trusted: each is read and checked by read-report.ts, its verdict
 * recomputed (recompute.ts), and only a digest of it kept (memory stays flat over thousands of reports). A report
 * that cannot be read, or contradicts itself, is a row that says so and is never counted compliant. Pure but for
 * `readFleet`.
 */
import * as glob from '@actions/glob'
import * as path from 'node:path'
import { Input } from '../constants.js'
import { ActionError } from '../errors.js'
import type { Program } from '../guideline/model.js'
import { escapeText, table } from './markdown.js'
import { type ReadReport, readReportFile } from './read-report.js'
import { recomputeVerdict } from './recompute.js'
import { fitBudget } from './summary.js'

/** What fleet mode keeps of one report file. */
export interface FleetEntry {
  /** The report's `cloudName`, else the name of its folder (the artifact's name after download-artifact). */
  cloud: string
  file: string
  /** Set when the file could not be used as a report: why (the reader's error). */
  unreadable?: string
  /** The checked report's facts (absent when unreadable). */
  report?: {
    generatedAt: string
    guideline: string
    kind?: 'interop-guideline' | 'test-list'
    program: Program
    partial: boolean
    percent: number
    passed: number
    required: number
    capabilities: Array<{ name: string; status: 'passed' | 'failed' }>
    failingCapabilities: string[]
    firstError?: string
  }
  /** The recomputed verdict: compliant only when the report's flag and its counts agree that it is. */
  compliant: boolean
  /** What in the report contradicts the rest. */
  inconsistent?: string
  /** Why it is not compliant by its counts. */
  failing: string[]
}

/** A report as fleet mode keeps it: the facts its summary shows, and the recomputed verdict. Pure. */
export function digest(file: string, report: ReadReport): Omit<FleetEntry, 'cloud'> {
  const verdict = recomputeVerdict(report)
  const c = report.compliance
  return {
    file,
    report: {
      generatedAt: report.generatedAt,
      guideline: report.guideline.id,
      ...(report.guideline.kind && { kind: report.guideline.kind }),
      program: report.program,
      partial: report.partial,
      percent: c.percent,
      passed: c.passed,
      required: c.required,
      capabilities: c.capabilities.map(({ name, status }) => ({ name, status })),
      failingCapabilities: c.capabilities.filter((cap) => cap.status === 'failed').map((cap) => cap.name),
      ...(report.errors.length > 0 && { firstError: report.errors[0].slice(0, 500) })
    },
    compliant: verdict.compliant,
    failing: verdict.failing,
    ...(verdict.inconsistent !== undefined && { inconsistent: verdict.inconsistent })
  }
}

function folderName(file: string): string {
  return path.basename(path.dirname(path.resolve(file)))
}

/** Names each entry, in file order; a name two entries share is told apart by the report's path. */
export function nameEntries(
  entries: Array<Omit<FleetEntry, 'cloud'> & { cloudName?: string }>
): FleetEntry[] {
  const named = entries.map(({ cloudName, ...entry }) => ({
    ...entry,
    cloud: cloudName ?? folderName(entry.file)
  }))
  const count = new Map<string, number>()
  for (const entry of named) count.set(entry.cloud, (count.get(entry.cloud) ?? 0) + 1)
  // The path relative to the workspace (the step's working directory) where the report lies in it.
  const shown = (file: string): string => {
    const relative = path.relative(process.cwd(), file)
    return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative
  }
  return named.map((entry) =>
    (count.get(entry.cloud) ?? 0) > 1 ? { ...entry, cloud: `${entry.cloud} (${shown(entry.file)})` } : entry
  )
}

function icon(entry: FleetEntry): string {
  if (entry.unreadable !== undefined || entry.inconsistent !== undefined) return '⚠️'
  return entry.compliant ? '✅' : '❌'
}

/** One row per cloud: verdict, cloud, compliance, failing capabilities (or why), guideline, when; escaped. */
export function fleetRows(entries: FleetEntry[]): string[][] {
  return entries.map((entry) => {
    const r = entry.report
    if (r === undefined)
      return [icon(entry), escapeText(entry.cloud), '', escapeText(`unreadable: ${entry.unreadable}`), '', '']
    const why =
      entry.inconsistent !== undefined
        ? `inconsistent report: ${entry.inconsistent}`
        : r.failingCapabilities.join(', ') ||
          (entry.compliant ? '' : (r.firstError ?? entry.failing.join(', ')))
    return [
      icon(entry),
      escapeText(entry.cloud),
      `${r.percent}% (${r.passed}/${r.required})`,
      escapeText(why),
      escapeText(`${r.guideline} ${r.program}${r.partial ? ' (partial)' : ''}`),
      escapeText(r.generatedAt)
    ]
  })
}

/**
 * Capability × cloud: ✅ passed, ❌ failed, blank where the cloud's report does not hold the capability
 * (another program or a capability selection). Capabilities in first-seen order; escaped.
 */
export function capabilityGrid(entries: FleetEntry[]): { header: string[]; rows: string[][] } {
  const names = new Set<string>()
  const status = entries.map(({ report }) => {
    const byName = new Map<string, string>()
    for (const cap of report?.capabilities ?? []) {
      names.add(cap.name)
      byName.set(cap.name, cap.status === 'passed' ? '✅' : '❌')
    }
    return byName
  })
  return {
    header: ['Capability', ...entries.map((e) => escapeText(e.cloud))],
    rows: [...names].map((name) => [escapeText(name), ...status.map((byName) => byName.get(name) ?? '')])
  }
}

export interface FleetVerdict {
  compliant: boolean
  /** For the log: each cloud not compliant with its compliance and (the first) failing capabilities. */
  message: string
  /** The clouds not compliant, for the summary (its tables say why). */
  failing: string[]
}

/** Capabilities named in the verdict message per cloud; the summary's tables have them all. */
const NAMED_CAPABILITIES = 5
/** Clouds named in the verdict message; the summary's table has them all. */
const NAMED_CLOUDS = 20

function capabilityList(names: string[]): string {
  if (names.length <= NAMED_CAPABILITIES) return names.join(', ')
  return `${names.slice(0, NAMED_CAPABILITIES).join(', ')} and ${names.length - NAMED_CAPABILITIES} more`
}

function whyNot(entry: FleetEntry): string {
  const r = entry.report
  if (r === undefined) return `${entry.cloud} (unreadable: ${entry.unreadable})`
  if (entry.inconsistent !== undefined) return `${entry.cloud} (inconsistent report: ${entry.inconsistent})`
  const caps = r.failingCapabilities
  return `${entry.cloud} (${r.percent}%${caps.length > 0 ? `: ${capabilityList(caps)}` : entry.failing.length > 0 ? `: ${entry.failing.join(', ')}` : ''})`
}

export function fleetVerdict(entries: FleetEntry[]): FleetVerdict {
  const failing = entries.filter((e) => !e.compliant)
  if (failing.length === 0)
    return { compliant: true, message: `Every cloud is compliant (${entries.length})`, failing: [] }
  const which = failing.slice(0, NAMED_CLOUDS).map(whyNot)
  if (failing.length > NAMED_CLOUDS) which.push(`${failing.length - NAMED_CLOUDS} more in the job summary`)
  return {
    compliant: false,
    message: `${failing.length} of ${entries.length} clouds not compliant: ${which.join('; ')}`,
    failing: failing.map((e) => e.cloud)
  }
}

export function renderFleetSummary(entries: FleetEntry[]): string {
  const verdict = fleetVerdict(entries)
  const grid = capabilityGrid(entries)
  const failingNames = verdict.failing.slice(0, NAMED_CLOUDS).map(escapeText).join(', ')
  const more =
    verdict.failing.length > NAMED_CLOUDS ? ` and ${verdict.failing.length - NAMED_CLOUDS} more` : ''
  return fitBudget(
    [
      `## RefStack interop compliance: ${entries.length} clouds`,
      '',
      verdict.compliant
        ? `✅ **Every cloud is compliant** (${entries.length})`
        : `❌ **${verdict.failing.length} of ${entries.length} clouds not compliant**: ${failingNames}${more}`,
      '',
      ...table(['', 'Cloud', 'Compliance', 'Failing capabilities', 'Guideline', 'When'], fleetRows(entries)),
      '',
      `### Capabilities × clouds`,
      '',
      ...table(grid.header, grid.rows),
      ''
    ].join('\n'),
    undefined,
    'the report files this step read (input reports)'
  )
}

/** One report file as a fleet entry: its digest, or why it could not be read (never an exception). */
async function readEntry(file: string): Promise<Omit<FleetEntry, 'cloud'> & { cloudName?: string }> {
  try {
    const report = await readReportFile(file, Input.Reports)
    return { ...digest(file, report), ...(report.cloudName !== undefined && { cloudName: report.cloudName }) }
  } catch (error) {
    // The reader's message names the input and the file; the row names the file already.
    const message =
      error instanceof ActionError
        ? error.message.replace(`Input '${Input.Reports}': ${file} `, '')
        : 'cannot be read'
    return { file, unreadable: message, compliant: false, failing: [] }
  }
}

/** The reports `pattern` (a glob, several lines allowed) matches, read one after another, named, in path order. */
export async function readFleet(pattern: string): Promise<FleetEntry[]> {
  const globber = await glob.create(pattern, { matchDirectories: false })
  const files = (await globber.glob()).sort()
  if (files.length === 0) {
    throw new ActionError(
      `Input '${Input.Reports}' matches no file (${JSON.stringify(pattern)})`,
      `Download the runs' artifacts first (actions/download-artifact with a 'path') and give a glob of their report.json files, e.g. 'reports/*/report.json'`
    )
  }
  const entries: Array<Omit<FleetEntry, 'cloud'> & { cloudName?: string }> = []
  for (const file of files) entries.push(await readEntry(file))
  return nameEntries(entries)
}
