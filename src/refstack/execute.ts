/** Steps 1 and 3 on the target: provision refstack-client + Tempest, check tempest.conf, run the list. */
import * as core from '@actions/core'
import type { Config } from '../config.js'
import { Input } from '../constants.js'
import { ActionError } from '../errors.js'
import type { Target } from '../target/target.js'
import { cleanTestAccounts } from './clean-accounts.js'
import { provision, type Toolchain } from './provision.js'
import { type RunOutcome, runRefstack } from './run.js'
import { checkTempestConf } from './tempest-conf.js'

export interface Execution extends RunOutcome {
  toolchain: Toolchain
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
  if (!config.tempestConf) {
    throw new ActionError(
      `Input '${Input.TempestConf}' is empty and generating one from '${Input.Openrc}' is not available yet`,
      `Set '${Input.TempestConf}' to the path of tempest.conf on the target`
    )
  }
  const conf = await checkTempestConf(target, config.tempestConf)
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
  return { ...outcome, toolchain }
}
