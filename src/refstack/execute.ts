/** Steps 1 and 3 on the target: provision refstack-client + Tempest, check tempest.conf, run the list. */
import * as core from '@actions/core'
import type { Config } from '../config.js'
import type { Resolved } from '../guideline/resolve.js'
import { computeCompliance, wantedNames } from '../results/compliance.js'
import { baseName } from '../results/test-id.js'
import { readSubunitFile } from '../results/subunit.js'
import type { Target } from '../target/target.js'
import { cleanTestAccounts } from './clean-accounts.js'
import { prepareTempestConf } from './generate-conf.js'
import { checkTargetInputs } from './preflight.js'
import { provision, type Toolchain } from './provision.js'
import { type RunOutcome, runRefstack } from './run.js'
import { type CheckedConf, checkTempestConf } from './tempest-conf.js'
import { workerCount } from './workers.js'

export interface Execution extends RunOutcome {
  /** Streams of the reruns of failed required tests (rerun-failures), in order, copied to the runner. */
  rerunStreams: string[]
  toolchain: Toolchain
  conf: CheckedConf
  /** What the action did to get a usable tempest.conf, for the summary. */
  confNote?: string
}

export async function provisionTarget(target: Target, config: Config): Promise<Toolchain> {
  await checkTargetInputs(target, config)
  return core.group(`Provision refstack-client and Tempest on ${target.description}`, () =>
    provision(target, config)
  )
}

export interface ReadyConf {
  conf: CheckedConf
  note?: string
}

/** The given tempest.conf, a copy using an accounts file written from the openrc, or one generated from it. */
export async function prepareConf(target: Target, config: Config, toolchain: Toolchain): Promise<ReadyConf> {
  const prepared = await prepareTempestConf(target, {
    tempestConf: config.tempestConf,
    openrc: config.openrc,
    workdir: config.workdir,
    python: toolchain.clientPython
  })
  if (prepared.note) core.info(prepared.note)
  return { conf: await checkTempestConf(target, prepared.path), note: prepared.note }
}

export async function runTests(
  target: Target,
  config: Config,
  toolchain: Toolchain,
  resolved: Resolved,
  ready?: ReadyConf
): Promise<Execution> {
  const { conf, note } = ready ?? (await prepareConf(target, config, toolchain))
  if (config.cleanTestAccounts && conf.accountsFile) {
    await core.group('Clean the test accounts', () =>
      cleanTestAccounts(target, {
        python: toolchain.python,
        workdir: config.workdir,
        tempestConf: conf.path,
        accountsFile: conf.accountsFile as string,
        lockPath: conf.lockPath
      })
    )
  }
  const request = {
    toolchain,
    tempestConf: conf.path,
    workdir: config.workdir,
    workers: workerCount(config.parallel, conf.accounts.length),
    timeoutMinutes: config.timeoutMinutes,
    outputDir: config.outputDir,
    tempestLog: conf.logFile
  }
  const started = Date.now()
  const outcome = await core.group('Run Tempest through refstack-client', () =>
    runRefstack(target, { ...request, testList: resolved.testList })
  )

  // rerun-failures: only the required tests that did not pass, each attempt in its own stream.
  const rerunStreams: string[] = []
  const streams = outcome.streamFile ? [outcome.streamFile] : []
  const wanted = wantedNames(resolved.selection)
  for (
    let attempt = 1;
    attempt <= config.rerunFailures && !outcome.timedOut && !outcome.cancelled;
    attempt++
  ) {
    if (streams.length === 0) break
    const [first, ...reruns] = await Promise.all(streams.map((file) => readSubunitFile(file, wanted)))
    const compliance = computeCompliance(resolved.selection, first.tests, {
      reruns: reruns.map((r) => r.tests)
    })
    const retry = new Set(
      compliance.tests
        .filter((t) => !t.flagged && (t.outcome === 'failed' || t.outcome === 'missing'))
        .map((t) => t.name)
    )
    const list = rerunList(resolved.testList, retry, compliance.tests)
    if (list.length === 0) break
    const remaining = config.timeoutMinutes - (Date.now() - started) / 60_000
    if (remaining < 1) break
    const again = await core.group(
      `Rerun ${retry.size} failed required tests (attempt ${attempt} of ${config.rerunFailures})`,
      () =>
        runRefstack(target, {
          ...request,
          testList: list,
          timeoutMinutes: Math.floor(remaining),
          outputName: `rerun-${attempt}`
        })
    )
    if (!again.streamFile) break
    streams.push(again.streamFile)
    rerunStreams.push(again.streamFile)
  }
  return { ...outcome, rerunStreams, toolchain, conf, confNote: note }
}

/** The lines of the run list that belong to the tests to retry (by name or alias). Pure. */
export function rerunList(
  testList: string[],
  retry: Set<string>,
  tests: Array<{ name: string; aliases: string[] }>
): string[] {
  const names = new Set<string>()
  for (const test of tests) {
    if (!retry.has(test.name)) continue
    names.add(test.name)
    for (const alias of test.aliases) names.add(alias)
  }
  return testList.filter((line) => names.has(baseName(line)))
}
