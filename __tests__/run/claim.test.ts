import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import {
  accountsLock,
  type Claim,
  claimRun,
  releaseClaim,
  takeLock,
  workdirLock
} from '../../src/run/claim.js'
import { pollDetached, startDetached } from '../../src/run/detached.js'
import { LocalTarget } from '../../src/target/local.js'
import { pidAlive } from '../helpers/process.js'
import { waitUntil } from '../helpers/wait-for.js'

const run = promisify(execFile)
const target = new LocalTarget()
const SRC = path.join(import.meta.dirname, '..', '..', 'src', 'run')
const CLAIM = readFileSync(path.join(SRC, 'claim.sh'), 'utf8')
const KEEPER = readFileSync(path.join(SRC, 'keeper.sh'), 'utf8')
const scratch = (): string => mkdtempSync(path.join(tmpdir(), 'claim-'))

/** claim.sh as the action runs it: lock, claim dir, lock name, seconds to the deadline. */
function claimScript(lock: string, dir: string, seconds: number): Promise<string> {
  return run('sh', ['-c', CLAIM, 'sh', lock, dir, 'workspace', String(seconds), KEEPER]).then((r) =>
    r.stdout.trim()
  )
}

describe('claim.sh', () => {
  it('started 40 times at once on one lock: exactly one claims, the others name it', async () => {
    const dir = scratch()
    const lock = path.join(dir, 'workspace', '.refstack-action.lock')
    const claims = Array.from({ length: 40 }, (_, i) => path.join(dir, 'runs', `r${i}`))
    const answers = await Promise.all(claims.map((claim) => claimScript(lock, claim, 60)))
    const winners = answers.flatMap((answer, i) => (answer === 'claimed' ? [claims[i]] : []))
    expect(winners).toHaveLength(1)
    for (const answer of answers.filter((a) => a !== 'claimed')) {
      expect(answer).toMatch(new RegExp(`^busy (${winners[0]} since \\d{4}-\\d\\d-\\d\\dT[\\d:]+Z|unknown)$`))
    }
    expect(answers.filter((a) => a.startsWith(`busy ${winners[0]} since`)).length).toBeGreaterThan(0)
    await releaseClaim(target, winners[0])
    expect(await claimScript(lock, path.join(dir, 'runs', 'next'), 60)).toBe('claimed')
    await releaseClaim(target, path.join(dir, 'runs', 'next'))
  })

  it('frees the lock at the deadline, stopping the run it held for (a runner that died)', async () => {
    const dir = scratch()
    const lock = path.join(dir, '.refstack-action.lock')
    const claimDir = path.join(dir, 'runs', 'dead-runner')
    expect(await claimScript(lock, claimDir, 2)).toBe('claimed')
    // The run's attempt: a detached command as runRefstack starts it, in a subdirectory of the claim.
    const attempt = await startDetached(target, path.join(claimDir, 'tempest'), ['sleep', '300'])
    expect(await claimScript(lock, path.join(dir, 'runs', 'early'), 60)).toMatch(/^busy /)
    await waitUntil('the keeper to stop the attempt at the deadline', () => !pidAlive(attempt.pid))
    expect(readFileSync(path.join(claimDir, 'stopped'), 'utf8').trim()).toBe(attempt.dir)
    expect(existsSync(path.join(claimDir, 'deadline-reached'))).toBe(true)
    await waitUntil('the keeper to end', () => existsSync(path.join(claimDir, 'busy-workspace')))
    expect(await claimScript(lock, path.join(dir, 'runs', 'later'), 60)).toBe('claimed')
    await releaseClaim(target, path.join(dir, 'runs', 'later'))
  })

  it('released: stops an attempt still running (a rerun the post step finds), never a pid it does not own', async () => {
    const dir = scratch()
    const lock = path.join(dir, '.refstack-action.lock')
    const claimDir = path.join(dir, 'runs', 'r')
    expect(await claimScript(lock, claimDir, 600)).toBe('claimed')
    const rerun = await startDetached(target, path.join(claimDir, 'rerun-1'), ['sleep', '300'])
    // A pid file naming a process that is not the attempt's leader (a pid reused after a reboot): left alone.
    const stranger = await startDetached(target, path.join(dir, 'elsewhere'), ['sleep', '300'])
    const { mkdirSync } = await import('node:fs')
    mkdirSync(path.join(claimDir, 'tempest'))
    writeFileSync(path.join(claimDir, 'tempest', 'pid'), `${stranger.pid}\n`)
    expect(await releaseClaim(target, claimDir)).toEqual([rerun.dir])
    // Its leader outlives the command by the moment it takes to write the exit status.
    await waitUntil('the rerun to end', () => !pidAlive(rerun.pid))
    expect(readFileSync(path.join(rerun.dir, 'exit-status'), 'utf8').trim()).toBe('130')
    expect(pidAlive(stranger.pid)).toBe(true)
    process.kill(-stranger.pid, 'SIGKILL')
    expect(await claimScript(lock, path.join(dir, 'runs', 'next'), 60)).toBe('claimed')
    await releaseClaim(target, path.join(dir, 'runs', 'next'))
  })

  it('a stop lets the command see SIGINT (it is not ignored as in a background job)', async () => {
    const dir = scratch()
    const lock = path.join(dir, '.refstack-action.lock')
    const claimDir = path.join(dir, 'runs', 'r')
    expect(await claimScript(lock, claimDir, 600)).toBe('claimed')
    const attempt = await startDetached(target, path.join(claimDir, 'tempest'), [
      '/usr/bin/python3',
      '-c',
      'import time\ntry:\n    time.sleep(300)\nexcept KeyboardInterrupt:\n    print("interrupted", flush=True)'
    ])
    await releaseClaim(target, claimDir)
    const poll = await pollDetached(target, attempt, 0)
    expect(poll.output.toString()).toBe('interrupted\n')
    expect(poll.state).toEqual({ state: 'exited', code: 0 })
  })
})

