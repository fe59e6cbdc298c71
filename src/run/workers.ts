/**
 * How many Tempest workers a run uses, and how refstack-client is made to use them.
 *
 * `refstack-client test -p` runs `tempest run` without `--concurrency`, so stestr starts one worker per CPU of
 * the target. A Tempest API run is mostly waiting on the cloud (servers to build, volumes to attach, Debian's
 * Tempest sleeps 10 s before each subnet delete), so workers beyond the CPU count pay off. The limit is the
 * pre-provisioned accounts: Tempest's pre-provisioned credentials never wait for a free account, a test class
 * that finds none fails with "Insufficient number of users provided", and a class may hold a primary, an alt
 * and an object-storage ResellerAdmin account at once.
 */
import { readFileSync } from 'node:fs'

/** The `parallel` input: false (serial), true (workers from the accounts) or a worker count. */
export type Parallel = boolean | number

/** Highest worker count `parallel: true` picks, however many accounts there are. */
export const MAX_AUTO_WORKERS = 6
/** Accounts one worker may hold at once: primary, alt, ResellerAdmin. */
export const ACCOUNTS_PER_WORKER = 3
export const MAX_WORKERS = 64

/** Parses the `parallel` input's text; undefined when it is neither a boolean nor a count from 1 to MAX_WORKERS. */
export function parseParallel(text: string): Parallel | undefined {
  const value = text.trim().toLowerCase()
  if (value === 'true') return true
  if (value === 'false') return false
  if (!/^\d+$/.test(value)) return undefined
  const count = Number(value)
  return count >= 1 && count <= MAX_WORKERS ? count : undefined
}

/**
 * The worker count of a run: undefined for a serial run; N for `parallel: N`; for `parallel: true`, one worker
 * per ACCOUNTS_PER_WORKER accounts of the accounts file, from 2 to MAX_AUTO_WORKERS (2 without an accounts file).
 */
export function workerCount(parallel: Parallel, accounts: number): number | undefined {
  if (parallel === false) return undefined
  if (parallel !== true) return parallel
  return Math.min(MAX_AUTO_WORKERS, Math.max(2, Math.floor(accounts / ACCOUNTS_PER_WORKER)))
}

/**
 * A `tempest` found first in PATH by refstack-client (it runs `tempest run` by name): tempest-shim.sh drops its
 * own directory from PATH and runs the real `tempest`, adding `--concurrency $TEMPEST_CONCURRENCY` to
 * `tempest run`. Read from the bundle (ncc copies the file next to it).
 */
export function tempestShim(): string {
  return readFileSync(new URL('./tempest-shim.sh', import.meta.url), 'utf8')
}

/** The directory on the target holding the shim, under the action's workdir. */
export function shimDir(workdir: string): string {
  return `${workdir.replace(/\/+$/, '')}/tempest-workers`
}

/**
 * argv running `command` with the shim's directory first in PATH and the worker count in TEMPEST_CONCURRENCY
 * (as arguments: no value is ever put inside the shell text).
 */
export function withWorkers(command: readonly string[], workers: number, dir: string): string[] {
  return ['env', `TEMPEST_CONCURRENCY=${workers}`, 'sh', '-c', 'PATH="$0:$PATH" exec "$@"', dir, ...command]
}
