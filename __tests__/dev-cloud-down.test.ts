/**
 * scripts/dev-cloud/down.sh stops what the dev cloud scripts started, by pidfile, and only a process whose
 * command line or environment names the state dir (compute-up.sh marks its daemons with
 * REFSTACK_DEV_CLOUD=<state>/: epmd and RabbitMQ have no path in their arguments). Exercised on a scratch state
 * dir with processes this test starts.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { pidAlive } from './helpers/process.js'

const ROOT = path.resolve(import.meta.dirname, '..')
const root = process.getuid?.() === 0
const skip = root ? '' : 'down.sh runs as root only'
if (skip && process.env.CI === 'true') throw new Error(`Cannot run under CI=true: ${skip}`)

describe.skipIf(!root)(`down.sh${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const state = mkdtempSync(path.join(tmpdir(), 'dev-cloud-down-'))
  const started: number[] = []
  // Through a shell that exits at once: the sleep is re-parented, so a stopped one is reaped and really gone
  // (a direct child would linger as a zombie, which kill -0 still finds).
  const sleeper = (env: Record<string, string>): number => {
    const pid = Number(
      execFileSync('sh', ['-c', 'sleep 300 > /dev/null 2>&1 & echo $!'], {
        env: { PATH: process.env.PATH ?? '', ...env },
        encoding: 'utf8'
      })
    )
    started.push(pid)
    return pid
  }
  afterAll(() => {
    for (const pid of started) if (pidAlive(pid)) process.kill(pid, 'SIGKILL')
    rmSync(state, { recursive: true, force: true })
  })

  it('stops the marked compute daemons and leaves a pid that is not the cloud’s alone', () => {
    mkdirSync(path.join(state, 'run'))
    writeFileSync(path.join(state, 'env'), 'STATE_DIR=x\n')
    const marked = { REFSTACK_DEV_CLOUD: `${state}/` }
    const pids = { epmd: sleeper(marked), 'nova-api': sleeper(marked), rabbitmq: sleeper(marked) }
    // A reused pid: alive, but neither its arguments nor its environment name the state dir.
    const stranger = sleeper({})
    for (const [name, pid] of Object.entries(pids))
      writeFileSync(path.join(state, 'run', `${name}.pid`), `${pid}\n`)
    writeFileSync(path.join(state, 'run', 'keystone.pid'), `${stranger}\n`)

    const out = execFileSync('bash', [path.join(ROOT, 'scripts/dev-cloud/down.sh')], {
      env: { ...process.env, DEV_CLOUD_DIR: state },
      encoding: 'utf8'
    })
    for (const [name, pid] of Object.entries(pids)) expect(out).toContain(`${name}: stopping pid ${pid}`)
    expect(out).toContain('keystone: not running (stale pidfile removed)')
    for (const pid of Object.values(pids)) expect(pidAlive(pid)).toBe(false)
    expect(pidAlive(stranger)).toBe(true)
    expect(readdirSync(path.join(state, 'run'))).toEqual([])
    expect(readdirSync(state)).not.toContain('env')
  })
})
