/** Step 3 on the target: run the required test list through refstack-client, then rerun what failed. */
import * as core from '@actions/core'
import type { Config } from '../config.js'
import type { Resolved } from '../guideline/resolve.js'
import { computeCompliance, wantedNames } from '../results/compliance.js'
import { baseName } from '../results/test-id.js'
import { readSubunitFile } from '../results/subunit.js'
import type { Target } from '../target/target.js'
import { cleanTestAccounts } from '../tempest/clean-accounts.js'
import type { ReadyConf, TestCredentials } from '../tempest/generate-conf.js'
import type { Toolchain } from '../toolchain/provision.js'
import { type RunOutcome, runRefstack } from './refstack-client.js'
import { accountsLock, type Claim, takeLock, workspaceLock } from './claim.js'
import { Input } from '../constants.js'
import { describeError } from '../errors.js'
import type { CheckedConf } from '../tempest/conf.js'
import { workerCount } from './workers.js'

export interface Execution extends RunOutcome {
  /** Streams of the reruns of failed required tests (rerun-failures), in order, copied to the runner. */
  rerunStreams: string[]
  toolchain: Toolchain
  conf: CheckedConf
  /** What the action did to get a usable tempest.conf, for the summary. */
  confNote?: string
  /** Which credentials ran the tests. */
  credentials: TestCredentials
}

/**
 * Runs the list in a claimed run (claim.ts: the workdir already held): takes the Tempest workspace and the test
 * accounts first, cleans the accounts, runs, then reruns what failed, every attempt under the same claim.
 */
export async function runTests(
  target: Target,
  config: Config,
  toolchain: Toolchain,
  resolved: Resolved,
  ready: ReadyConf,
  claim: Claim
): Promise<Execution> {
  const { conf, note } = ready
  const request = {
    toolchain,
    tempestConf: conf.path,
    workdir: config.workdir,
    workers: workerCount(config.parallel, conf.accounts.length),
    outputDir: config.outputDir,
    tempestLog: conf.logFile
  }
  await takeLock(target, claim, 'workspace', workspaceLock(toolchain.tempestDir))
  if (conf.accounts.length > 0) await takeLock(target, claim, 'accounts', accountsLock(conf.accounts))
  if (config.cleanTestAccounts && conf.accountsFile) {
    const accountsFile = conf.accountsFile
    await core.group('Clean the test accounts', () =>
      cleanTestAccounts(target, {
        python: toolchain.python,
        workdir: config.workdir,
        tempestConf: conf.path,
        accountsFile,
        lockPath: conf.lockPath
      })
    )
  }
  const outcome = await core.group('Run Tempest through refstack-client', () =>
    runRefstack(target, { ...request, testList: resolved.testList }, claim)
  )

  // rerun-failures: only the required tests that did not pass, each attempt in its own stream.
  const rerunStreams: string[] = []
  const streams = outcome.streamFile ? [outcome.streamFile] : []
  const wanted = wantedNames(resolved.selection)
  let stopped = { timedOut: outcome.timedOut, cancelled: outcome.cancelled }
  for (
    let attempt = 1;
    attempt <= config.rerunFailures && streams.length > 0 && !stopped.timedOut && !stopped.cancelled;
    attempt++
  ) {
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
    if (claim.deadline - Date.now() < 60_000) {
      core.warning(`No rerun: less than a minute is left of ${Input.TimeoutMinutes}`)
      break
    }
    let again: RunOutcome
    try {
      again = await core.group(
        `Rerun ${retry.size} failed required tests (attempt ${attempt} of ${config.rerunFailures})`,
        () => runRefstack(target, { ...request, testList: list, outputName: `rerun-${attempt}` }, claim)
      )
    } catch (error) {
      // The first attempt's results stand: a rerun can only turn failures into passes.
      core.warning(
        `Rerun attempt ${attempt} failed, the results so far are reported: ${describeError(error)}`
      )
      break
    }
    // A rerun stopped at the deadline or by a cancel stops the run: the verdict says so.
    stopped = {
      timedOut: stopped.timedOut || again.timedOut,
      cancelled: stopped.cancelled || again.cancelled
    }
    if (!again.streamFile) break
    streams.push(again.streamFile)
    rerunStreams.push(again.streamFile)
  }
  return {
    ...outcome,
    ...stopped,
    rerunStreams,
    toolchain,
    conf,
    confNote: note,
    credentials: ready.credentials
  }
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
