/**
 * The Tempest run through refstack-client: detached on the target, followed by its log (progress, ETA),
 * stopped at the run's deadline, and its results copied back to the runner whatever happened, each stream
 * proven to be this run's (written after it started, only ids of its list).
 */
import * as core from '@actions/core'
import { promises as fs, readFileSync } from 'node:fs'
import * as path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { State } from '../constants.js'
import { ActionError } from '../errors.js'
import { withCommandsStopped } from '../log/foreign.js'
import { redactFile } from '../secrets.js'
import type { Target } from '../target/target.js'
import { type DetachedRun, type Poll, pollDetached, startDetached, stopDetached } from './detached.js'
import type { Toolchain } from '../toolchain/provision.js'
import { withWorkers } from './workers.js'
import type { Claim } from './claim.js'
import { readSubunitFile } from '../results/subunit.js'
import { baseName, parseFixture } from '../results/test-id.js'

export interface RunRequest {
  toolchain: Toolchain
  tempestConf: string
  /** Lines of the test list, as the RefStack server serves it. */
  testList: string[]
  workdir: string
  /** Tempest workers (refstack-client -p with that concurrency); undefined: serial. */
  workers?: number
  /** Directory on the runner for the copied results. */
  outputDir: string
  /** Tempest's own log on the target (tempest.conf log_dir/log_file), copied back when present. */
  tempestLog?: string
  pollIntervalMs?: number
  /** Base name of the copied result files (default "tempest"; reruns use "rerun-N"). */
  outputName?: string
}

export interface RunOutcome {
  /** refstack-client's exit status; undefined when it was stopped or vanished. */
  exitCode?: number
  timedOut: boolean
  /** The job was cancelled while the run went on; it was stopped. */
  cancelled: boolean
  /**
   * The stream is stestr's temporary one: the run was stopped (or died) before stestr completed it. What
   * finished is in it; the run is never compliant.
   */
  partial: boolean
  /** The subunit stream copied to the runner, when the run produced one. */
  streamFile?: string
  /** refstack-client's JSON results (passes only), when produced. */
  jsonFile?: string
  /** refstack-client's and Tempest's combined output, copied to the runner. */
  logFile: string
  tempestLogFile?: string
  /** Names refstack-client dropped because the installed Tempest lacks them. */
  notInTempest: string[]
  durationSeconds: number
}

/** Progress of a run, read from its output. Pure: fed line by line. */
export class Progress {
  total?: number
  done = 0
  passed = 0
  failed = 0
  skipped = 0
  streamPath?: string
  jsonPath?: string
  notInTempest: string[] = []

  /** Returns true when the line reports a finished test. */
  feed(line: string): boolean {
    const test = /^\{\d+\}\s+\S+.*\.\.\.\s+(ok|FAILED|SKIPPED)/.exec(line)
    if (test) {
      this.done++
      if (test[1] === 'ok') this.passed++
      else if (test[1] === 'FAILED') this.failed++
      else this.skipped++
      return true
    }
    let match: RegExpExecArray | null
    if ((match = /list_parser:\d+ DEBUG Number of tests: (\d+)/.exec(line))) this.total = Number(match[1])
    else if ((match = /Test (\S+) not found in Tempest list\./.exec(line))) this.notInTempest.push(match[1])
    else if ((match = /Subunit results located in: (\S+)/.exec(line))) this.streamPath = match[1]
    else if ((match = /JSON results saved in: (\S+)/.exec(line))) this.jsonPath = match[1]
    return false
  }

  summary(elapsedMs: number): string {
    const of = this.total === undefined ? `${this.done}` : `${this.done}/${this.total}`
    let eta = ''
    if (this.total !== undefined && this.done > 0 && this.done < this.total) {
      const remaining = ((elapsedMs / this.done) * (this.total - this.done)) / 1000
      eta = `, about ${formatDuration(remaining)} left`
    }
    return `${of} tests: ${this.passed} passed, ${this.failed} failed, ${this.skipped} skipped${eta}`
  }
}

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds))
  if (s < 60) return `${s}s`
  const m = Math.floor(s / 60)
  return m < 60 ? `${m}m ${s % 60}s` : `${Math.floor(m / 60)}h ${m % 60}m`
}

export function refstackCommand(request: RunRequest, listFile: string): string[] {
  return [
    request.toolchain.refstackClient,
    'test',
    '-c',
    request.tempestConf,
    '--test-list',
    listFile,
    '-v',
    ...(request.workers !== undefined ? ['-p'] : [])
  ]
}

