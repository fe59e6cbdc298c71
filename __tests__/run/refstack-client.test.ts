import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  Progress,
  foreignIds,
  formatDuration,
  nextStream,
  refstackCommand
} from '../../src/run/refstack-client.js'

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

  it('stops the run at the deadline, reports what finished, and leaves no process behind', async () => {
    const { runRefstack } = await import('../../src/run/refstack-client.js')
    const { LocalTarget } = await import('../../src/target/local.js')
    const { bin, workdir, out } = await standIn()
    const claim = { dir: `${workdir}/runs/r`, deadline: Date.now() + 3000, waitedMinutes: 0 }
    const outcome = await runRefstack(
      new LocalTarget(),
      {
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
        outputDir: out,
        pollIntervalMs: 200
      },
      claim
    )
    expect(outcome.timedOut).toBe(true)
    expect(outcome.exitCode).toBeUndefined()
    expect(outcome.streamFile).toBeUndefined()
    expect(readFileSync(outcome.logFile, 'utf8')).toContain('test_one [0.1s] ... ok')
    const { execFileSync } = await import('node:child_process')
    expect(
      execFileSync('sh', ['-c', `ps -eo args | grep -c "[s]leep 61" || true`], { encoding: 'utf8' }).trim()
    ).toBe('0')
  })
})

describe('a stopped run whose stream stestr never completed', () => {
  it("reads stestr's temporary stream, marked partial, when the run is stopped before the rename", async () => {
    const { runRefstack } = await import('../../src/run/refstack-client.js')
    const { LocalTarget } = await import('../../src/target/local.js')
    const { mkdtempSync, writeFileSync } = await import('node:fs')
    const { tmpdir } = await import('node:os')
    const dir = mkdtempSync(path.join(tmpdir(), 'run-'))
    const workspace = path.join(dir, 'tempest')
    const stestr = path.join(workspace, '.stestr')
    // Like stestr: one finished test written to a mkstemp file in .stestr, renamed only at a clean end (never).
    const bin = path.join(dir, 'refstack-client')
    writeFileSync(
      bin,
      `#!/bin/sh\nmkdir -p '${stestr}'\nprintf 'test: tempest.api.a.B.test_one\\nsuccess: tempest.api.a.B.test_one\\n' > '${stestr}/tmpab12cd34'\necho "{0} tempest.api.a.B.test_one [0.1s] ... ok"\ntrap '' INT TERM\nsleep 61\n`,
      { mode: 0o755 }
    )
    const claim = { dir: `${dir}/work/runs/r`, deadline: Date.now() + 2000, waitedMinutes: 0 }
    const outcome = await runRefstack(
      new LocalTarget(),
      {
        toolchain: {
          refstackClient: bin,
          tempestDir: workspace,
          python: 'python3',
          clientPython: 'python3',
          origin: 'existing',
          version: 'x'
        },
        tempestConf: '/dev/null',
        testList: ['tempest.api.a.B.test_one[id-1]', 'tempest.api.a.B.test_two[id-2]'],
        workdir: `${dir}/work`,
        workers: undefined,
        outputDir: path.join(dir, 'out'),
        pollIntervalMs: 200
      },
      claim
    )
    expect(outcome.timedOut).toBe(true)
    expect(outcome.partial).toBe(true)
    expect(readFileSync(outcome.streamFile as string, 'utf8')).toContain('success: tempest.api.a.B.test_one')
  })
})

describe('nextStream', () => {
  const ws = '/var/lib/tempest'
  it('is stestr next-stream number, 0 for a workspace without a repository', () => {
    expect(nextStream('fresh\n', ws)).toBe(0)
    expect(nextStream('next 7\n', ws)).toBe(7)
    expect(nextStream('missing \n', ws)).toBe(0)
  })

  it('is an error for a damaged next-stream, one naming an existing stream, or streams without one', () => {
    expect(() => nextStream('next 1x\n', ws)).toThrow(
      '/var/lib/tempest/.stestr/next-stream is damaged: it holds "1x", not a stream number'
    )
    expect(() => nextStream('next \n', ws)).toThrow('is damaged: it holds ""')
    expect(() => nextStream('next 3\nexists\n', ws)).toThrow(
      '/var/lib/tempest/.stestr/next-stream is stale: it names stream 3, which /var/lib/tempest/.stestr already holds from an earlier run'
    )
    expect(() => nextStream('missing 0\n', ws)).toThrow(
      '/var/lib/tempest/.stestr/next-stream does not exist on the target although /var/lib/tempest/.stestr holds stream 0'
    )
  })
})

describe('foreignIds', () => {
  const list = [
    'tempest.api.a.B.test_one[id-1]',
    'tempest.api.a.B.test_two',
    'tempest.api.c.D.test_x[id-2,smoke]'
  ]
  it("accepts the list's tests with any attributes and the fixtures of their classes", () => {
    expect(
      foreignIds(
        [
          'tempest.api.a.B.test_one[id-1]',
          'tempest.api.a.B.test_two[id-9,smoke]',
          'setUpClass (tempest.api.a.B)',
          'tearDownClass (tempest.api.c.D)',
          'subunit.parser'
        ],
        list
      )
    ).toEqual([])
  })

  it('names tests and fixtures of another run', () => {
    expect(
      foreignIds(
        ['tempest.api.a.B.test_three[id-3]', 'setUpClass (tempest.api.e.F)', 'tempest.api.a.B.test_one'],
        list
      )
    ).toEqual(['tempest.api.a.B.test_three[id-3]', 'setUpClass (tempest.api.e.F)'])
  })
})
