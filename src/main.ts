/**
 * The runbook as one step: provision, resolve the guideline, predict (pre-flight), run Tempest through
 * refstack-client, read the results, report (and upload), and fail unless compliant. The only place that calls core.setFailed.
 */
import * as core from '@actions/core'
import { type Config, readConfig } from './config.js'
import { describeError } from './errors.js'
import { type Resolved, resolveSelection } from './guideline/resolve.js'
import type { Execution } from './run/tests.js'
import { setAllOutputs, type Outputs } from './report/outputs.js'
import { readFleet } from './report/fleet.js'
import { publishDryRun, publishFleet, publishReport, writeTestList } from './report/publish.js'
import { readBaseline } from './report/read-report.js'
import { buildReport, type Report } from './report/report.js'
import { computeCompliance, wantedNames } from './results/compliance.js'
import type { StreamRead } from './results/model.js'
import { readResults } from './results/read.js'
import type { PreflightResult } from './preflight/modes.js'
import { preflight, preflightVerdict, publishPreflight, stopsBeforeRun } from './preflight/step.js'

export async function run(): Promise<void> {
  let outputs: Outputs = {}
  try {
    const config = readConfig()
    // Fleet mode: one table of the reports earlier runs wrote; nothing is provisioned or run.
    if (config.reports !== undefined) {
      outputs = await fleet(config, config.reports)
      return
    }
    // Read before anything runs: a wrong baseline path fails in seconds, not after the run.
    const baseline = await readBaseline(config.baseline)

    // 2. The guideline, the program and its required test list (first: bad inputs fail before any connection).
    const resolved = await core.group('Resolve the guideline', () => resolveSelection(config))
    const testListFile = await writeTestList(resolved, config.outputDir)
    if (config.dryRun) {
      outputs = await publishDryRun(resolved, testListFile)
      return
    }

    // 1 + 3. Provision refstack-client + Tempest on the target, pre-flight, and run the list — or take the
    // given results. A pre-flight that stops the run is the report.
    const { execution, preflight } = config.resultsFile ? {} : await provisionAndRun(config, resolved)
    if (preflight && !execution) {
      outputs = await publishPreflight(config, resolved, preflight, testListFile)
      const failure = preflightVerdict(config, preflight)
      if (failure !== undefined) core.setFailed(failure)
      return
    }
    const resultsFile = config.resultsFile ?? execution?.streamFile

    // 4. Compliance per capability, from the subunit stream(s) read here.
    const { read, reruns, errors } = await readResults(resultsFile, execution, {
      wanted: wantedNames(resolved.selection)
    })
    const computed = computeCompliance(resolved.selection, read?.tests ?? [], {
      reruns: reruns.map((r) => r.tests),
      testsRun: read?.testsRun ?? 0
    })
    // A damaged stream, a timeout or a run without results is never compliance, whatever was read.
    const compliance = { ...computed, compliant: computed.compliant && errors.length === 0 }

    // 5. Upload when asked (a refused upload is reported with the results, then fails the step); report.
    const uploaded: Uploaded =
      execution && read && config.upload ? await upload(config, execution, read, reruns) : {}
    const uploadProblem =
      uploaded.error === undefined
        ? []
        : [`Upload to ${config.refstackServer} failed: ${describeError(uploaded.error)}`]
    const report = buildReport({
      config,
      resolved,
      compliance,
      execution,
      read,
      resultsFile,
      testListFile,
      errors: [...errors, ...uploadProblem],
      baseline,
      preflight,
      upload: uploaded.result
    })
    const published = await core.group('Report', () =>
      publishReport(report, read, {
        outputDir: config.outputDir,
        junitFile: config.junitFile,
        artifactName: config.artifactName
      })
    )
    outputs = published.outputs

    // 6. The verdict.
    verdict(config, report, errors.length > 0)
    if (uploaded.error !== undefined) core.setFailed(describeError(uploaded.error))
  } catch (error) {
    core.setFailed(describeError(error))
    if (error instanceof Error && error.stack) core.debug(error.stack)
  } finally {
    setAllOutputs(outputs)
  }
}

