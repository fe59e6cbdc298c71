/** A guideline file whose strings carry control characters cannot steer the runner or split the test list. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
// @ts-expect-error -- plain JavaScript helper shared with npm run demo
import { runAction } from '../../scripts/lib/run-action.mjs'
import { effectiveCommands } from './harness.js'

const GUIDELINE = path.join(import.meta.dirname, '..', '..', 'data', 'guidelines', '2020.06.json')

interface GuidelineJson {
  metadata: { id: string }
  capabilities: Record<string, { tests: Record<string, unknown> }>
}

function hostileGuideline(edit: (json: GuidelineJson) => void): string {
  const json = JSON.parse(readFileSync(GUIDELINE, 'utf8')) as GuidelineJson
  edit(json)
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'guideline-')), 'interop.json')
  writeFileSync(file, JSON.stringify(json))
  return file
}

describe('a guideline with control characters', () => {
  it('a metadata.id with a newline issues no workflow command and is refused', async () => {
    const file = hostileGuideline((json) => {
      json.metadata.id = '2020.06\n::warning::injected by the guideline'
    })
    const result = await runAction({
      guideline: file,
      program: 'object',
      'dry-run': 'true',
      'artifact-name': ''
    })
    expect(effectiveCommands(result.stdout).filter((line) => line.includes('injected'))).toEqual([])
    expect(result.code).toBe(1)
    expect(result.stdout).toContain(
      `::error::${file} is not an interop guideline: metadata.id holds a control character`
    )
  })

  it('a test name with a newline does not split the test list: the file is refused, naming where', async () => {
    const file = hostileGuideline((json) => {
      const tests = json.capabilities['objectstore-container-create'].tests
      const [first] = Object.keys(tests)
      tests[`${first}\ntempest.api.injected.test_extra`] = tests[first]
      delete tests[first]
    })
    const result = await runAction({
      guideline: file,
      program: 'object',
      'dry-run': 'true',
      'artifact-name': ''
    })
    expect(result.code).toBe(1)
    expect(result.outputs['test-list'] ?? '').toBe('')
    expect(result.stdout).toMatch(
      /capabilities\["objectstore-container-create"\]\.tests\[.*\] \(the key\) holds a control character/
    )
  })
})
