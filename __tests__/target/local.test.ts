import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { LocalTarget } from '../../src/target/local.js'
import { processRunning, waitUntil } from '../helpers/wait-for.js'

const target = new LocalTarget()
const HOSTILE = [
  'a b',
  "it's",
  '"double"',
  '$(touch /tmp/pwned)',
  '`id`',
  'line1\nline2',
  '',
  '*',
  '--flag',
  '; rm -rf /'
]

describe('LocalTarget', () => {
  it('runs an argument list without a shell: every hostile argument arrives unchanged', async () => {
    const result = await target.exec(['printf', '%s\\0', ...HOSTILE])
    expect(result.code).toBe(0)
    expect(result.stdout.split('\0').slice(0, -1)).toEqual(HOSTILE)
  })

  it('keeps stdout and stderr apart, passes the exit status, stdin and env, and streams chunks', async () => {
    const chunks: string[] = []
    const result = await target.exec(['sh', '-c', 'cat; echo "$GREETING" >&2; exit 7'], {
      stdin: 'from stdin',
      env: { GREETING: 'hello' },
      onStdout: (chunk) => chunks.push(chunk.toString())
    })
    expect(result).toMatchObject({ code: 7, stdout: 'from stdin', stderr: 'hello\n' })
    expect(chunks.join('')).toBe('from stdin')
  })

  it('times out and kills the whole command', async () => {
    // The child sleeps past the test's own timeout: exec returns before only if the timeout ended it.
    const marker = `${300 + Math.random()}`
    const result = await target.exec(['sh', '-c', `sleep ${marker} & wait`], { timeoutMs: 300 })
    expect(result.timedOut).toBe(true)
    await waitUntil("the command's child to be killed too", () => !processRunning(`sleep ${marker}`))
  })

  it('rejects a command that does not exist with its name', async () => {
    await expect(target.exec(['no-such-command-xyz'])).rejects.toThrow(/no-such-command-xyz/)
  })

  it('writes files with their mode and reads them back; a missing file names the path', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'local-target-'))
    const file = path.join(dir, 'sub', 'list.txt')
    await target.writeFile(file, 'x\ny', 0o644)
    expect((await target.readFile(file)).toString()).toBe('x\ny')
    await target.download(file, path.join(dir, 'copy.txt'))
    expect(readFileSync(path.join(dir, 'copy.txt'), 'utf8')).toBe('x\ny')
    await expect(target.readFile(path.join(dir, 'missing'))).rejects.toThrow(/missing/)
  })
})
