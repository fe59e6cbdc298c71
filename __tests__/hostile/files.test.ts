/**
 * Input files the action did not write: a FIFO, a device, an endless line, a workdir on /proc. Each ends
 * with one clear error or a damaged-stream report, in bounded memory; none hangs. (Runs that would hang are
 * ended by the test after a generous bound, which then fails on the missing exit status.)
 */
import { execFileSync } from 'node:child_process'
import { closeSync, copyFileSync, mkdtempSync, openSync, statSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
// @ts-expect-error -- plain JavaScript helper shared with npm run demo
import { runAction } from '../../scripts/lib/run-action.mjs'
import { LocalTarget } from '../../src/target/local.js'
import { REAL_STREAM } from './harness.js'

const bundled = {
  guideline: '2020.06',
  'guideline-source': 'bundled',
  program: 'object',
  'artifact-name': ''
}
/** A run that hangs is killed after this long, so the test fails instead of hanging too. */
const HANG = { signalAfterMs: 60_000, signal: 'SIGKILL' }

function fifo(): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'fifo-')), 'pipe')
  execFileSync('mkfifo', [file])
  return file
}

describe('input files that are not regular files', () => {
  it('a FIFO as results-file is refused', async () => {
    const file = fifo()
    const result = await runAction({ ...bundled, 'results-file': file }, HANG)
    expect(result.code).toBe(1)
    expect(result.stdout).toContain(
      `::error::Input 'results-file': ${file} is a FIFO (named pipe), not a regular file`
    )
  })

  it('/dev/zero as results-file is refused', async () => {
    const result = await runAction({ ...bundled, 'results-file': '/dev/zero' }, HANG)
    expect(result.code).toBe(1)
    expect(result.stdout).toContain(
      "::error::Input 'results-file': /dev/zero is a character device, not a regular file"
    )
  })

  it('a FIFO as guideline is refused', async () => {
    const file = fifo()
    const result = await runAction(
      { guideline: file, program: 'object', 'dry-run': 'true', 'artifact-name': '' },
      HANG
    )
    expect(result.code).toBe(1)
    expect(result.stdout).toContain(
      `::error::Input 'guideline': ${file} is a FIFO (named pipe), not a regular file`
    )
  })

  it('a workdir under /proc is refused', async () => {
    const result = await runAction(
      { ...bundled, workdir: '/proc/refstack-action', 'tempest-conf': '/etc/tempest.conf' },
      HANG
    )
    expect(result.code).toBe(1)
    expect(result.stdout).toContain("::error::Input 'workdir' cannot be under /proc")
  })

  it('files on the runner: a directory under /proc is an error, not an endless mkdir', async () => {
    await expect(new LocalTarget().writeFile('/proc/refstack-action/runs/x', 'x')).rejects.toThrow(/ENOENT/)
  })

  it('a tempest.conf that is a FIFO is an error naming it, not an endless read', async () => {
    await expect(new LocalTarget().readFile(fifo())).rejects.toThrow(/not a regular file/)
  })
})

describe('a stream with a line longer than any subunit line', () => {
  it('is damaged at that line’s offset; the tests before it are reported', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'long-line-')), 'stream.v1')
    copyFileSync(REAL_STREAM, file)
    const offset = statSync(file).size
    const fd = openSync(file, 'a')
    const block = Buffer.alloc(1024 * 1024, 'x')
    for (let i = 0; i < 20; i++) writeSync(fd, block)
    closeSync(fd)
    const result = await runAction({ ...bundled, 'results-file': file }, HANG)
    expect(result.code).toBe(1)
    expect(result.outputs.passed).toBe('58')
    expect(result.stdout).toContain(
      `is damaged at byte ${offset}: A line longer than 8388608 bytes (no newline); skipped to its end`
    )
  })
})
