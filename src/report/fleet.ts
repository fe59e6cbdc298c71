/**
 * Fleet mode (input `reports`): the JSON reports of several runs — typically one per cloud or region of a
 * matrix, downloaded by a fan-in job — as one summary: a row per cloud, then a capability × cloud grid that
 * shows which capability fails where. Nothing is provisioned or run. Pure but for `readFleet`.
 */
import * as glob from '@actions/glob'
import * as path from 'node:path'
import { Input } from '../constants.js'
import { ActionError } from '../errors.js'
import { table } from './markdown.js'
import { readReportFile } from './read-report.js'
import type { Report } from './report.js'

export interface FleetEntry {
  /** The report's `cloudName`, else the name of its folder (the artifact's name after download-artifact). */
  cloud: string
  file: string
  report: Report
}

function cloudNameOf(report: Report, file: string): string {
  return report.cloudName ?? path.basename(path.dirname(path.resolve(file)))
}

/** Names each report, in file order; a name two reports share is told apart by the report's path. */
export function nameEntries(reports: Array<{ file: string; report: Report }>): FleetEntry[] {
  const named = reports.map(({ file, report }) => ({ cloud: cloudNameOf(report, file), file, report }))
  const count = new Map<string, number>()
  for (const entry of named) count.set(entry.cloud, (count.get(entry.cloud) ?? 0) + 1)
  return named.map((entry) =>
    (count.get(entry.cloud) ?? 0) > 1 ? { ...entry, cloud: `${entry.cloud} (${entry.file})` } : entry
  )
}

/** One row per cloud: verdict, cloud, compliance, failing capabilities, guideline, when. */
export function fleetRows(entries: FleetEntry[]): string[][] {
  return entries.map(({ cloud, report }) => {
    const c = report.compliance
    return [
      c.compliant ? '✅' : '❌',
      cloud,
      `${c.percent}% (${c.passed}/${c.required})`,
      c.failingCapabilities.join(', ') || (c.compliant ? '' : (report.errors[0] ?? 'no tests ran')),
      `${report.guideline.id} ${report.program}${report.partial ? ' (partial)' : ''}`,
      report.generatedAt
    ]
  })
}

/**
 * Capability × cloud: ✅ passed, ❌ failed, blank where the cloud's report does not hold the capability
 * (another program or a capability selection). Capabilities in first-seen order.
 */
export function capabilityGrid(entries: FleetEntry[]): { header: string[]; rows: string[][] } {
  const names = new Set<string>()
  const status = entries.map(({ report }) => {
    const byName = new Map<string, string>()
    for (const cap of report.compliance.capabilities) {
      names.add(cap.name)
      byName.set(cap.name, cap.status === 'passed' ? '✅' : '❌')
    }
    return byName
  })
  return {
    header: ['Capability', ...entries.map((e) => e.cloud)],
    rows: [...names].map((name) => [name, ...status.map((byName) => byName.get(name) ?? '')])
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

function capabilityList(names: string[]): string {
  if (names.length <= NAMED_CAPABILITIES) return names.join(', ')
  return `${names.slice(0, NAMED_CAPABILITIES).join(', ')} and ${names.length - NAMED_CAPABILITIES} more`
}

export function fleetVerdict(entries: FleetEntry[]): FleetVerdict {
  const failing = entries.filter((e) => !e.report.compliance.compliant)
  if (failing.length === 0)
    return { compliant: true, message: `Every cloud is compliant (${entries.length})`, failing: [] }
  const which = failing.map(({ cloud, report }) => {
    const caps = report.compliance.failingCapabilities
    return `${cloud} (${report.compliance.percent}%${caps.length > 0 ? `: ${capabilityList(caps)}` : ''})`
  })
  return {
    compliant: false,
    message: `${failing.length} of ${entries.length} clouds not compliant: ${which.join('; ')}`,
    failing: failing.map((e) => e.cloud)
  }
}

export function renderFleetSummary(entries: FleetEntry[]): string {
  const verdict = fleetVerdict(entries)
  const grid = capabilityGrid(entries)
  return [
    `## RefStack interop compliance: ${entries.length} clouds`,
    '',
    verdict.compliant
      ? `✅ **Every cloud is compliant** (${entries.length})`
      : `❌ **${verdict.failing.length} of ${entries.length} clouds not compliant**: ${verdict.failing.join(', ')}`,
    '',
    ...table(['', 'Cloud', 'Compliance', 'Failing capabilities', 'Guideline', 'When'], fleetRows(entries)),
    '',
    `### Capabilities × clouds`,
    '',
    ...table(grid.header, grid.rows),
    ''
  ].join('\n')
}

/** The reports `pattern` (a glob, several lines allowed) matches, named, in path order. */
export async function readFleet(pattern: string): Promise<FleetEntry[]> {
  const globber = await glob.create(pattern, { matchDirectories: false })
  const files = (await globber.glob()).sort()
  if (files.length === 0) {
    throw new ActionError(
      `Input '${Input.Reports}' matches no file (${JSON.stringify(pattern)})`,
      `Download the runs' artifacts first (actions/download-artifact with a 'path') and give a glob of their report.json files, e.g. 'reports/*/report.json'`
    )
  }
  const reports = await Promise.all(
    files.map(async (file) => ({ file, report: await readReportFile(file, Input.Reports) }))
  )
  return nameEntries(reports)
}
