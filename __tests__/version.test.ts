/**
 * The action's version: package.json's, bundled into dist/ at build time, named in report.json and in the job
 * summary's footer, so two reports say which version of the action wrote them.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { renderSummary } from '../src/report/summary.js'
import { ACTION_VERSION } from '../src/version.js'
import { report } from './helpers/report-fixture.js'
// @ts-expect-error -- plain JavaScript helper shared with npm run demo
import { runAction } from '../scripts/lib/run-action.mjs'

const ROOT = path.join(import.meta.dirname, '..')
const PACKAGE_VERSION = (
  JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }
).version
const STREAM = path.join(ROOT, '__fixtures__', 'subunit', 'real-run', 'object-2020.06-local.v1')

describe('the action version', () => {
  it("is package.json's, a semantic version", () => {
    expect(ACTION_VERSION).toBe(PACKAGE_VERSION)
    expect(ACTION_VERSION).toMatch(/^\d+\.\d+\.\d+$/)
  })

  it('closes the job summary when the report names it, and not when an older report does not', () => {
    const md = renderSummary({ ...report(), actionVersion: '1.2.3' })
    expect(md.trimEnd().split('\n').at(-1)).toBe('<sub>refstack-action 1.2.3</sub>')
    expect(renderSummary(report())).not.toContain('refstack-action ')
  })

  it('is in report.json and the summary footer of the bundled action (dist/, report-only on a kept stream)', async () => {
    const result = await runAction({
      guideline: '2020.06',
      'guideline-source': 'bundled',
      program: 'object',
      'artifact-name': '',
      'results-file': STREAM
    })
    expect(result.code).toBe(0)
    const written = JSON.parse(readFileSync(result.outputs['report-file'], 'utf8')) as {
      actionVersion?: string
    }
    expect(written.actionVersion).toBe(PACKAGE_VERSION)
    expect(result.summary.trimEnd().split('\n').at(-1)).toBe(`<sub>refstack-action ${PACKAGE_VERSION}</sub>`)
  })
})
