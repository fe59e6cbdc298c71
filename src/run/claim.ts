/**
 * One refstack-action run at a time per workdir, per Tempest workspace and per set of test accounts.
 *
 * A run claims its workdir before it writes anything there (provisioning, tempest.conf, the accounts file),
 * then the Tempest workspace (every run in it writes `.stestr/N`) and the test accounts (a clean-up or a run
 * on accounts another run uses breaks that run). Each lock is an flock(2) held by a keeper process on the
 * target (claim.sh, keeper.sh): atomic, freed by the kernel when the keeper ends, and the keeper ends when the
 * run releases its claim or at the run's deadline, stopping whatever attempt of the run is still running. A
 * runner that dies therefore blocks the next run until the deadline at most.
 *
 * Waits count against timeout-minutes: the deadline is fixed when the run starts waiting for its workdir.
 */
import * as core from '@actions/core'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { Input, State } from '../constants.js'
import { ActionError } from '../errors.js'
import type { Target } from '../target/target.js'

/** A claimed run: its directory on the target (attempts run in subdirectories) and its deadline. */
export interface Claim {
  dir: string
  /** When the run must have ended, in ms since the epoch (runner's clock): timeout-minutes after the claim began. */
  deadline: number
  /** Minutes this run waited for other runs. */
  waitedMinutes: number
}

/** After the deadline the keepers give the action this long to stop the run itself and read what finished. */
export const KEEPER_GRACE_SECONDS = 30
const RETRY_MS = 3000
const TELL_EVERY_MS = 60_000

export type LockName = 'workdir' | 'workspace' | 'accounts'

function runId(): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '')
  return `${stamp}-${Math.random().toString(16).slice(2, 8)}`
}

/** The lock file of the workdir and of a Tempest workspace. */
export const workdirLock = (workdir: string): string => `${workdir.replace(/\/+$/, '')}/.refstack-action.lock`
export const workspaceLock = (workspace: string): string =>
  `${workspace.replace(/\/+$/, '')}/.refstack-action.lock`

/**
 * The lock of a set of test accounts, in the target's /tmp, named by the accounts' identities (user and
 * project with their domains): two accounts files listing the same users share it. Pure.
 */
export function accountsLock(accounts: ReadonlyArray<Record<string, unknown>>): string {
  const text = (value: unknown): string => (typeof value === 'string' ? value : '')
  const identities = accounts
    .map((a) =>
      [
        text(a.username),
        text(a.user_domain_name) || text(a.domain_name),
        text(a.project_name) || text(a.tenant_name),
        text(a.project_domain_name) || text(a.domain_name)
      ].join('\u0000')
    )
    .sort()
  const key = createHash('sha256').update(identities.join('\n')).digest('hex').slice(0, 16)
  return `/tmp/refstack-action-accounts-${key}.lock`
}

const what = (name: LockName, lock: string): string =>
  name === 'workdir'
    ? `workdir ${lock.replace(/\/\.refstack-action\.lock$/, '')}`
    : name === 'workspace'
      ? `Tempest workspace ${lock.replace(/\/\.refstack-action\.lock$/, '')}`
      : 'test accounts'

/**
 * Takes one lock for the claim, waiting while another run holds it (named in the log, with since when) until
 * the claim's deadline; then an ActionError naming that run.
 */
export async function takeLock(target: Target, claim: Claim, name: LockName, lock: string): Promise<void> {
  const script = readFileSync(new URL('./claim.sh', import.meta.url), 'utf8')
  const keeper = readFileSync(new URL('./keeper.sh', import.meta.url), 'utf8')
  const waitFrom = Date.now()
  let told = 0
  for (;;) {
    const seconds = Math.max(1, Math.ceil((claim.deadline - Date.now()) / 1000) + KEEPER_GRACE_SECONDS)
    const result = await target.exec([
      'sh',
      '-c',
      script,
      'sh',
      lock,
      claim.dir,
      name,
      String(seconds),
      keeper
    ])
    const answer = result.stdout.trim()
    if (answer === 'claimed') break
    if (answer === 'noflock') {
      throw new ActionError(
        `Cannot claim the ${what(name, lock)} on ${target.description}: it has no 'flock' command`,
        `Install util-linux on the target (refstack-action runs one run at a time with flock)`
      )
    }
    if (result.code === 2 && name === 'workdir') {
      throw new ActionError(
        `Input '${Input.Workdir}': ${lock.replace(/\/[^/]*$/, '')} cannot be used as a directory on ${target.description} (${result.stderr.trim()})`,
        `Give a directory the SSH user may create and write`
      )
    }
    if (!answer.startsWith('busy ')) {
      throw new Error(
        `Cannot claim the ${what(name, lock)} on ${target.description}: ${result.stderr.trim() || answer || `exit ${result.code}`}`
      )
    }
    const holder = answer.slice(5)
    if (Date.now() >= claim.deadline) {
      throw new ActionError(
        `Another refstack-action run (${holder}) still held the ${what(name, lock)} on ${target.description} when this run reached ${Input.TimeoutMinutes} (it waited ${minutes(Date.now() - waitFrom)} for it)`,
        `Runs on one target go one at a time per workdir, Tempest workspace and set of test accounts: serialise the jobs with a 'concurrency' group, or give this one a longer '${Input.TimeoutMinutes}' (waiting counts in it)`
      )
    }
    if (Date.now() - told >= TELL_EVERY_MS) {
      told = Date.now()
      core.info(
        `Waiting for the refstack-action run ${holder}, which holds the ${what(name, lock)} on ${target.description}; the wait counts in ${Input.TimeoutMinutes} (${minutes(claim.deadline - Date.now())} left)`
      )
    }
    await sleep(Math.min(RETRY_MS, Math.max(0, claim.deadline - Date.now())))
  }
  const waited = Date.now() - waitFrom
  claim.waitedMinutes += waited / 60_000
  if (told > 0) core.info(`Claimed the ${what(name, lock)} after waiting ${minutes(waited)}`)
}

function minutes(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000))
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m ${s % 60}s`
}

/**
 * Claims a new run directory under the workdir: the workdir's lock, held until releaseClaim (or the deadline,
 * timeout-minutes from now). The post step finds the claim in the action's state.
 */
export async function claimRun(
  target: Target,
  options: { workdir: string; timeoutMinutes: number }
): Promise<Claim> {
  const claim: Claim = {
    dir: `${options.workdir.replace(/\/+$/, '')}/runs/${runId()}`,
    deadline: Date.now() + options.timeoutMinutes * 60_000,
    waitedMinutes: 0
  }
  core.saveState(State.ClaimDir, claim.dir)
  await takeLock(target, claim, 'workdir', workdirLock(options.workdir))
  return claim
}

/** Ends the claim: the keepers stop any attempt still running and free the locks. Returns the stopped attempts. */
export async function releaseClaim(target: Target, dir: string): Promise<string[]> {
  const script = readFileSync(new URL('./release-claim.sh', import.meta.url), 'utf8')
  const result = await target.exec(['sh', '-c', script, 'sh', dir])
  return result.stdout.split('\n').filter((line) => line !== '')
}
