import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { Progress, formatDuration, refstackCommand } from '../../src/refstack/run.js'

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
      parallel: false,
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
    expect(refstackCommand({ ...request, parallel: true }, '/w/l').at(-1)).toBe('-p')
  })

  it('formats durations', () => {
    expect([formatDuration(5), formatDuration(65), formatDuration(3725)]).toEqual(['5s', '1m 5s', '1h 2m'])
  })
})
