/**
 * Output the action did not write (the target's lines, tool output, a summary built from a stream) is shown
 * in the log with workflow commands switched off: a line starting with `::` in it is text, not `::error`,
 * `::add-mask` or `::stop-commands` to the runner. GitHub's documented mechanism: `::stop-commands::TOKEN`
 * stops processing commands until a line `::TOKEN::`; the token is random per block, so the echoed text
 * cannot guess it to end the block early
 * (https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands#stopping-and-starting-workflow-commands).
 */
import * as core from '@actions/core'
import { randomBytes } from 'node:crypto'

/** Echoes `write`'s core.info lines inside one stop-commands block. */
export function withCommandsStopped(write: () => void): void {
  const token = randomBytes(16).toString('hex')
  core.info(`::stop-commands::${token}`)
  try {
    write()
  } finally {
    core.info(`::${token}::`)
  }
}

/** Echoes text from outside the action (any number of lines) with workflow commands off. */
export function echoForeign(text: string): void {
  if (text === '') return
  withCommandsStopped(() => core.info(text))
}
