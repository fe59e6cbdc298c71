/**
 * The bundled action (dist/index.js): the results artifact holds what the README says, the stream and the JUnit
 * file included when they lie outside the results directory (report-only mode, a junit-file elsewhere).
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
// @ts-expect-error -- plain JavaScript helper shared with npm run demo
import { runAction } from '../scripts/lib/run-action.mjs'

const PASSING = path.join(
  import.meta.dirname,
  '..',
  '__fixtures__',
  'subunit',
  'real-run',
  'object-2020.06-local.v1'
)

describe('the results artifact in report-only mode', () => {
  it('holds the given stream and a JUnit file written outside the results directory', async () => {
    const stream = path.join(mkdtempSync(path.join(tmpdir(), 'artifact-stream-')), 'results.subunit')
    copyFileSync(PASSING, stream)
    const junit = path.join(mkdtempSync(path.join(tmpdir(), 'artifact-junit-')), 'junit.xml')
    const result = await runAction({
      guideline: '2020.06',
      'guideline-source': 'bundled',
      program: 'object',
      'results-file': stream,
      'junit-file': junit,
      'artifact-name': 'refstack-results'
    })
    expect(result.code).toBe(0)
    const dir = path.dirname(result.outputs['report-file'])
    expect(result.stdout).toMatch(
      new RegExp(`Artifact 'refstack-results' not uploaded: .*kept in ${dir}: .*\\bjunit\\.xml\\b.*`)
    )
    const [line] = result.stdout
      .split('\n')
      .filter((l: string) => l.startsWith("Artifact 'refstack-results'"))
    for (const name of ['report.json', 'test-list.txt', 'results.subunit', 'junit.xml'])
      expect(line).toContain(name)
    expect(readFileSync(path.join(dir, 'results.subunit')).equals(readFileSync(PASSING))).toBe(true)
    expect(readFileSync(path.join(dir, 'junit.xml'), 'utf8')).toBe(readFileSync(junit, 'utf8'))
    // The outputs still name the files where they are.
    expect(result.outputs['results-file']).toBe(stream)
    expect(result.outputs['junit-file']).toBe(junit)
    expect(existsSync(stream)).toBe(true)
  })
})
