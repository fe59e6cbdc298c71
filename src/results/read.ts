/**
 * Step 4 glue: the run's (or the given) subunit stream, read here; every problem kept for the report. Each stream
 * is read once, streaming, keeping only what the verdict needs (see `readSubunit`): memory does not grow with
 * the stream.
 */
import * as core from '@actions/core'
import { existsSync } from 'node:fs'
import { Input } from '../constants.js'
import { ActionError } from '../errors.js'
import type { StreamRead } from './model.js'
import { readSubunitFile } from './subunit.js'

interface RunFacts {
  exitCode?: number
  timedOut: boolean
  cancelled?: boolean
  /** The stream is stestr's temporary one: the run ended before stestr completed it. */
  partial?: boolean
  logFile: string
  rerunStreams?: string[]
}

export interface ReadOptions {
  /**
   * Base names whose results are kept (the selection's names and aliases: `wantedNames`); fixture pseudo-tests
   * are always kept. Without it every result is kept.
   */
  wanted?: ReadonlySet<string>
}

export interface ReadOutcome {
  /** `read.tests`: the kept results; `read.distinct` / `read.testsRun`: counts of the whole stream. */
  read?: StreamRead
  /** The reruns' streams (rerun-failures), in order. */
  reruns: StreamRead[]
  /** Problems that keep the result from being complete; each makes the run non-compliant. */
  errors: string[]
}

export async function readResults(
  file: string | undefined,
  run?: RunFacts,
  options: ReadOptions = {}
): Promise<ReadOutcome> {
  const errors: string[] = []
  if (run?.cancelled)
    errors.push('The job was cancelled and the run stopped: tests it did not reach count as missing.')
  if (run?.timedOut)
    errors.push('The run was stopped at timeout-minutes: tests it did not reach count as missing.')
  if (run?.partial)
    errors.push(
      'The run ended before stestr completed its stream: the tests that finished are reported (partial results).'
    )
  if (file === undefined) {
    errors.push(
      `refstack-client produced no subunit stream (exit ${run?.exitCode ?? 'unknown'}); its output is in ${run?.logFile ?? 'the log'}`
    )
    return { errors, reruns: [] }
  }
  if (!run && !existsSync(file)) {
    throw new ActionError(
      `Input '${Input.ResultsFile}': ${file} does not exist on the runner`,
      `Give the path of a subunit stream (v1 or v2) written by an earlier step`
    )
  }
  const read = await readSubunitFile(file, options.wanted)
  core.info(`Read ${read.distinct} tests from ${file} (subunit ${read.format}, ${read.bytes} bytes)`)
  if (read.error) {
    errors.push(
      `The subunit stream ${file} is damaged at byte ${read.error.offset}: ${read.error.message}. The ${read.distinct} tests read before it are reported.`
    )
  }
  if (read.distinct === 0) errors.push(`No tests ran: ${file} holds no test results.`)
  const reruns: StreamRead[] = []
  for (const rerunFile of run?.rerunStreams ?? []) {
    const rerun = await readSubunitFile(rerunFile, options.wanted)
    core.info(`Read ${rerun.distinct} rerun tests from ${rerunFile}`)
    if (rerun.error)
      errors.push(
        `The rerun stream ${rerunFile} is damaged at byte ${rerun.error.offset}: ${rerun.error.message}.`
      )
    reruns.push(rerun)
  }
  return { read, reruns, errors }
}
