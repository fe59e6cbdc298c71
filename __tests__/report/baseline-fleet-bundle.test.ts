/**
 * `baseline` and `reports` through the bundled action (dist/index.js) as a runner drives it, on reports and
 * streams of real runs (__fixtures__/reports, __fixtures__/subunit/real-run). The same on live loopback runs:
 * __tests__/e2e/baseline-fleet.test.ts.
 */
import { cpSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
// @ts-expect-error -- plain JavaScript helper shared with npm run demo
import { ROOT, runAction } from '../../scripts/lib/run-action.mjs'

const OBJECT = { guideline: '2020.06', 'guideline-source': 'bundled', program: 'object', 'artifact-name': '' }
const REPORTS = path.join(ROOT, '__fixtures__', 'reports')
const STREAMS = path.join(ROOT, '__fixtures__', 'subunit', 'real-run')

describe('baseline through the bundle', () => {
  it('a missing baseline fails at once, naming the file, before the guideline is even resolved', async () => {
    const missing = path.join(tmpdir(), 'no-such-dir', 'report.json')
    const result = await runAction({
      ...OBJECT,
      'tempest-conf': '/etc/tempest/tempest.conf',
      baseline: missing
    })
    expect(result.code).toBe(1)
    expect(result.stdout).toContain(`::error::Input 'baseline': cannot read ${missing} (no such file)`)
    expect(result.stdout).not.toContain('Resolve the guideline')
    expect(result.outputs['new-failures']).toBe('')
  })

  it('compares a real failing run with a real healthy one: outputs counted, lists in report.json', async () => {
    const result = await runAction({
      ...OBJECT,
      'results-file': path.join(STREAMS, 'object-2020.06-reused-accounts-failed.v1'),
      baseline: path.join(REPORTS, 'healthy', 'report.json')
    })
    expect(result.code).toBe(1)
    expect(result.outputs).toMatchObject({ 'new-failures': '1', fixed: '0', compliant: 'false' })
    expect(result.summary).toContain('### Since the baseline')
    expect(result.summary).toContain('| objectstore-account-list | ✅ passed | ❌ failed |')
  })
})

describe('reports through the bundle', () => {
  it('summarises three real reports and fails because two clouds are not compliant', async () => {
    const work = mkdtempSync(path.join(tmpdir(), 'fleet-bundle-'))
    for (const name of ['healthy', 'one-failure', 'cloud-down'])
      cpSync(path.join(REPORTS, name), path.join(work, 'reports', `refstack-${name}`), { recursive: true })
    const result = await runAction({ reports: 'reports/*/report.json' }, { workspace: work })
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(
      /::error::2 of 3 clouds not compliant: refstack-cloud-down \(0%25: identity-v3-tokens-create, .* and 15 more\); region-two \(98\.3%25: objectstore-account-list\)$/m
    )
    expect(result.summary).toContain('| Capability | refstack-cloud-down | region-one | region-two |')
    expect(result.outputs).toMatchObject({ compliant: 'false', guideline: '2020.06', program: 'object' })
  })
})
