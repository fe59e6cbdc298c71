/**
 * The post step (dist/post/index.js, driven as a runner drives it) stops only the run its main step started:
 * a pid that now names another process group is left alone.
 */
import { spawn, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
// @ts-expect-error -- plain JavaScript helper shared with npm run demo
import { ROOT, runnerEnv } from '../../scripts/lib/run-action.mjs'

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

/** Runs the post step with the state a main step left: the run directory and the pid it recorded. */
function post(runDir: string, pid: number): { code: number | null; stdout: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'refstack-post-'))
  const { env } = runnerEnv(
    dir,
    { guideline: '2020.06', program: 'object', 'tempest-conf': '/etc/tempest.conf' },
    { PATH: process.env.PATH },
    { 'STATE_run-dir': runDir, 'STATE_run-pid': String(pid) }
  )
  const result = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'post', 'index.js')], {
    env,
    encoding: 'utf8'
  })
  return { code: result.status, stdout: result.stdout }
}

function runDir(): string {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'refstack-run-')), 'runs', 'r1')
  mkdirSync(dir, { recursive: true })
  return dir
}

async function waitForPidFile(dir: string): Promise<void> {
  for (let i = 0; i < 100 && spawnSync('test', ['-s', path.join(dir, 'pid')]).status !== 0; i++)
    await new Promise((resolve) => setTimeout(resolve, 50))
}

describe('the post step', () => {
  it('leaves alone a process whose pid the run recorded, once the run wrote its exit status', async () => {
    const dir = runDir()
    const other = startGroup(['sleep', '300'])
    writeFileSync(path.join(dir, 'pid'), `${other}\n`)
    writeFileSync(path.join(dir, 'exit-status'), '0\n')
    const result = post(dir, other)
    expect(result.code).toBe(0)
    expect(running(other), result.stdout).toBe(true)
  })

  it('leaves alone a reused pid: the run died without an exit status and another process got its pid', async () => {
    const dir = runDir()
    const other = startGroup(['sleep', '300'])
    writeFileSync(path.join(dir, 'pid'), `${other}\n`)
    const result = post(dir, other)
    expect(result.code).toBe(0)
    expect(running(other), result.stdout).toBe(true)
    expect(result.stdout).toContain('left alone')
  })

  it('leaves alone a pid its run directory does not name', async () => {
    const dir = runDir()
    startGroup(['sh', '-c', 'echo $$ > "$0/pid"; exec sleep 300', dir])
    await waitForPidFile(dir)
    const other = startGroup(['sleep', '300'])
    const result = post(dir, other)
    expect(running(other), result.stdout).toBe(true)
  })

  it('stops its own run: the leader names the run directory, which names its pid', async () => {
    const dir = runDir()
    // The shape startDetached gives a run: a session leader `sh -c … DIR …` that wrote DIR/pid.
    const own = startGroup([
      'sh',
      '-c',
      'echo $$ > "$0/pid.tmp" && mv "$0/pid.tmp" "$0/pid"; sleep 300; echo $? > "$0/exit-status"',
      dir
    ])
    await waitForPidFile(dir)
    const result = post(dir, own)
    expect(result.stdout).toContain('Stopped the Tempest run')
    expect(running(own)).toBe(false)
  })
})
