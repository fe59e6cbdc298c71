/**
 * A tempest.conf with neither test accounts nor dynamic credentials, plus a member's openrc, through the bundled
 * action: it writes an accounts file with that (non-admin) user and a copy of tempest.conf into workdir, leaves
 * the original alone, and the run is compliant. A few capabilities only (a quick check), so the report is
 * partial. openstack-ansible's default (dynamic credentials) with the admin openrc: e2e/credentials.test.ts.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { beforeAll, describe, expect, inject, it } from 'vitest'
// @ts-expect-error -- plain JavaScript helper shared with npm run demo
import { devCloudEnv, runAction } from '../../scripts/lib/run-action.mjs'

const skip = inject('cloudSkipReason')

describe.skipIf(skip !== '')(`tempest.conf from an openrc${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let cloud: Record<string, string>
  let osaConf: string
  let original: string
  beforeAll(() => {
    cloud = devCloudEnv()
    // The dev cloud's config without its accounts file (and without dynamic credentials).
    const dir = mkdtempSync(path.join(tmpdir(), 'no-accounts-'))
    osaConf = path.join(dir, 'tempest.conf')
    original = readFileSync(cloud.TEMPEST_CONF, 'utf8').replace(/^test_accounts_file = .*\n/m, '')
    writeFileSync(osaConf, original)
  })

  it('without openrc: one error saying exactly what to set', async () => {
    const result = await runAction({
      guideline: '2020.06',
      'guideline-source': 'bundled',
      program: 'object',
      'tempest-conf': osaConf
    })
    expect(result.code).toBe(1)
    const errors = result.stdout.split('\n').filter((l: string) => l.startsWith('::error::'))
    expect(errors).toHaveLength(1)
    expect(errors[0]).toContain(
      'does not use dynamic credentials, so Tempest has no user to run the tests with'
    )
    expect(errors[0]).toContain("Set 'openrc'")
  })

  it("with a member's openrc: a copy with that account is used, the original is unchanged, and the run is compliant", async () => {
    const workdir = mkdtempSync(path.join(tmpdir(), 'workdir-'))
    const result = await runAction({
      guideline: '2020.06',
      'guideline-source': 'bundled',
      program: 'object',
      // One account is all an openrc gives: capabilities whose tests need one (AccountTest needs two).
      capabilities: 'identity-v3-tokens-*',
      'tempest-conf': osaConf,
      openrc: cloud.DEMO_OPENRC,
      workdir,
      'artifact-name': ''
    })
    expect(result.code).toBe(0)
    expect(result.outputs).toMatchObject({ compliant: 'true', required: '2', passed: '2' })
    expect(result.stdout).toContain(`--test-list ${workdir}/runs/`)
    expect(result.stdout).toMatch(new RegExp(`refstack-client test -c ${workdir}/conf/tempest.conf `))
    expect(readFileSync(path.join(workdir, 'conf', 'tempest.conf'), 'utf8')).toMatch(
      /use_dynamic_credentials = false/
    )
    expect(readFileSync(osaConf, 'utf8')).toBe(original)
    expect(result.summary).toContain('Partial run')
    expect(result.summary).toContain('the original is unchanged')
    expect(result.summary).toMatch(
      /^Test credentials: openrc-account \(none admin\): one pre-provisioned account, user 'demo'/m
    )
    const report = JSON.parse(readFileSync(result.outputs['report-file'], 'utf8'))
    expect(report.credentials).toMatchObject({ kind: 'openrc-account', admin: false })
  })
})
