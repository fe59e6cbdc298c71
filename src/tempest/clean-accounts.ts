/**
 * clean-test-accounts: before a run, remove what earlier Tempest runs left in the pre-provisioned accounts
 * (see src/python/clean_accounts.py). It runs on the target with the Python that runs Tempest, reading the
 * same tempest.conf and accounts file; passwords never travel on a command line.
 */
import * as core from '@actions/core'
import { ActionError, lastLines } from '../errors.js'
import { echoForeign } from '../log/foreign.js'
import { runPythonProgram } from '../python/programs.js'
import type { Target } from '../target/target.js'

export interface CleanAccountsOptions {
  /** Python on the target with PyYAML (Tempest's). */
  python: string
  /** The action's directory on the target: the program goes to <workdir>/python/. */
  workdir: string
  tempestConf: string
  accountsFile: string
  /** tempest.conf's lock_path, where Tempest records which account a run holds. */
  lockPath?: string
}

/** What clean_accounts.py answers. */
export interface CleanAnswer {
  /** What it removed ("user: container x"). */
  removed: string[]
  /** Listings Swift refused (an HTML 403/5xx page): reported, the run goes on. */
  problems: string[]
  /** Tempest processes running on the target that may use these accounts: then nothing was touched. */
  running: string[]
  /** Tempest processes running on the target on other accounts: cleaned anyway, their allocation files left. */
  elsewhere: string[]
}

function isAnswer(value: unknown): value is CleanAnswer {
  const strings = (v: unknown): boolean => Array.isArray(v) && v.every((s) => typeof s === 'string')
  const answer = value as CleanAnswer
  return (
    typeof value === 'object' &&
    value !== null &&
    strings(answer.removed) &&
    strings(answer.problems) &&
    strings(answer.running) &&
    strings(answer.elsewhere)
  )
}

/**
 * Removes Tempest's leftovers from the accounts of tempest.conf, unless a Tempest that may use them runs on the
 * target (one on other accounts does not stop it); returns the answer. A failure is an error naming clean-test-accounts, since the run would then fail
 * for reasons not the cloud's; a listing Swift refused is a warning.
 */
export async function cleanTestAccounts(target: Target, options: CleanAccountsOptions): Promise<CleanAnswer> {
  const { python, workdir, tempestConf, accountsFile, lockPath } = options
  const { result, answer } = await runPythonProgram(target, {
    python,
    workdir,
    program: 'clean_accounts.py',
    args: [tempestConf, accountsFile, ...(lockPath ? [lockPath] : [])]
  })
  if (result.code !== 0 || !isAnswer(answer)) {
    throw new ActionError(
      `Cleaning the test accounts of ${accountsFile} failed on ${target.description}: ${lastLines(result.stderr || result.stdout, 3).replace(/\s*\n\s*/g, ' ')}`,
      `Fix the accounts file or the cloud, or set 'clean-test-accounts: false' to leave the accounts untouched`
    )
  }
  // The names come from the cloud and the target: shown as text, never as workflow commands.
  if (answer.running.length > 0) {
    echoForeign(
      `Test accounts left as they are: a Tempest runs on ${target.description} and may use them (${answer.running.slice(0, 3).join('; ')})`
    )
    return answer
  }
  echoForeign(
    answer.removed.length === 0
      ? 'Test accounts are clean: nothing left behind by earlier Tempest runs'
      : `Removed what earlier Tempest runs left in the test accounts: ${answer.removed.join('; ')}`
  )
  if (answer.elsewhere.length > 0) {
    echoForeign(
      `Left alone: ${answer.elsewhere.length} Tempest processes on ${target.description} that run on other accounts, and their allocation files (${answer.elsewhere.slice(0, 2).join('; ')})`
    )
  }
  for (const problem of answer.problems) {
    core.warning(`clean-test-accounts: ${problem.replace(/[\r\n]+/g, ' ')}; left as it is`)
  }
  return answer
}
