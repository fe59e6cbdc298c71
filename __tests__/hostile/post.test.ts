/**
 * The post step (dist/post/index.js, driven as a runner drives it) releases the run's claim: whatever attempt
 * of its own still runs is stopped, a pid that now names another process group is left alone.
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
// @ts-expect-error -- plain JavaScript helper shared with npm run demo
import { ROOT, runnerEnv } from '../../scripts/lib/run-action.mjs'
import { waitUntil } from '../helpers/wait-for.js'

const started: number[] = []
afterEach(() => {
  for (const pid of started.splice(0)) {
    try {
      process.kill(-pid, 'SIGKILL')
    } catch {
      // already gone
    }
  }
})

/**
 * Whether `pid` runs (a zombie does not: the processes are children of this test process, which reaps them
 * only when its event loop turns).
 */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z'
  } catch {
    return false
  }
}

/** A process group of its own (pid = pgid), running `argv`. */
function startGroup(argv: string[]): number {
  const child = spawn(argv[0], argv.slice(1), { detached: true, stdio: 'ignore' })
  child.unref()
  const pid = child.pid as number
  started.push(pid)
  return pid
}

/** Runs the post step with the state a main step left: the run's claim directory. */
function post(claimDir: string): { code: number | null; stdout: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'refstack-post-'))
  const { env } = runnerEnv(
    dir,
    { guideline: '2020.06', program: 'object', 'tempest-conf': '/etc/tempest.conf' },
    { PATH: process.env.PATH },
    { 'STATE_claim-dir': claimDir }
  )
  const result = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'post', 'index.js')], {
    env,
    encoding: 'utf8'
  })
  return { code: result.status, stdout: result.stdout }
}

const SRC = path.join(ROOT, 'src', 'run')

/** A claim as claimRun takes it (claim.sh, its keeper holding the lock); returns its directory. */
function claim(): { claimDir: string; lock: string } {
  const root = mkdtempSync(path.join(tmpdir(), 'refstack-run-'))
  const claimDir = path.join(root, 'runs', 'r1')
  const lock = path.join(root, '.refstack-action.lock')
  const answer = spawnSync(
    'sh',
    [
      '-c',
      readFileSync(path.join(SRC, 'claim.sh'), 'utf8'),
      'sh',
      lock,
      claimDir,
      'workdir',
      '600',
      readFileSync(path.join(SRC, 'keeper.sh'), 'utf8')
    ],
    { encoding: 'utf8' }
  )
  expect(answer.stdout.trim()).toBe('claimed')
  return { claimDir, lock }
}

/** An attempt as startDetached starts one: a session leader `sh -c … DIR …` that wrote DIR/pid. */
async function attempt(dir: string): Promise<number> {
  mkdirSync(dir, { recursive: true })
  const own = startGroup([
    'sh',
    '-c',
    'echo $$ > "$0/pid.tmp" && mv "$0/pid.tmp" "$0/pid"; sleep 300; echo $? > "$0/exit-status"',
    dir
  ])
  await waitUntil(`the attempt's pid file in ${dir}`, () => existsSync(path.join(dir, 'pid')))
  return own
}

describe('the post step', () => {
  it('does nothing without a claim (main never reached the target)', () => {
    const result = post('')
    expect(result.code).toBe(0)
    expect(result.stdout).not.toContain('Stopped')
  })

  it('stops a rerun still running and frees the claim, so the next run need not wait', async () => {
    const { claimDir } = claim()
    const rerun = await attempt(path.join(claimDir, 'rerun-1'))
    const result = post(claimDir)
    expect(result.code).toBe(0)
    expect(result.stdout).toContain(`Stopped what was left running on the runner: ${claimDir}/rerun-1`)
    expect(running(rerun)).toBe(false)
    expect(readFileSync(path.join(claimDir, 'busy-workdir'), 'utf8').trim()).toBe('0')
  })

  it("leaves alone a reused pid: an attempt's pid file names a process that is not its leader", async () => {
    const { claimDir } = claim()
    const other = startGroup(['sleep', '300'])
    mkdirSync(path.join(claimDir, 'tempest'))
    writeFileSync(path.join(claimDir, 'tempest', 'pid'), `${other}\n`)
    const result = post(claimDir)
    expect(result.code).toBe(0)
    expect(running(other), result.stdout).toBe(true)
    expect(result.stdout).toContain(`Nothing of this run is left running on the runner (${claimDir})`)
  })

  it('leaves alone a run that wrote its exit status, its pid since given to another process', async () => {
    const { claimDir } = claim()
    const other = startGroup(['sleep', '300'])
    mkdirSync(path.join(claimDir, 'tempest'))
    writeFileSync(path.join(claimDir, 'tempest', 'pid'), `${other}\n`)
    writeFileSync(path.join(claimDir, 'tempest', 'exit-status'), '0\n')
    const result = post(claimDir)
    expect(running(other), result.stdout).toBe(true)
  })
})