describe('claimRun and takeLock', () => {
  it('waits for the run holding the workdir, names it, and gives up at timeout-minutes', async () => {
    const workdir = path.join(scratch(), 'work')
    const first = await claimRun(target, { workdir, timeoutMinutes: 10 })
    expect(first.dir.startsWith(`${workdir}/runs/`)).toBe(true)
    const second: Claim = { dir: `${workdir}/runs/second`, deadline: Date.now(), waitedMinutes: 0 }
    const error = await takeLock(target, second, 'workdir', workdirLock(workdir)).catch((e: Error) => e)
    expect((error as Error).message).toMatch(
      new RegExp(
        `^Another refstack-action run \\(${first.dir} since [\\dTZ:-]+\\) still held the workdir ${workdir} on the runner when this run reached timeout-minutes`
      )
    )
    expect((error as { hint?: string }).hint).toContain("'concurrency' group")
    // Released: the next run claims at once.
    await releaseClaim(target, first.dir)
    const third = await claimRun(target, { workdir, timeoutMinutes: 1 })
    await releaseClaim(target, third.dir)
  })

  it('one lock per set of accounts, whatever file lists them', () => {
    const a = [
      { username: 'u1', password: 'x', project_name: 'p1', domain_name: 'Default' },
      { username: 'u2', password: 'y', project_name: 'p2' }
    ]
    const reordered = [
      { username: 'u2', password: 'other', project_name: 'p2' },
      {
        username: 'u1',
        password: 'x',
        tenant_name: 'p1',
        user_domain_name: 'Default',
        project_domain_name: 'Default'
      }
    ]
    expect(accountsLock(reordered)).toBe(accountsLock(a))
    expect(accountsLock([a[0]])).not.toBe(accountsLock(a))
    expect(accountsLock(a)).toMatch(/^\/tmp\/refstack-action-accounts-[0-9a-f]{16}\.lock$/)
  })
})
