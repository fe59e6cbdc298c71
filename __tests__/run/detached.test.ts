import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { setTimeout as sleep } from 'node:timers/promises'
import { pollDetached, startDetached, stopDetached } from '../../src/run/detached.js'
import { LocalTarget } from '../../src/target/local.js'
import { pidAlive } from '../helpers/process.js'

const target = new LocalTarget()
const runDir = (): string => path.join(mkdtempSync(path.join(tmpdir(), 'detached-')), 'run')

describe('detached runs', () => {
  it('runs in its own session, is followed by offset and reports its exit status', async () => {
    const run = await startDetached(target, runDir(), ['sh', '-c', 'echo one; sleep 0.5; echo two; exit 3'])
    expect(run.pid).toBeGreaterThan(1)
    let offset = 0
    let log = ''
    for (let i = 0; i < 50; i++) {
      const poll = await pollDetached(target, run, offset)
      offset += poll.output.length
      log += poll.output.toString()
      if (poll.state.state === 'exited') {
        expect(poll.state.code).toBe(3)
        break
      }
      expect(poll.state.state).toBe('running')
      await sleep(100)
    }
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
    await sleep(300)
    const { readFileSync } = await import('node:fs')
    const child = Number(readFileSync(`${dir}.child`, 'utf8'))
    expect(pidAlive(child)).toBe(true)
    expect(await stopDetached(target, run, 2000)).toBe(true)
    await sleep(200)
    expect(pidAlive(run.pid)).toBe(false)
    expect(pidAlive(child)).toBe(false)
    // SIGINT reaches the command (not ignored as in a background job): its leader records how it ended.
    expect((await pollDetached(target, run, 0)).state).toEqual({ state: 'exited', code: 130 })
    expect(await stopDetached(target, run)).toBe(false)
  })

  it('keeps bytes exact across polls, also for multi-byte characters', async () => {
    const run = await startDetached(target, runDir(), ['printf', 'é✓\nend\n'])
    await sleep(300)
    const first = await pollDetached(target, run, 0)
    const rest = await pollDetached(target, run, 2)
    expect(first.output.toString()).toBe('é✓\nend\n')
    expect(rest.output.toString()).toBe('✓\nend\n')
  })
})
