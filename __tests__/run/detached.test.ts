import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { type RunState, pollDetached, startDetached, stopDetached } from '../../src/run/detached.js'
import { LocalTarget } from '../../src/target/local.js'
import { pidAlive } from '../helpers/process.js'
import { waitUntil } from '../helpers/wait-for.js'

const target = new LocalTarget()
const readIfThere = (file: string): string => (existsSync(file) ? readFileSync(file, 'utf8') : '')
const runDir = (): string => path.join(mkdtempSync(path.join(tmpdir(), 'detached-')), 'run')

describe('detached runs', () => {
  it('runs in its own session, is followed by offset and reports its exit status', async () => {
    const run = await startDetached(target, runDir(), ['sh', '-c', 'echo one; sleep 0.5; echo two; exit 3'])
    expect(run.pid).toBeGreaterThan(1)
    let offset = 0
    let log = ''
    const states: RunState[] = []
    await waitUntil('the detached run to exit', async () => {
      const poll = await pollDetached(target, run, offset)
      offset += poll.output.length
      log += poll.output.toString()
      states.push(poll.state)
      return poll.state.state !== 'running'
    })
    expect(states.at(-1)).toEqual({ state: 'exited', code: 3 })
    expect(log).toBe('one\ntwo\n')
  })

  it('is stopped with its whole process group, children included', async () => {
    const dir = runDir()
    const run = await startDetached(target, dir, [
      'sh',
      '-c',
      'sleep 60 & echo $! > "$0"; wait',
      `${dir}.child`
    ])
    await waitUntil("the child's pid file", () => /^\d+\n$/.test(readIfThere(`${dir}.child`)))
    const child = Number(readFileSync(`${dir}.child`, 'utf8'))
    expect(pidAlive(child)).toBe(true)
    // INT ends the leader (130 below); the background child ignores INT, so TERM ends it after the grace.
    expect(await stopDetached(target, run, 2000)).toBe(true)
    await waitUntil('the leader and its child to be gone', () => !pidAlive(run.pid) && !pidAlive(child))
    // SIGINT reaches the command (not ignored as in a background job): its leader records how it ended.
    expect((await pollDetached(target, run, 0)).state).toEqual({ state: 'exited', code: 130 })
    expect(await stopDetached(target, run)).toBe(false)
  })

  it('keeps bytes exact across polls, also for multi-byte characters', async () => {
    const run = await startDetached(target, runDir(), ['printf', 'é✓\nend\n'])
    await waitUntil(
      'printf to exit',
      async () => (await pollDetached(target, run, 0)).state.state === 'exited'
    )
    const first = await pollDetached(target, run, 0)
    const rest = await pollDetached(target, run, 2)
    expect(first.output.toString()).toBe('é✓\nend\n')
    expect(rest.output.toString()).toBe('✓\nend\n')
  })
})
