import { execFileSync } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { parseParallel, withWorkers, workerCount } from '../../src/run/workers.js'
import { LocalTarget } from '../../src/target/local.js'

describe('parseParallel', () => {
  it.each([
    ['true', true],
    ['FALSE', false],
    [' 8 ', 8],
    ['1', 1],
    ['64', 64],
    ['0', undefined],
    ['65', undefined],
    ['-2', undefined],
    ['2.5', undefined],
    ['yes', undefined]
  ])('%j -> %j', (text, expected) => {
    expect(parseParallel(text)).toBe(expected)
  })
})

describe('workerCount', () => {
  it.each([
    [false, 36, undefined],
    [5, 0, 5],
    [12, 36, 12],
    // true: one worker per 3 accounts (primary, alt, ResellerAdmin), from 2 to 6
    [true, 0, 2],
    [true, 6, 2],
    [true, 9, 3],
    [true, 18, 6],
    [true, 36, 6]
  ] as const)('parallel %j with %i accounts -> %j workers', (parallel, accounts, expected) => {
    expect(workerCount(parallel, accounts)).toBe(expected)
  })
})

describe('the tempest shim', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'workers-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('adds --concurrency to `tempest run` only, and runs the next tempest in PATH', async () => {
    const withSix = (args: string[]): Promise<string[]> =>
      withWorkers(new LocalTarget(), path.join(dir, 'work') + '/', 6, ['tempest', ...args])
    const argvs = [
      await withSix(['run', '--serial', '--whitelist_file', '/a b.txt']),
      await withSix(['--version'])
    ]
    expect(statSync(path.join(dir, 'work', 'tempest-workers', 'tempest')).mode & 0o777).toBe(0o755)
    mkdirSync(path.join(dir, 'real'))
    // The real tempest's stand-in prints the PATH it was found through and its arguments.
    writeFileSync(path.join(dir, 'real', 'tempest'), '#!/bin/sh\necho "$PATH|$*"\n')
    chmodSync(path.join(dir, 'real', 'tempest'), 0o755)
    const env = { PATH: `${path.join(dir, 'real')}:/usr/bin:/bin` }
    const run = (argv: string[]): string =>
      execFileSync(argv[0], argv.slice(1), { env, encoding: 'utf8' }).trim()
    expect(run(argvs[0])).toBe(`${env.PATH}|run --concurrency 6 --serial --whitelist_file /a b.txt`)
    expect(run(argvs[1])).toBe(`${env.PATH}|--version`)
  })
})
