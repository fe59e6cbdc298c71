/**
 * The pre-flight step, between provisioning and the run: predicts which required tests will not pass and why,
 * in seconds, and decides with the `preflight` input whether the run goes on.
 */
import * as core from '@actions/core'
import * as path from 'node:path'
import type { Config } from '../config.js'
import { Input, Output } from '../constants.js'
import { describeError } from '../errors.js'
import type { Resolved } from '../guideline/resolve.js'
import type { Outputs } from '../report/outputs.js'
import { guidelineSummary, targetName, writeReport } from '../report/report.js'
import { writeSummary } from '../report/publish.js'
import { standardName } from '../report/summary.js'
import type { Target } from '../target/target.js'
import { type Prediction, predict } from './findings.js'
import type { PreflightResult } from './modes.js'
import { runPreflightProgram } from './run.js'
import { preflightAnnotations, preflightSection } from './summary.js'
import { ACTION_VERSION } from '../version.js'

const PREFLIGHT_SCHEMA = 'refstack-action/preflight@1'

export async function preflight(
  target: Target,
  config: Config,
  options: { python: string; tempestConf: string },
  resolved: Resolved
): Promise<PreflightResult | undefined> {
  if (config.preflight === 'off') return undefined
  return core.group('Pre-flight', async () => {
    const started = Date.now()
    let prediction: Prediction
    try {
      const raw = await runPreflightProgram(target, {
        ...options,
        testList: resolved.testList,
        workdir: config.workdir
      })
      prediction = predict(resolved.selection, raw)
    } catch (error) {
      // warn: a pre-flight that cannot run must not stop the run it only advises on.
      if (config.preflight !== 'warn') throw error
      core.warning(describeError(error))
      return undefined
    }
    const seconds = (Date.now() - started) / 1000
    for (const annotation of preflightAnnotations(prediction)) {
      core.warning(annotation.message, { title: annotation.title })
    }
    core.info(`Pre-flight phases on the target (s since start): ${JSON.stringify(prediction.timings ?? {})}`)
    core.info(
      `Pre-flight took ${seconds.toFixed(1)} s: ${prediction.notPassing.length} of ${prediction.required} required tests predicted not to pass`
    )
    return { ...prediction, mode: config.preflight, seconds }
  })
}

/** `only` never runs Tempest; `fail` does not when a required test is predicted not to pass. */
export function stopsBeforeRun(result: PreflightResult): boolean {
  return result.mode === 'only' || (result.mode === 'fail' && result.notPassing.length > 0)
}

/** The message to fail the step with, if the prediction fails it. */
export function preflightVerdict(config: Config, result: PreflightResult): string | undefined {
  if (result.notPassing.length === 0) return undefined
  const message = `Pre-flight: ${result.notPassing.length} of ${result.required} required tests are predicted not to pass (${result.findings.length} findings, see the job summary)`
  if (result.mode === 'fail') return `${message}; Tempest was not run ('${Input.Preflight}: fail')`
  if (result.mode === 'only' && config.failOnNoncompliance) return message
  if (result.mode === 'only') core.warning(`${message} (fail-on-noncompliance is false)`)
  return undefined
}

/** Report of a run that stopped after the pre-flight: report.json, the summary, the outputs. */
export async function publishPreflight(
  config: Config,
  resolved: Resolved,
  result: PreflightResult,
  testListFile: string
): Promise<Outputs> {
  const { selection } = resolved
  const report = {
    schema: PREFLIGHT_SCHEMA,
    generatedAt: new Date().toISOString(),
    actionVersion: ACTION_VERSION,
    guideline: guidelineSummary(selection),
    program: selection.program,
    partial: selection.partial,
    target: targetName(config, true),
    preflight: result,
    files: { testList: testListFile }
  }
  const reportFile = path.join(config.outputDir, 'report.json')
  await writeReport(report, reportFile)
  const markdown = [
    `## RefStack interop: pre-flight only`,
    '',
    `Checked against ${standardName(report)} on ${report.target}: Tempest was not run.`,
    '',
    ...preflightSection(result, result.seconds)
  ].join('\n')
  await writeSummary(markdown)
  return {
    [Output.Guideline]: selection.guideline.id,
    [Output.Program]: selection.program,
    [Output.Required]: String(result.required),
    [Output.TestList]: testListFile,
    [Output.ReportFile]: reportFile
  }
}
