import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { buildRemoteCommand, isEnvName, quoteArg, quoteCommand, withEnv } from '../../src/target/quote.js'
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
    const command = buildRemoteCommand(['sh', '-c', 'pwd; printf "%s|" "$REFSTACK_A" "$REFSTACK_B" "$EMPTY"'], {
      env,
      cwd: '/tmp'
    })
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
