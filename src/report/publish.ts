/** Step 5: the report everywhere a user looks — job summary, outputs, annotations, files, artifact. */
import * as core from '@actions/core'
import { promises as fs } from 'node:fs'
import * as path from 'node:path'
import { Input, Output } from '../constants.js'
import type { Resolved } from '../guideline/resolve.js'
import type { StreamRead } from '../results/model.js'
import { echoForeign } from '../log/foreign.js'
import { annotate } from './annotations.js'
import { artifactFiles } from './artifact.js'
import { type FleetEntry, type FleetVerdict, fleetVerdict, renderFleetSummary } from './fleet.js'
import { escapeText, table } from './markdown.js'
import { complianceOutputs, type Outputs } from './outputs.js'
import { type Report, writeReport } from './report.js'
import { describeRule } from '../guideline/plain-list.js'
import { fitBudget, renderSummary } from './summary.js'

export interface Published {
  outputs: Outputs
  reportFile: string
}

/** Writes the test list that runs (or would run) to the runner; returns its path. */
export async function writeTestList(resolved: Resolved, outputDir: string): Promise<string> {
  await fs.mkdir(outputDir, { recursive: true })
  const file = path.join(outputDir, 'test-list.txt')
  await fs.writeFile(file, resolved.testList.join('\n'))
  return file
}

/** Writes the job summary, cut to GitHub's size limit (fitBudget). */
export async function writeSummary(markdown: string): Promise<void> {
  markdown = fitBudget(markdown)
  if (!process.env.GITHUB_STEP_SUMMARY) {
    // Test names and tracebacks come from the stream: shown as text, never as workflow commands.
    echoForeign(markdown)
    return
  }
  try {
    await core.summary.addRaw(markdown, true).write()
  } catch (error) {
    core.warning(`Could not write the job summary: ${(error as Error).message}`)
  }
}

async function uploadArtifact(name: string, files: string[], rootDirectory: string): Promise<void> {
  if (!process.env.ACTIONS_RUNTIME_TOKEN) {
    core.info(
      `Artifact '${name}' not uploaded: not running inside GitHub Actions (its files are kept in ${rootDirectory}: ${files.map((f) => path.basename(f)).join(', ')})`
    )
    return
  }
  try {
    const { DefaultArtifactClient } = await import('@actions/artifact')
    const result = await new DefaultArtifactClient().uploadArtifact(name, files, rootDirectory)
    core.info(`Uploaded artifact '${name}' (${result.size ?? '?'} bytes)`)
  } catch (error) {
    core.warning(`Could not upload the results artifact '${name}': ${(error as Error).message}`)
  }
}

export async function publishReport(
  report: Report,
  read: StreamRead | undefined,
  options: { outputDir: string; junitFile?: string; artifactName?: string }
): Promise<Published> {
  const reportFile = path.join(options.outputDir, 'report.json')
  let junitFile: string | undefined
  if (options.junitFile && read && report.files.stream) {
    junitFile = path.resolve(options.junitFile)
    await fs.mkdir(path.dirname(junitFile), { recursive: true })
    // Read again from the stream file, every test of it; loaded only when asked for.
    const { writeJUnitFile } = await import('./junit.js')
    await writeJUnitFile(report.files.stream, junitFile, {
      name: `refstack ${report.guideline.id} ${report.program}`
    })
    report = { ...report, files: { ...report.files, junit: junitFile } }
  }
  await writeReport(report, reportFile)
  await writeSummary(renderSummary(report))
  annotate(report.compliance, report.guideline.kind === 'test-list' ? 'Service' : 'Capability')

  const outputs: Outputs = {
    ...complianceOutputs(report.compliance),
    [Output.Guideline]: report.guideline.id,
    [Output.Program]: report.program,
    [Output.Partial]: String(report.partial),
    [Output.TestList]: report.files.testList,
    [Output.ResultsFile]: report.files.stream,
    [Output.ReportFile]: reportFile,
    [Output.JunitFile]: junitFile,
    [Output.ResultUrl]: report.upload?.url,
    [Output.ResultId]: report.upload?.id,
    [Output.NewFailures]: report.baseline && String(report.baseline.newFailures.length),
    [Output.Fixed]: report.baseline && String(report.baseline.fixed.length)
  }
  if (options.artifactName) {
    // Everything the run left in the results directory (streams of every attempt, lists, logs, reports), and the
    // stream and JUnit file when they are elsewhere.
    const files = await artifactFiles(options.outputDir, [
      { input: Input.ResultsFile, file: report.files.stream },
      { input: Input.JunitFile, file: junitFile }
    ])
    await uploadArtifact(options.artifactName, files, options.outputDir)
  }
  return { outputs, reportFile }
}

/** dry-run: the per-capability table of what would run, and the list. */
export async function publishDryRun(resolved: Resolved, testListFile: string): Promise<Outputs> {
  const { selection } = resolved
  const guideline = selection.guideline
  const required = new Set<string>()
  const flagged = new Set<string>()
  const rows = selection.capabilities.map((cap) => {
    const capFlagged = cap.tests.filter((t) => t.flagged)
    for (const t of cap.tests) (t.flagged ? flagged : required).add(t.name)
    return [
      escapeText(cap.name),
      String(cap.tests.length - capFlagged.length),
      String(capFlagged.length || '')
    ]
  })
  const list = guideline.list !== undefined
  const standard = list
    ? `Test list **${escapeText(guideline.id)}** (${escapeText(guideline.source)}): ${selection.capabilities.length} services${selection.partial ? ' (partial: selected services only)' : ''}, ${required.size} required tests.`
    : `Guideline **${escapeText(guideline.id)}** (${escapeText(`${guideline.status}; ${guideline.source}`)}), program **${selection.program}**${selection.partial ? ' (partial: selected capabilities only)' : ''}: ${selection.capabilities.length} required capabilities, ${required.size} required tests, ${flagged.size} flagged (not run).`
  const markdown = [
    `## RefStack interop: dry run`,
    '',
    `${standard} ${resolved.testList.length} test list lines would run. Rule: ${describeRule(selection.rule)}.`,
    '',
    ...table([list ? 'Service' : 'Capability', 'Tests', 'Flagged'], rows),
    ''
  ].join('\n')
  await writeSummary(markdown)
  return {
    [Output.Guideline]: guideline.id,
    [Output.Program]: selection.program,
    [Output.Partial]: String(selection.partial),
    [Output.Required]: String(required.size),
    [Output.Flagged]: String(flagged.size),
    [Output.TestList]: testListFile
  }
}

/** Fleet mode: the table of every cloud's report as the job summary; `compliant` is true when all are. */
export async function publishFleet(
  entries: FleetEntry[]
): Promise<{ outputs: Outputs; verdict: FleetVerdict }> {
  const verdict = fleetVerdict(entries)
  // Cloud names and capability names come from other runs' report files: echoed as text, never as commands.
  echoForeign([...entries.map(({ cloud, file }) => `${cloud}: ${file}`), verdict.message].join('\n'))
  await writeSummary(renderFleetSummary(entries))
  // Only values the reader checked (a guideline or list id, a program name) become outputs.
  const read = entries.flatMap((e) => (e.report ? [e.report] : []))
  const guidelines = [...new Set(read.map((r) => r.guideline))]
  const programs = [...new Set(read.map((r) => r.program))]
  return {
    outputs: {
      [Output.Compliant]: String(verdict.compliant),
      [Output.Guideline]: guidelines.length === 1 ? guidelines[0] : undefined,
      [Output.Program]: programs.length === 1 ? programs[0] : undefined
    },
    verdict
  }
}
