/**
 * The runbook as one step: provision, resolve the guideline, run Tempest through refstack-client, read the
 * results, report (and upload), and fail unless compliant. The only place that calls core.setFailed.
 */
import * as core from '@actions/core'
import { type Config, readConfig } from './config.js'
import { describeError } from './errors.js'
import { resolveSelection } from './guideline/resolve.js'
import { type Execution, provisionTarget, runTests } from './refstack/execute.js'
import { setAllOutputs, type Outputs } from './report/outputs.js'
import { publishDryRun, publishReport, writeTestList } from './report/publish.js'
import { guidelineSummary, type Report } from './report/report.js'
import { computeCompliance } from './results/compliance.js'
import { readResults } from './results/read.js'
import { submitResults } from './refstack/submit.js'
import { connectTarget } from './target/connect.js'

export async function run(): Promise<void> {
  let outputs: Outputs = {}
  try {
    const config = readConfig()

    // 2. The guideline, the program and its required test list (first: bad inputs fail before any connection).
    const resolved = await core.group('Resolve the guideline', () => resolveSelection(config))
    const testListFile = await writeTestList(resolved, config.outputDir)
    if (config.dryRun) {
      outputs = await publishDryRun(resolved, testListFile)
      return
    }

    // 1 + 3. Provision refstack-client + Tempest on the target and run the list (or take given results).
    let execution: Execution | undefined
    let resultsFile = config.resultsFile
    if (!resultsFile) {
      const target = await connectTarget(config)
      try {
        const toolchain = await provisionTarget(target, config)
        execution = await runTests(target, config, toolchain, resolved)
      } finally {
        await target.close()
      }
      resultsFile = execution.streamFile
    }

    // 4. Compliance per capability, from the subunit stream read here.
    const { read, reruns, errors } = await readResults(resultsFile, execution)
    const compliance = computeCompliance(resolved.selection, read?.tests ?? [], {
      reruns: reruns.map((r) => r.tests)
    })
    // A damaged stream, a timeout or a run without results is never compliance, whatever was read.
    if (errors.length > 0) compliance.compliant = false

    // 5. Report: summary, outputs, annotations, JSON, JUnit, artifact.
    const report: Report = {
      schema: 'refstack-action/report@1',
      generatedAt: new Date().toISOString(),
      guideline: guidelineSummary(resolved.selection.guideline),
      program: resolved.selection.program,
      partial: resolved.selection.partial,
      target: execution ? targetName(config) : 'results-file',
      release: resolved.release,
      compliance,
      run: execution && {
        exitCode: execution.exitCode,
        timedOut: execution.timedOut,
        durationSeconds: execution.durationSeconds,
        notInTempest: execution.notInTempest,
        toolchain: `${execution.toolchain.origin}: ${execution.toolchain.version}`
      },
      notes: execution?.confNote ? [execution.confNote] : [],
      errors,
      files: {
        testList: testListFile,
        stream: resultsFile && read ? resultsFile : undefined,
        log: execution?.logFile,
        tempestLog: execution?.tempestLogFile
      }
    }
    // 5. Upload when asked. A refused upload is reported with the results, then fails the step.
    let uploadError: unknown
    if (config.upload && execution && read) {
      const run = execution
      try {
        report.upload = await core.group('Upload to the RefStack server', () =>
          submitResults(config, run, read)
        )
      } catch (error) {
        uploadError = error
        report.errors.push(`Upload to ${config.refstackServer} failed: ${describeError(error)}`)
      }
    }
    const published = await core.group('Report', () =>
      publishReport(report, read, {
        outputDir: config.outputDir,
        junitFile: config.junitFile,
        artifactName: config.artifactName
      })
    )
    outputs = published.outputs

    // 6. The verdict.
    verdict(config, report)
    if (uploadError !== undefined) core.setFailed(describeError(uploadError))
  } catch (error) {
    core.setFailed(describeError(error))
    if (error instanceof Error && error.stack) core.debug(error.stack)
  } finally {
    setAllOutputs(outputs)
  }
}

function verdict(config: Config, report: Report): void {
  const c = report.compliance
  if (c.compliant) {
    core.info(
      `Compliant: ${c.passed}/${c.required} required tests of ${report.guideline.id} ${report.program} passed`
    )
    return
  }
  const why = [
    ...(c.testsRun === 0 ? ['no tests ran'] : []),
    ...(c.failingCapabilities.length > 0
      ? [`failing capabilities: ${c.failingCapabilities.join(', ')}`]
      : []),
    ...report.errors
  ].join('; ')
  const message = `Not compliant with ${report.guideline.id} ${report.program}: ${c.passed}/${c.required} required tests passed (${c.percent}%); ${why}`
  if (config.failOnNoncompliance) core.setFailed(message)
  else core.warning(`${message} (fail-on-noncompliance is false)`)
}

function targetName(config: Config): string {
  const host = config.ssh ? `${config.ssh.user}@${config.ssh.host}:${config.ssh.port}` : 'the runner'
  return config.container ? `container ${config.container} on ${host}` : host
}
