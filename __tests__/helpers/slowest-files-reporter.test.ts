import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { formatSlowest, slowest, type FileTime } from './slowest-files-reporter.js'

const ROOT = path.resolve(import.meta.dirname, '..', '..')
const REPORTER = path.join(ROOT, '__tests__', 'helpers', 'slowest-files-reporter.ts')

const file = (name: string, seconds: number, project = 'e2e'): FileTime => ({ project, file: name, seconds })

describe('slowest files', () => {
  it('keeps the ten slowest, slowest first, ties in path order', () => {
    const times = Array.from({ length: 14 }, (_, i) => file(`f${String(i).padStart(2, '0')}.test.ts`, i))
    times.push(file('a-tie.test.ts', 13))
    const top = slowest(times)
    expect(top).toHaveLength(10)
    expect(top.map((t) => t.file).slice(0, 3)).toEqual(['a-tie.test.ts', 'f13.test.ts', 'f12.test.ts'])
    expect(top.at(-1)?.file).toBe('f05.test.ts')
  })

  it('prints seconds, the share of all files and the project; nothing for no file', () => {
    const text = formatSlowest([file('e2e/platform.test.ts', 300), file('config.test.ts', 100, 'unit')])
    expect(text.split('\n')).toEqual([
      'Slowest 2 of 2 test files (all files: 400.0 s):',
      '  300.0 s   75%  e2e/platform.test.ts (e2e)',
      '  100.0 s   25%  config.test.ts (unit)'
    ])
    expect(formatSlowest([])).toBe('')
  })

  describe('as a reporter of a real vitest run', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'slowest-files-'))
    afterAll(() => rmSync(dir, { recursive: true, force: true }))

    it('prints the table after vitest’s own summary, naming every file', () => {
      for (const name of ['one', 'two']) {
        writeFileSync(
          path.join(dir, `${name}.test.ts`),
          "import { expect, it } from 'vitest'\nit('passes', () => expect(1).toBe(1))\n"
        )
      }
      const run = spawnSync(
        process.execPath,
        [
          path.join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'),
          'run',
          '--root',
          dir,
          '--reporter',
          'default',
          '--reporter',
          REPORTER
        ],
        { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', CI: '' }, timeout: 120_000 }
      )
      expect(run.status, run.stderr).toBe(0)
      const at = run.stdout.indexOf('Slowest 2 of 2 test files')
      expect(at).toBeGreaterThan(run.stdout.indexOf('Test Files'))
      const table = run.stdout.slice(at)
      expect(table).toMatch(/^ +\d+\.\d s +\d+% +one\.test\.ts$/m)
      expect(table).toMatch(/^ +\d+\.\d s +\d+% +two\.test\.ts$/m)
    })
  })
})
