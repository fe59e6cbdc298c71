/**
 * Events in the action's log that the end-to-end tests act on instead of the clock: a signal, a cut
 * connection or a sample of the target's processes happens when the run has reached a known point.
 */

/** A Tempest result line as stestr prints it (`{0} tempest.api.….test_x [0.3s] ... ok`), echoed by the action. */
export const TEMPEST_RESULT = /\{\d+\} tempest\.\S+ (?:\[[\d.]+s\] )?\.\.\. (?:ok|FAILED|SKIPPED)/

/** True once the output holds the first Tempest result: the run is going on the target. */
export function tempestHasAResult(stdout: string): boolean {
  return TEMPEST_RESULT.test(stdout)
}

/** True once the output holds the action's closing line of the Tempest run (`… tests: … skipped in 27s`). */
export function tempestFinished(stdout: string): boolean {
  return /tests: \d+ passed, \d+ failed, \d+ skipped in \d/.test(stdout)
}

/**
 * An event that happens once: `when(stdout)` decides, `then()` runs at that moment (a sample, a cut). Its
 * `check` serves as runAction's `signalWhen` or `onStdout`; `seen` is the output up to the event (undefined:
 * it never came).
 */
export function onceWhen(
  when: (stdout: string) => boolean,
  then: () => void = () => undefined
): { check: (stdout: string) => boolean; seen: () => string | undefined } {
  let seen: string | undefined
  return {
    check: (stdout) => {
      if (seen !== undefined || !when(stdout)) return false
      seen = stdout
      then()
      return true
    },
    seen: () => seen
  }
}
