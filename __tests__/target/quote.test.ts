import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  buildRemoteCommand,
  hitTimeout,
  isEnvName,
  quoteArg,
  quoteCommand,
  withEnv,
  withTimeout
} from '../../src/target/quote.js'
import { HANG_BOUND_MS } from '../helpers/wait-for.js'
import { HOSTILE_ARGS } from './hostile-args.js'

const shells = ['/bin/sh', '/bin/bash', '/bin/dash'].filter((shell) => existsSync(shell))

describe('quoteArg', () => {
  it.each([
    ['simple', 'simple'],
    ['/usr/bin/x-y_z.1,2:3@4%5+6', '/usr/bin/x-y_z.1,2:3@4%5+6'],
    ['', "''"],
    ['a b', "'a b'"],
    ["it's", "'it'\\''s'"],
    ['$(id)', "'$(id)'"],
    ['A=b', "'A=b'"],
    ['~', "'~'"],
    ['*', "'*'"]
  ])('%j → %s', (arg, quoted) => {
    expect(quoteArg(arg)).toBe(quoted)
  })

  it('rejects an empty argument list', () => {
    expect(() => quoteCommand([])).toThrow(/empty/)
  })
})

describe.each(shells)('round trip through %s', (shell) => {
  it('gives back every hostile argument exactly, nothing executed or expanded', () => {
    const command = quoteCommand(['printf', '%s\\0', ...HOSTILE_ARGS])
    const result = spawnSync(shell, ['-c', command], { cwd: '/', encoding: 'utf8' })
    expect(result.status).toBe(0)
    expect(result.stdout.split('\0').slice(0, -1)).toEqual(HOSTILE_ARGS)
    expect(existsSync('/tmp/refstack-quote-pwned')).toBe(false)
  })

  it('passes env without a shell seeing the values, and cd before the command', () => {
    const env = { REFSTACK_A: 'has space', REFSTACK_B: "$(echo no) 'q' `x`", EMPTY: '' }
    const command = buildRemoteCommand(
      ['sh', '-c', 'pwd; printf "%s|" "$REFSTACK_A" "$REFSTACK_B" "$EMPTY"'],
      {
        env,
        cwd: '/tmp'
      }
    )
    const result = spawnSync(shell, ['-c', command], { encoding: 'utf8' })
    expect(result.stdout).toBe(`/tmp\nhas space|$(echo no) 'q' \`x\`||`)
  })

  it('does not run the command when cd fails', () => {
    const command = buildRemoteCommand(['echo', 'ran'], { cwd: '/nonexistent dir' })
    const result = spawnSync(shell, ['-c', command], { encoding: 'utf8' })
    expect(result.status).not.toBe(0)
    expect(result.stdout).toBe('')
  })
})

describe('withEnv', () => {
  it('prefixes env only when there is something to set', () => {
    expect(withEnv(['a'], undefined)).toEqual(['a'])
    expect(withEnv(['a'], {})).toEqual(['a'])
    expect(withEnv(['a', 'b'], { K: 'v w' })).toEqual(['env', 'K=v w', 'a', 'b'])
  })

  it('rejects invalid names without echoing the value', () => {
    expect(() => withEnv(['a'], { 'BAD NAME': 'secret-value' })).toThrow(/BAD NAME/)
    expect(() => withEnv(['a'], { 'BAD NAME': 'secret-value' })).not.toThrow(/secret-value/)
    expect(isEnvName('OS_PASSWORD')).toBe(true)
    expect(isEnvName('1X')).toBe(false)
    expect(isEnvName('A-B')).toBe(false)
  })
})

describe('withTimeout / hitTimeout', () => {
  it('wraps the command in timeout with TERM, then KILL after 5 s', () => {
    expect(withTimeout(['sleep', '9'], undefined)).toEqual(['sleep', '9'])
    expect(withTimeout(['sleep', '9'], 1500)).toEqual([
      'timeout',
      '-s',
      'TERM',
      '-k',
      '5',
      '1.5',
      'sleep',
      '9'
    ])
    expect(buildRemoteCommand(['a b'], { env: { K: 'v' }, cwd: '/w', timeoutMs: 60_000 })).toBe(
      "cd -- /w && timeout -s TERM -k 5 60 env 'K=v' 'a b'"
    )
  })

  it.each([
    [124, 1000, 1000, true],
    [137, 1500, 1000, true],
    [124, 10, 1000, false],
    [1, 5000, 1000, false],
    [124, 5000, undefined, false]
  ] as const)('code %i after %i ms with limit %s → %s', (code, elapsed, limit, expected) => {
    expect(hitTimeout(code, elapsed, limit)).toBe(expected)
  })

  it.each(shells)('%s: timeout really ends the command', (shell) => {
    // The command sleeps past the test's own timeout; spawnSync's bound (a hang) would end it with a signal.
    const result = spawnSync(shell, ['-c', quoteCommand(withTimeout(['sleep', '300'], 200))], {
      timeout: HANG_BOUND_MS
    })
    expect(result.signal).toBeNull()
    expect(result.status).toBe(124)
  })
})
