/**
 * Waiting on events, never on the clock: a test polls for what it can observe (a pid file written, a process
 * seen or gone, a line printed) and goes on the moment it holds. The only bound is one a hang reaches.
 */
import { spawnSync } from 'node:child_process'
import { vi } from 'vitest'

/** The bound of every wait: far beyond any normal run, below the unit project's 60 s test timeout. */
export const HANG_BOUND_MS = 30_000

/**
 * Resolves once `check` holds (a `false` or a throw means not yet); after HANG_BOUND_MS, rejects naming
 * `what` and the last reason.
 */
export async function waitUntil(what: string, check: () => boolean | Promise<boolean>): Promise<void> {
  try {
    await vi.waitFor(
      async () => {
        if (!(await check())) throw new Error('still false')
      },
      { timeout: HANG_BOUND_MS, interval: 50 }
    )
  } catch (error) {
    throw new Error(`Waited ${HANG_BOUND_MS / 1000} s for ${what} (${(error as Error).message})`, {
      cause: error
    })
  }
}

/** Whether any process has `pattern` in its command line (pgrep -f; it never matches itself). */
export function processRunning(pattern: string): boolean {
  const { status, stderr } = spawnSync('pgrep', ['-f', pattern], { encoding: 'utf8' })
  if (status !== 0 && status !== 1) throw new Error(`pgrep -f ${pattern} failed (${status}): ${stderr}`)
  return status === 0
}