/**
 * Steps 1 and 3, with the pre-flight between them (no execution when it stops the run). The target code (SSH,
 * its WebAssembly crypto) loads only when something runs.
 */
async function provisionAndRun(
  config: Config,
  resolved: Resolved
): Promise<{ execution?: Execution; preflight?: PreflightResult }> {
  const { connectTarget } = await import('./target/connect.js')
  const { provisionTarget } = await import('./toolchain/provision.js')
  const { prepareConf } = await import('./tempest/generate-conf.js')
  const { runTests } = await import('./run/tests.js')
  const { claimRun, releaseClaim } = await import('./run/claim.js')
  const target = await connectTarget(config)
  try {
    // One run at a time per workdir, held from before the first write there until the last rerun ends.
    const claim = await claimRun(target, config)
    try {
      const toolchain = await provisionTarget(target, config)
      const ready = await prepareConf(target, config, toolchain)
      const tempestConf = ready.conf.path
      const predicted = await preflight(target, config, { python: toolchain.python, tempestConf }, resolved)
      if (predicted && stopsBeforeRun(predicted)) return { preflight: predicted }
      const execution = await runTests(target, config, toolchain, resolved, ready, claim)
      return { execution, preflight: predicted }
    } finally {
      await releaseClaim(target, claim.dir)
    }
  } finally {
    await target.close()
  }
}

/** What the RefStack server answered to the upload (`result`), or why the upload failed (`error`). */
interface Uploaded {
  result?: Report['upload']
  error?: unknown
}

async function upload(
  config: Config,
  execution: Execution,
  read: StreamRead,
  reruns: StreamRead[]
): Promise<Uploaded> {
  const { submitResults } = await import('./refstack-api/submit.js')
  try {
    return {
      result: await core.group('Upload to the RefStack server', () =>
        submitResults(config, execution, read, reruns)
      )
    }
  } catch (error) {
    return { error }
  }
}

/** Fleet mode: the summary of every cloud's report, and its verdict. */
async function fleet(config: Config, pattern: string): Promise<Outputs> {
  const published = await core.group('Fleet summary', async () => publishFleet(await readFleet(pattern)))
  if (!published.verdict.compliant) notCompliant(config, published.verdict.message, false)
  return published.outputs
}

/**
 * Fails the step unless compliant. `fail-on-noncompliance: false` forgives non-compliance only: when the results
 * could not be read whole (`unreadable`: a damaged stream, a timeout, no results) the step fails anyway.
 */
function verdict(config: Config, report: Report, unreadable: boolean): void {
  const c = report.compliance
  const list = report.guideline.kind === 'test-list'
  const standard = list ? `test list ${report.guideline.id}` : `${report.guideline.id} ${report.program}`
  const partial = report.partial ? ` (partial: selected ${list ? 'services' : 'capabilities'} only)` : ''
  if (c.compliant) {
    core.info(`Compliant${partial}: ${c.passed}/${c.required} required tests of ${standard} passed`)
    return
  }
  const why = [
    ...(c.testsRun === 0 ? ['no tests ran'] : []),
    ...(c.failingCapabilities.length > 0
      ? [`failing ${list ? 'services' : 'capabilities'}: ${c.failingCapabilities.join(', ')}`]
      : []),
    ...report.errors
  ].join('; ')
  notCompliant(
    config,
    `Not compliant${partial} with ${standard}: ${c.passed}/${c.required} required tests passed (${c.percent}%); ${why}`,
    unreadable
  )
}

/** `fail-on-noncompliance: false` forgives non-compliance only, never results that could not be read whole. */
function notCompliant(config: Config, message: string, unreadable: boolean): void {
  if (config.failOnNoncompliance || unreadable) core.setFailed(message)
  else core.warning(`${message} (fail-on-noncompliance is false)`)
}
