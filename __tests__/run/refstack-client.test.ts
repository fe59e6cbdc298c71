import { existsSync, readFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { Progress, formatDuration, refstackCommand } from '../../src/run/refstack-client.js'

const FIXTURES = path.join(import.meta.dirname, '..', '..', '__fixtures__', 'real-run')

describe('Progress', () => {
  it('follows a real refstack-client run: total, passes, result paths', () => {
    const progress = new Progress()
    const lines = [
      ...readFileSync(path.join(FIXTURES, 'local.stderr.txt'), 'utf8').split('\n'),
      ...readFileSync(path.join(FIXTURES, 'local.stdout.txt'), 'utf8').split('\n')
    ]
    const finished = lines.filter((line) => progress.feed(line)).length
    expect(finished).toBe(59)
    expect(progress).toMatchObject({ total: 59, done: 59, passed: 59, failed: 0, skipped: 0 })
    expect(progress.streamPath).toBe('/var/lib/tempest/.stestr/0')
    expect(progress.jsonPath).toBe('/var/lib/tempest/.stestr/0.json')
    expect(progress.summary(41_000)).toBe('59/59 tests: 59 passed, 0 failed, 0 skipped')
  })

  it('counts failures and skips, collects names missing from Tempest and estimates the time left', () => {
    const progress = new Progress()
    progress.feed('2026-11-26 14:40:11,563 refstack_client.list_parser:149 DEBUG Number of tests: 4')
    progress.feed(
      '2026-11-26 14:40:11,000 refstack_client.list_parser:120 WARNING Test tempest.api.x.Y.test_z not found in Tempest list.'
    )
    progress.feed('{0} tempest.api.a.B.test_c [1.0s] ... FAILED')
    progress.feed('{1} tempest.api.a.B.test_d ... SKIPPED: no swift')
    expect(progress).toMatchObject({
      done: 2,
      failed: 1,
      skipped: 1,
      notInTempest: ['tempest.api.x.Y.test_z']
    })
    expect(progress.summary(60_000)).toBe('2/4 tests: 0 passed, 1 failed, 1 skipped, about 1m 0s left')
  })
})

describe('refstackCommand', () => {
  it('builds the argument list, -p only for parallel', () => {
    const request = {
      toolchain: {
        refstackClient: '/usr/bin/refstack-client',
        tempestDir: '/var/lib/tempest',
        python: '/usr/bin/python3',
        clientPython: '/usr/bin/python3',
        origin: 'existing' as const,
        version: 'x'
      },
      tempestConf: '/etc/tempest conf/tempest.conf',
      testList: [],
      workdir: '/w',
      workers: undefined,
      timeoutMinutes: 1,
      outputDir: '/tmp/x'
    }
    expect(refstackCommand(request, '/w/list.txt')).toEqual([
      '/usr/bin/refstack-client',
      'test',
      '-c',
      '/etc/tempest conf/tempest.conf',
      '--test-list',
      '/w/list.txt',
      '-v'
    ])
    expect(refstackCommand({ ...request, workers: 8 }, '/w/l').at(-1)).toBe('-p')
  })

  it('formats durations', () => {
    expect([formatDuration(5), formatDuration(65), formatDuration(3725)]).toEqual(['5s', '1m 5s', '1h 2m'])
  })
})

describe('runRefstack on the runner, with a stand-in refstack-client', () => {
  // The real refstack-client runs in the end-to-end tests; this one prints like it and then hangs, to reach the
  // timeout and the one-run-per-target rule in seconds.
  async function standIn(): Promise<{ bin: string; workdir: string; out: string }> {
    const { mkdtempSync, writeFileSync } = await import('node:fs')
    const { tmpdir } = await import('node:os')
    const dir = mkdtempSync(path.join(tmpdir(), 'run-'))
    const bin = path.join(dir, 'refstack-client')
    writeFileSync(
      bin,
      '#!/bin/sh\necho "x refstack_client.list_parser:149 DEBUG Number of tests: 3" >&2\necho "{0} tempest.api.a.B.test_one [0.1s] ... ok"\nsleep 61\n',
      { mode: 0o755 }
    )
    return { bin, workdir: path.join(dir, 'work'), out: path.join(dir, 'out') }
  }

  it('stops the run at timeout-minutes, reports what finished, and leaves no process behind', async () => {
    const { runRefstack } = await import('../../src/run/refstack-client.js')
    const { LocalTarget } = await import('../../src/target/local.js')
    const { bin, workdir, out } = await standIn()
    const outcome = await runRefstack(new LocalTarget(), {
      toolchain: {
        refstackClient: bin,
        tempestDir: path.join(workdir, 'tempest'),
        python: 'python3',
        clientPython: 'python3',
        origin: 'existing',
        version: 'x'
      },
      tempestConf: '/dev/null',
      testList: ['tempest.api.a.B.test_one[id-1]'],
      workdir,
      workers: undefined,
      timeoutMinutes: 0.05,
      outputDir: out,
      pollIntervalMs: 200
    })
    expect(outcome.timedOut).toBe(true)
    expect(outcome.exitCode).toBeUndefined()
    expect(outcome.streamFile).toBeUndefined()
    expect(readFileSync(outcome.logFile, 'utf8')).toContain('test_one [0.1s] ... ok')
    const { execFileSync } = await import('node:child_process')
    expect(
      execFileSync('sh', ['-c', `ps -eo args | grep -c "[s]leep 61" || true`], { encoding: 'utf8' }).trim()
    ).toBe('0')
  })

  it('waits for another run using the same Tempest workspace (another workdir too), and says so at the timeout', async () => {
    const { claimRunDir, releaseRunDir, runRefstack } = await import('../../src/run/refstack-client.js')
    const { LocalTarget } = await import('../../src/target/local.js')
    const { mkdirSync, readFileSync: read } = await import('node:fs')
    const { bin, workdir, out } = await standIn()
    const target = new LocalTarget()
    const workspace = path.join(path.dirname(workdir), 'tempest')
    mkdirSync(workspace, { recursive: true })
    const toolchain = {
      refstackClient: bin,
      tempestDir: workspace,
      python: 'python3',
      clientPython: 'python3',
      origin: 'existing' as const,
      version: 'x'
    }
    const request = {
      toolchain,
      tempestConf: '/dev/null',
      testList: ['tempest.api.a.B.test_one[id-1]'],
      workers: undefined,
      outputDir: out,
      pollIntervalMs: 200
    }
    // The first run: claimed, then running the stand-in (which sleeps) until its 6-second timeout.
    const firstDir = await claimRunDir(target, { ...request, workdir, timeoutMinutes: 1 })
    expect(read(path.join(workspace, '.refstack-action-run'), 'utf8').trim()).toBe(firstDir)
    // Claimed and not started: another run already waits (the first one cleans its accounts here).
    const secondWorkdir = path.join(path.dirname(workdir), 'other-work')
    const early = await claimRunDir(target, {
      ...request,
      workdir: secondWorkdir,
      timeoutMinutes: 0.001
    }).catch((e: Error) => e)
    expect((early as Error).message).toBe(
      `Another refstack-action run (${firstDir}) was still using the Tempest workspace ${workspace} on the runner at timeout-minutes`
    )
    const first = runRefstack(target, { ...request, workdir, timeoutMinutes: 0.1 }, firstDir)
    try {
      for (let i = 0; i < 50 && !existsSync(path.join(firstDir, 'pid')); i++) await sleep(100)
      const error = await runRefstack(target, {
        ...request,
        workdir: secondWorkdir,
        timeoutMinutes: 0.001
      }).catch((e: Error & { hint?: string }) => e)
      expect((error as Error).message).toBe(
        `Another refstack-action run (${firstDir}) was still using the Tempest workspace ${workspace} on the runner at timeout-minutes`
      )
      expect((error as { hint?: string }).hint).toContain("'concurrency' group")
    } finally {
      const outcome = await first
      expect(outcome.timedOut).toBe(true)
    }
    // A claim given up before its run started frees the workspace at once.
    const given = await claimRunDir(target, { ...request, workdir, timeoutMinutes: 1 })
    await releaseRunDir(target, given)
    const next = await claimRunDir(target, { ...request, workdir: secondWorkdir, timeoutMinutes: 0.001 })
    expect(next.startsWith(`${secondWorkdir}/runs/`)).toBe(true)
    await releaseRunDir(target, next)
    // Once the first run has ended, the workspace is free for the other workdir.
    const freed = await claimRunDir(target, { ...request, workdir: secondWorkdir, timeoutMinutes: 0.001 })
    expect(freed.startsWith(`${secondWorkdir}/runs/`)).toBe(true)
  })
})
