/**
 * The Tempest run through refstack-client: detached on the target, followed by its log (progress, ETA),
 * stopped at the timeout, and its results copied back to the runner whatever happened.
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

export interface RunRequest {
  toolchain: Toolchain
  tempestConf: string
  /** Lines of the test list, as the RefStack server serves it. */
  testList: string[]
  workdir: string
  /** Tempest workers (refstack-client -p with that concurrency); undefined: serial. */
  workers?: number
  timeoutMinutes: number
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

function runId(): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '')
  return `${stamp}-${Math.random().toString(16).slice(2, 8)}`
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

async function readNextStream(target: Target, tempestDir: string): Promise<number> {
  const result = await target.exec(['cat', `${tempestDir}/.stestr/next-stream`])
  return result.code === 0 && /^\d+\s*$/.test(result.stdout) ? Number(result.stdout.trim()) : 0
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

/**
 * A new run directory under the workdir, claimed: waits until no other refstack-action run uses the target's
 * Tempest workspace (runs with other workdirs included: they share `.stestr/`), then holds it until this run
 * ends. The claim holds before the run starts too (for the test-account clean-up).
 */
export async function claimRunDir(
  target: Target,
  request: Pick<RunRequest, 'workdir' | 'toolchain' | 'timeoutMinutes'>
): Promise<string> {
  const dir = `${request.workdir}/runs/${runId()}`
  const workspace = request.toolchain.tempestDir
  const deadline = Date.now() + request.timeoutMinutes * 60_000
  // claim-workspace.sh, read from the bundle (ncc copies the file next to it).
  const script = readFileSync(new URL('./claim-workspace.sh', import.meta.url), 'utf8')
  let told = 0
  for (;;) {
    const result = await target.exec(['sh', '-c', script, 'sh', workspace, dir])
    const answer = result.stdout.trim()
    if (answer === 'claimed') return dir
    if (!answer.startsWith('busy ')) {
      throw new Error(
        `Cannot claim the Tempest workspace ${workspace} on ${target.description}: ${result.stderr.trim() || answer}`
      )
    }
    if (Date.now() >= deadline) {
      throw new ActionError(
        `Another refstack-action run (${answer.slice(5)}) was still using the Tempest workspace ${workspace} on ${target.description} at timeout-minutes`,
        `Runs on one target go one at a time (they share refstack-client's Tempest workspace): serialise the jobs with a 'concurrency' group, or give this one a longer 'timeout-minutes'`
      )
    }
    if (Date.now() - told > 60_000) {
      told = Date.now()
      core.info(
        `Another refstack-action run is using the Tempest workspace on ${target.description} (${answer.slice(5)}); waiting for it to end`
      )
    }
    // The last attempt is made at the deadline itself.
    await sleep(Math.min(10_000, Math.max(0, deadline - Date.now())))
  }
}

/** Gives up a claim whose run never started (claim-workspace.sh takes over a run directory with an exit status). */
export async function releaseRunDir(target: Target, dir: string): Promise<void> {
  await target.writeFile(`${dir}/exit-status`, 'released before the run started\n', 0o644)
}

/** Runs the list through refstack-client in `claimed` (a directory from claimRunDir), or in a new claimed one. */
export async function runRefstack(
  target: Target,
  request: RunRequest,
  claimed?: string
): Promise<RunOutcome> {
  const dir = claimed ?? (await claimRunDir(target, request))
  const listFile = `${dir}/test-list.txt`
  await target.writeFile(listFile, request.testList.join('\n'), 0o644)
  const streamNumber = await readNextStream(target, request.toolchain.tempestDir)
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
  const deadline = started + request.timeoutMinutes * 60_000
  const { exitCode, timedOut, cancelled } = await follow(
    target,
    run,
    progress,
    deadline,
    request.pollIntervalMs ?? 2000
  )
  core.saveState(State.RunFinished, 'true')
  const durationSeconds = Math.round((Date.now() - started) / 1000)
  core.info(
    `[refstack-action] ${progress.summary(Date.now() - started)} in ${formatDuration(durationSeconds)}`
  )

  // Results are copied back whatever happened: a failed or stopped run still reports what finished.
  await fs.mkdir(request.outputDir, { recursive: true })
  const remoteStream = progress.streamPath ?? `${request.toolchain.tempestDir}/.stestr/${streamNumber}`
  const remoteJson = progress.jsonPath ?? `${request.toolchain.tempestDir}/.stestr/${streamNumber}.json`
  const name = request.outputName ?? 'tempest'
  const logFile = path.join(request.outputDir, `${name === 'tempest' ? 'refstack-client' : name}.log`)
  await copyBack(target, `${dir}/output.log`, logFile, true)
  return {
    exitCode,
    timedOut,
    cancelled,
    streamFile: await copyBack(target, remoteStream, path.join(request.outputDir, `${name}.subunit`)),
    jsonFile: await copyBack(
      target,
      remoteJson,
      path.join(request.outputDir, `${name}-refstack-client.json`)
    ),
    logFile,
    tempestLogFile:
      request.tempestLog && name === 'tempest'
        ? await copyBack(target, request.tempestLog, path.join(request.outputDir, 'tempest.log'), true)
        : undefined,
    notInTempest: progress.notInTempest,
    durationSeconds
  }
}
