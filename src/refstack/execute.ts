/** Steps 1 and 3 on the target: provision refstack-client + Tempest, check tempest.conf, run the list. */
import * as core from '@actions/core'
import type { Config } from '../config.js'
import type { Target } from '../target/target.js'
import { cleanTestAccounts } from './clean-accounts.js'
import { prepareTempestConf } from './generate-conf.js'
import { provision, type Toolchain } from './provision.js'
import { type RunOutcome, runRefstack } from './run.js'
import { type CheckedConf, checkTempestConf } from './tempest-conf.js'

export interface Execution extends RunOutcome {
  toolchain: Toolchain
  conf: CheckedConf
  /** What the action did to get a usable tempest.conf, for the summary. */
  confNote?: string
}

export async function provisionTarget(target: Target, config: Config): Promise<Toolchain> {
  return core.group(`Provision refstack-client and Tempest on ${target.description}`, () => provision(target, config))
}

export async function runTests(
  target: Target,
  config: Config,
  toolchain: Toolchain,
  testList: string[]
): Promise<Execution> {
  // The given tempest.conf, a copy using an accounts file written from the openrc, or one generated from it.
  const prepared = await prepareTempestConf(target, {
    tempestConf: config.tempestConf,
    openrc: config.openrc,
    workdir: config.workdir,
    python: toolchain.clientPython
  })
  if (prepared.note) core.info(prepared.note)
  const conf = await checkTempestConf(target, prepared.path)
  if (config.cleanTestAccounts && conf.accountsFile) {
    await core.group('Clean the test accounts', () =>
      cleanTestAccounts(target, toolchain.python, conf.path, conf.accountsFile as string)
    )
  }
  const outcome = await core.group('Run Tempest through refstack-client', () =>
    runRefstack(target, {
      toolchain,
      tempestConf: conf.path,
      testList,
      workdir: config.workdir,
      parallel: config.parallel,
      timeoutMinutes: config.timeoutMinutes,
      outputDir: config.outputDir,
      tempestLog: conf.logFile
    })
  )
  return { ...outcome, toolchain, conf, confNote: prepared.note }
}