/** Follows a detached run until it ends, streaming its output; stops it at the deadline. */
async function follow(
  target: Target,
  run: DetachedRun,
  progress: Progress,
  deadline: number,
  pollIntervalMs: number
): Promise<{ exitCode?: number; timedOut: boolean; cancelled: boolean }> {
  const started = Date.now()
  let offset = 0
  // Undecoded bytes after the last newline: a poll may end inside a line, even inside a character.
  let pending = Buffer.alloc(0)
  let lastReport = 0
  const emit = (bytes: Buffer, final: boolean): void => {
    pending = Buffer.concat([pending, bytes])
    const end = final ? pending.length : pending.lastIndexOf(0x0a) + 1
    const complete = pending.subarray(0, end).toString('utf8')
    pending = pending.subarray(end)
    const lines = complete.split('\n').filter((line) => line !== '')
    if (lines.length === 0) return
    // The target's lines are text, never workflow commands to the runner.
    withCommandsStopped(() => {
      for (const line of lines) {
        core.info(line)
        if (progress.feed(line) && Date.now() - lastReport > 30_000) {
          lastReport = Date.now()
          core.info(`[refstack-action] ${progress.summary(Date.now() - started)}`)
        }
      }
    })
  }
  // The runner sends SIGINT (then SIGTERM) when the job is cancelled: stop the remote run instead of dying.
  const cancel = new AbortController()
  const onSignal = (): void => cancel.abort()
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  try {
    for (;;) {
      const poll = await pollSurvivingDrops(target, run, offset)
      offset += poll.output.length
      emit(poll.output, poll.state.state !== 'running')
      if (poll.state.state === 'exited')
        return { exitCode: poll.state.code, timedOut: false, cancelled: false }
      if (poll.state.state === 'vanished') {
        core.warning(
          `The Tempest run on ${target.description} ended without an exit status (killed, or the host restarted)`
        )
        return { timedOut: false, cancelled: false }
      }
      const timedOut = Date.now() >= deadline
      if (timedOut || cancel.signal.aborted) {
        core.warning(
          timedOut
            ? 'The Tempest run reached timeout-minutes; stopping it and reporting what finished'
            : 'The job is being cancelled; stopping the Tempest run and reporting what finished'
        )
        await stopDetached(target, run, 4000)
        const last = await pollSurvivingDrops(target, run, offset)
        emit(last.output, true)
        return { timedOut, cancelled: !timedOut }
      }
      await sleep(pollIntervalMs, undefined, { signal: cancel.signal }).catch(() => undefined)
    }
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}

/** Backoff between reconnection attempts: 1 s, 2 s, 4 s … at most 30 s, for up to 10 minutes in all. */
const RECONNECT_DELAYS_MS = Array.from({ length: 23 }, (_, attempt) => Math.min(2 ** attempt, 30) * 1000)

/** One poll; when the connection drops, reconnect with backoff and reattach to the same run. */
async function pollSurvivingDrops(target: Target, run: DetachedRun, offset: number): Promise<Poll> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await pollDetached(target, run, offset)
    } catch (error) {
      if (!target.reconnect || attempt >= RECONNECT_DELAYS_MS.length) throw error
      const delay = RECONNECT_DELAYS_MS[attempt]
      core.warning(
        `Lost the connection to ${target.description} (${(error as Error).message}); the run goes on there. Reconnecting in ${delay / 1000}s`
      )
      await sleep(delay)
      try {
        await target.reconnect()
        core.info(`Reconnected to ${target.description}; following the run from byte ${offset} of its log`)
      } catch (reconnectError) {
        core.debug(`reconnect failed: ${(reconnectError as Error).message}`)
      }
    }
  }
}

/**
 * The number of the stream this run will write, from stestr's next-stream. Pure on the probe's answer: a
 * damaged next-stream, one naming a stream that exists, or streams without a next-stream are errors (the
 * action would read an old run's results as this run's).
 */
export function nextStream(answer: string, workspace: string): number {
  const file = `${workspace}/.stestr/next-stream`
  const lines = answer.trim().split('\n')
  if (lines[0] === 'fresh') return 0
  const missing = /^missing ?(\d*)$/.exec(lines[0])
  if (missing) {
    if (missing[1] === '') return 0
    throw new ActionError(
      `${file} does not exist on the target although ${workspace}/.stestr holds stream ${missing[1]}: this run's stream cannot be told from an old one`,
      `Repair the Tempest workspace's stestr repository (write the next free stream number to next-stream), or remove ${workspace}/.stestr`
    )
  }
  const next = /^next ?(.*)$/.exec(lines[0])
  if (!next || !/^\d+$/.test(next[1])) {
    throw new ActionError(
      `${file} is damaged: it holds ${JSON.stringify(next?.[1] ?? lines[0])}, not a stream number`,
      `Repair the Tempest workspace's stestr repository (write the next free stream number to next-stream), or remove ${workspace}/.stestr`
    )
  }
  if (lines[1] === 'exists') {
    throw new ActionError(
      `${file} is stale: it names stream ${next[1]}, which ${workspace}/.stestr already holds from an earlier run`,
      `Repair the Tempest workspace's stestr repository (write the next free stream number to next-stream), or remove ${workspace}/.stestr`
    )
  }
  return Number(next[1])
}

async function readNextStream(target: Target, workspace: string): Promise<number> {
  const script = readFileSync(new URL('./next-stream.sh', import.meta.url), 'utf8')
  const result = await target.exec(['sh', '-c', script, 'sh', workspace])
  if (result.code !== 0) {
    throw new Error(`Cannot read ${workspace}/.stestr on ${target.description}: ${result.stderr.trim()}`)
  }
  return nextStream(result.stdout, workspace)
}

