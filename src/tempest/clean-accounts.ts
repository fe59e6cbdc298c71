/**
 * clean-test-accounts: before a run, remove what earlier Tempest runs left in the pre-provisioned accounts
 * (see src/python/clean_accounts.py). It runs on the target with the Python that runs Tempest, reading the
 * same tempest.conf and accounts file; passwords never travel on a command line.
 */
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

/**
 * Removes Tempest's leftovers from the accounts of tempest.conf; returns what it removed ("user: container x").
 * A failure is an error naming clean-test-accounts, since the run would then fail for reasons not the cloud's.
 */
export async function cleanTestAccounts(target: Target, options: CleanAccountsOptions): Promise<string[]> {
  const { python, workdir, tempestConf, accountsFile, lockPath } = options
  const { result, answer } = await runPythonProgram(target, {
    python,
    workdir,
    program: 'clean_accounts.py',
    args: [tempestConf, accountsFile, ...(lockPath ? [lockPath] : [])]
  })
  if (result.code !== 0 || !Array.isArray(answer)) {
    throw new ActionError(
      `Cleaning the test accounts of ${accountsFile} failed on ${target.description}: ${lastLines(result.stderr || result.stdout, 3).replace(/\s*\n\s*/g, ' ')}`,
      `Fix the accounts file or the cloud, or set 'clean-test-accounts: false' to leave the accounts untouched`
    )
  }
  const removed = answer as string[]
  // The names come from the cloud: shown as text, never as workflow commands.
  echoForeign(
    removed.length === 0
      ? 'Test accounts are clean: nothing left behind by earlier Tempest runs'
      : `Removed what earlier Tempest runs left in the test accounts: ${removed.join('; ')}`
  )
  return removed
}
