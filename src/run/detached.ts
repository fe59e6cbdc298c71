/**
 * A long command run detached on the target: its own session (setsid), a pid file, a log and an
 * exit-status file in a run directory. A dropped connection neither kills nor loses it: the action
 * follows the log by offset and can reattach from any new connection, and the post step can stop it.
 * Needs only a POSIX shell on the target.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import type { Target } from '../target/target.js'

export interface DetachedRun {
  /** Directory on the target holding pid, output.log and exit-status. */
  dir: string
  /** Process group id of the run (its session leader's pid). */
  pid: number
}

export type RunState = { state: 'running' } | { state: 'exited'; code: number } | { state: 'vanished' }

// $0 = run dir, "$@" = the command. The exit status is written atomically after the log is complete. A command
// started in the background of a shell ignores SIGINT, and so would everything it starts: the command gets
// SIGINT's default back (env --default-signal, coreutils 8.31+), so a stop with SIGINT lets stestr end its run
// and write its stream; the leader keeps ignoring it and writes the exit status.
const LEADER = [
  'echo $$ > "$0/pid.tmp" && mv "$0/pid.tmp" "$0/pid"',
  'if env --default-signal=INT true 2>/dev/null; then env --default-signal=INT "$@"; else "$@"; fi > "$0/output.log" 2>&1 < /dev/null',
  'echo $? > "$0/exit-status.tmp"',
  'mv "$0/exit-status.tmp" "$0/exit-status"'
].join('; ')

const START = `mkdir -p "$1" && d=$1 && shift && setsid sh -c '${LEADER}' "$d" "$@" > /dev/null 2>&1 < /dev/null &`

/** Starts argv detached in dir (created if needed) and waits for its pid file. */
export async function startDetached(
  target: Target,
  dir: string,
  argv: readonly string[]
): Promise<DetachedRun> {
  const started = await target.exec(['sh', '-c', START, 'sh', dir, ...argv])
  if (started.code !== 0) {
    throw new Error(
      `Cannot start '${argv[0]}' on ${target.description}: ${started.stderr.trim() || `exit ${started.code}`}`
    )
  }
  for (let attempt = 0; attempt < 100; attempt++) {
    const pid = await target.exec(['cat', `${dir}/pid`])
    if (pid.code === 0 && /^\d+\s*$/.test(pid.stdout)) return { dir, pid: Number(pid.stdout.trim()) }
    await sleep(100)
  }
  throw new Error(`'${argv[0]}' did not start on ${target.description} (no pid file in ${dir} after 10 s)`)
}

// $1 = run dir, $2 = log offset + 1. First line: the state; then the log from the offset on.
const POLL = [
  'if [ -f "$1/exit-status" ]; then echo "exited $(cat "$1/exit-status")"',
  'elif kill -0 "$(cat "$1/pid" 2>/dev/null)" 2>/dev/null; then echo running',
  'else echo vanished; fi',
  'tail -c +"$2" "$1/output.log" 2>/dev/null; true'
].join('; ')

export interface Poll {
  state: RunState
  /** Log bytes from the requested offset on. */
  output: Buffer
}

/** One look at a detached run: its state and the log written since `offset` bytes. */
export async function pollDetached(target: Target, run: DetachedRun, offset: number): Promise<Poll> {
  // Raw bytes, not the decoded text: the offset counts bytes, and a character may be cut at the boundary.
  const chunks: Buffer[] = []
  await target.exec(['sh', '-c', POLL, 'sh', run.dir, String(offset + 1)], {
    onStdout: (chunk) => chunks.push(chunk)
  })
  const raw = Buffer.concat(chunks)
  const newline = raw.indexOf(0x0a)
  const head = raw.subarray(0, newline).toString('utf8')
  const output = raw.subarray(newline + 1)
  const exited = /^exited (\d+)/.exec(head)
  const state: RunState = exited
    ? { state: 'exited', code: Number(exited[1]) }
    : head === 'running'
      ? { state: 'running' }
      : { state: 'vanished' }
  return { state, output }
}

/** Sends a signal to a process group through the target's POSIX shell (`kill -SIG -PGID`, dash's form). */
async function signalGroup(
  target: Target,
  pgid: number,
  signal: '0' | 'INT' | 'TERM' | 'KILL' | 'CONT'
): Promise<boolean> {
  const result = await target.exec(['sh', '-c', `kill -${signal} -"$1" 2>/dev/null`, 'sh', String(pgid)])
  return result.code === 0
}

// $1 = run dir, $2 = pid. The run's own leader only: the run dir names that pid and has no exit status yet, and
// the process's arguments hold the run dir (START passes it as the leader's $0), so a pid the system gave
// to another process after the run ended is never signalled. /proc where there is one, else POSIX ps.
const OWNS = [
  '[ "$(cat "$1/pid" 2>/dev/null)" = "$2" ] && [ ! -f "$1/exit-status" ] || exit 1',
  'if [ -r "/proc/$2/cmdline" ]; then tr \'\\000\' \'\\n\' < "/proc/$2/cmdline" | grep -qxF -- "$1"',
  'else ps -o args= -p "$2" 2>/dev/null | grep -qF -- "$1"; fi'
].join('\n')

/** Whether run.pid is still the leader of the run in run.dir (not a pid reused by another process). */
async function ownsPid(target: Target, run: DetachedRun): Promise<boolean> {
  const result = await target.exec(['sh', '-c', OWNS, 'sh', run.dir, String(run.pid)])
  return result.code === 0
}

/**
 * Ends the run's whole process group: INT (stestr then ends its run as an interrupted one, its stream written),
 * TERM after graceMs, KILL after graceMs more; returns once the group is gone (or KILLed). Returns true if it
 * was running; false, signalling nothing, when it had ended or its pid is no longer its leader (see ownsPid).
 */
export async function stopDetached(target: Target, run: DetachedRun, graceMs = 5000): Promise<boolean> {
  if (!(await ownsPid(target, run))) return false
  for (const signal of ['INT', 'TERM'] as const) {
    await signalGroup(target, run.pid, signal)
    // A stopped process (SIGSTOP, a debugger) handles the signal only once it runs.
    await signalGroup(target, run.pid, 'CONT')
    const deadline = Date.now() + graceMs
    while (Date.now() < deadline) {
      if (!(await signalGroup(target, run.pid, '0'))) return true
      await sleep(250)
    }
  }
  await signalGroup(target, run.pid, 'KILL')
  for (let attempt = 0; attempt < 20 && (await signalGroup(target, run.pid, '0')); attempt++) await sleep(250)
  return true
}