/**
 * Which ids of a stream do not belong to a run of `list`: tests whose name is not in it, fixtures of classes or
 * modules none of its tests are in. Pure.
 */
export function foreignIds(ids: Iterable<string>, list: readonly string[]): string[] {
  const names = new Set(list.map((line) => baseName(line.trim())).filter((line) => line !== ''))
  const foreign: string[] = []
  for (const id of ids) {
    if (id === 'subunit.parser') continue
    const fixture = parseFixture(id)
    if (fixture) {
      const prefix = `${fixture.target}.`
      if (![...names].some((name) => name.startsWith(prefix))) foreign.push(id)
    } else if (!names.has(baseName(id))) foreign.push(id)
  }
  return foreign
}

/** Copies a result file back; a log gets every registered secret redacted: the tools' output was never masked. */
async function copyBack(
  target: Target,
  remote: string,
  local: string,
  log = false
): Promise<string | undefined> {
  try {
    await target.download(remote, local)
  } catch (error) {
    core.debug(`could not copy ${remote}: ${(error as Error).message}`)
    return undefined
  }
  if (log) await redactFile(local)
  return local
}

/** Runs the list through refstack-client as one attempt of a claimed run (in <claim dir>/<outputName>). */
export async function runRefstack(target: Target, request: RunRequest, claim: Claim): Promise<RunOutcome> {
  const name = request.outputName ?? 'tempest'
  const dir = `${claim.dir}/${name}`
  const workspace = request.toolchain.tempestDir
  const listFile = `${dir}/test-list.txt`
  await target.writeFile(listFile, request.testList.join('\n'), 0o644)
  const streamNumber = await readNextStream(target, workspace)
  let argv = refstackCommand(request, listFile)
  if (request.workers !== undefined) {
    argv = await withWorkers(target, request.workdir, request.workers, argv)
    core.info(`Tempest runs with ${request.workers} workers`)
  }
  core.info(`Running on ${target.description}: ${argv.join(' ')}`)
  const started = Date.now()
  const run = await startDetached(target, dir, argv)
  core.saveState(State.RunDir, run.dir)
  core.saveState(State.RunPid, String(run.pid))

  const progress = new Progress()
  const { exitCode, timedOut, cancelled } = await follow(
    target,
    run,
    progress,
    claim.deadline,
    request.pollIntervalMs ?? 2000
  )
  const durationSeconds = Math.round((Date.now() - started) / 1000)
  core.info(
    `[refstack-action] ${progress.summary(Date.now() - started)} in ${formatDuration(durationSeconds)}`
  )

  // Results are copied back whatever happened: a failed or stopped run still reports what finished.
  await fs.mkdir(request.outputDir, { recursive: true })
  const named = progress.streamPath ?? `${workspace}/.stestr/${streamNumber}`
  const logFile = path.join(request.outputDir, `${name === 'tempest' ? 'refstack-client' : name}.log`)
  await copyBack(target, `${dir}/output.log`, logFile, true)
  const script = readFileSync(new URL('./find-stream.sh', import.meta.url), 'utf8')
  const found = await target.exec(['sh', '-c', script, 'sh', named, workspace, listFile])
  const [kind, remoteStream] = found.stdout.trim().split(/ (.*)/s)
  if (kind === 'old') {
    throw new ActionError(
      `The stream refstack-client names for this run on ${target.description}, ${remoteStream}, was written before the run started: it is an earlier run's`,
      `Check ${workspace}/.stestr (its next-stream) and whether something else runs Tempest in that workspace`
    )
  }
  const partial = kind === 'partial'
  if (partial)
    core.warning(
      `The run ended before stestr completed its stream: reading what finished from ${remoteStream}`
    )
  const streamFile = remoteStream
    ? await copyBack(target, remoteStream, path.join(request.outputDir, `${name}.subunit`))
    : undefined
  if (streamFile) await proveStream(streamFile, request.testList, remoteStream)
  return {
    exitCode,
    timedOut,
    cancelled,
    partial,
    streamFile,
    jsonFile:
      kind === 'stream'
        ? await copyBack(
            target,
            progress.jsonPath ?? `${workspace}/.stestr/${streamNumber}.json`,
            path.join(request.outputDir, `${name}-refstack-client.json`)
          )
        : undefined,
    logFile,
    tempestLogFile:
      request.tempestLog && name === 'tempest'
        ? await copyBack(target, request.tempestLog, path.join(request.outputDir, 'tempest.log'), true)
        : undefined,
    notInTempest: progress.notInTempest,
    durationSeconds
  }
}

/** A stream's test ids must all belong to the run's list; else it is another run's (an ActionError naming them). */
async function proveStream(file: string, testList: readonly string[], remote: string): Promise<void> {
  const read = await readSubunitFile(file)
  const foreign = foreignIds(
    read.tests.map((t) => t.id),
    testList
  )
  if (foreign.length > 0) {
    throw new ActionError(
      `The stream ${remote} holds ${foreign.length} test ids that are not in this run's test list (${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', …' : ''}): it is another run's`,
      `Check that nothing else runs Tempest in this Tempest workspace while refstack-action runs`
    )
  }
}
