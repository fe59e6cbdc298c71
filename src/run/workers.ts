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
import type { Target } from '../target/target.js'

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
 * argv running `command` with `workers` Tempest workers: a `tempest` shim, written to
 * <workdir>/tempest-workers/ on the target, comes first in PATH for refstack-client (it runs `tempest run` by
 * name); the shim (tempest-shim.sh, copied next to the bundle by ncc) drops its own directory from PATH and runs
 * the real `tempest`, adding `--concurrency $TEMPEST_CONCURRENCY` to `tempest run`. The directory and the
 * count are arguments: no value is ever put inside the shell text.
 */
export async function withWorkers(
  target: Target,
  workdir: string,
  workers: number,
  command: readonly string[]
): Promise<string[]> {
  const dir = `${workdir.replace(/\/+$/, '')}/tempest-workers`
  const shim = readFileSync(new URL('./tempest-shim.sh', import.meta.url), 'utf8')
  await target.writeFile(`${dir}/tempest`, shim, 0o755)
  return ['env', `TEMPEST_CONCURRENCY=${workers}`, 'sh', '-c', 'PATH="$0:$PATH" exec "$@"', dir, ...command]
}
