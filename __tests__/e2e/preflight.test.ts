/**
 * The pre-flight end to end: the bundled action with `preflight: only` against the loopback compute cloud
 * (Keystone, Swift, Nova, Glance, Neutron, Cinder, Placement), with the cloud's own tempest.conf and with a
 * copy lacking xenapi_apis and public_network_id; the dns program against a cloud without Designate; and a
 * capabilities-restricted real run with that copy whose outcome equals the prediction (the cloud's own
 * tempest.conf is held to its prediction by platform.test.ts, on the outcome of the shared real run; the
 * `preflight: only` run with it is made once for both files, and the real run with the copy is one of the
 * compute runs the global setup starts in the background: shared-runs.ts).
 */
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import type { Report } from '../../src/report/report.js'
import { expectPredictionMatchesOutcome } from '../helpers/prediction.js'
// @ts-expect-error -- plain JavaScript helper shared with npm run demo
import { devCloudEnv, devCloudSshInputs, runAction } from '../../scripts/lib/run-action.mjs'
import {
  type ActionResult,
  METADATA_CAPABILITIES,
  ROUTER_CAPABILITY,
  platformPreflight,
  strippedConf,
  strippedRun
} from './shared-runs.js'

const cloudSkip = inject('cloudSkipReason')

function computeSkipReason(): string {
  if (cloudSkip !== '') return cloudSkip
  let platformConf: string | undefined
  try {
    platformConf = devCloudEnv().PLATFORM_TEMPEST_CONF
  } catch {
    platformConf = undefined
  }
  if (platformConf) return ''
  const reason = 'the compute side of the loopback cloud is not up (no PLATFORM_TEMPEST_CONF in its env file)'
  if (process.env.CI === 'true') throw new Error(`End-to-end tests cannot run under CI=true: ${reason}`)
  return reason
}
const skip = computeSkipReason()

const METADATA_TESTS = [
  'test_delete_server_metadata_item',
  'test_get_server_metadata_item',
  'test_list_server_metadata',
  'test_set_server_metadata',
  'test_set_server_metadata_item',
  'test_update_server_metadata'
].map((t) => `tempest.api.compute.servers.test_server_metadata.ServerMetadataTestJSON.${t}`)
const ROUTER_TEST = 'tempest.api.network.test_routers.RoutersTest.test_create_show_list_update_delete_router'

function report(result: { outputs: Record<string, string> }): Report {
  return JSON.parse(readFileSync(result.outputs['report-file'], 'utf8')) as Report
}

/** "Pre-flight took 3.2 s: …" as the action logs it; printed, so the speed is on record (not asserted). */
function preflightSeconds(stdout: string, label: string): number {
  const seconds = Number(/Pre-flight took ([\d.]+) s/.exec(stdout)?.[1])
  console.log(`${label}: pre-flight step ${seconds} s`)
  return seconds
}

describe.skipIf(skip !== '')(
  `pre-flight on the loopback compute cloud${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    let cloud: Record<string, string>
    let stripped: string
    let workdir: string
    beforeAll(() => {
      cloud = devCloudEnv()
      workdir = path.join(mkdtempSync(path.join(tmpdir(), 'preflight-e2e-')), 'workdir')
      // The cloud's tempest.conf without the two options Tempest 33 needs for 2020.06's metadata and router tests.
      stripped = strippedConf()
      const text = readFileSync(stripped, 'utf8')
      expect(text).not.toMatch(/^xenapi_apis\s*=/m)
      expect(text).not.toMatch(/^public_network_id\s*=/m)
      expect(text).toMatch(/^\[compute-feature-enabled\]$/m)
    })

    const only = (inputs: Record<string, string>) =>
      runAction({
        guideline: '2020.06',
        'guideline-source': 'bundled',
        program: 'platform',
        preflight: 'only',
        workdir,
        'artifact-name': '',
        ...inputs
      })

    it("with the cloud's tempest.conf: only the 2 run_validation skips are predicted; Tempest does not run", async () => {
      // The run platform.test.ts holds to the outcome of the shared real run (made once per test run).
      const result = await platformPreflight()
      preflightSeconds(result.stdout, 'platform, preflight: only')
      expect(result.stdout).not.toContain('refstack-client test')
      expect(result.code).toBe(1)
      expect(result.stdout).toMatch(/::error::Pre-flight: 2 of \d+ required tests are predicted not to pass/)
      const r = report(result)
      expect(r.preflight?.notPassing.map((t) => t.name).sort()).toEqual([
        'tempest.api.compute.servers.test_create_server.ServersTestJSON.test_host_name_is_same_as_server_name',
        'tempest.api.compute.servers.test_create_server.ServersTestJSON.test_verify_created_server_vcpus'
      ])
      expect(r.preflight?.findings.map((f) => f.fix)).toEqual(['set [validation] run_validation = true'])
      expect(result.summary).toContain('## RefStack interop: pre-flight only')
      expect(result.summary).toContain('| Finding | Required tests it affects | Fix |')
      expect(result.stdout).toMatch(
        /::warning title=Pre-flight%3A config::\[validation\] run_validation = false/
      )
      // Every account of the accounts file got a token, named in no finding.
      expect(r.preflight?.findings.some((f) => f.kind === 'accounts')).toBe(false)
    })

    it('without xenapi_apis and public_network_id: the metadata and router tests are named with the fix', async () => {
      const result = await only({ 'tempest-conf': stripped })
      preflightSeconds(result.stdout, 'platform stripped, preflight: only')
      expect(result.code).toBe(1)
      const r = report(result)
      const predicted = r.preflight?.notPassing.map((t) => t.name) ?? []
      expect(predicted).toEqual(expect.arrayContaining([...METADATA_TESTS, ROUTER_TEST]))
      const fixes = r.preflight?.findings.map((f) => f.fix)
      expect(fixes).toContain('set [compute-feature-enabled] xenapi_apis = true')
      expect(fixes).toContain('set [network] public_network_id')
      expect(result.summary).toMatch(
        /\[compute-feature-enabled\] xenapi_apis = false: Tempest skips these tests/
      )
      expect(result.summary).toMatch(/in compute-servers-metadata-delete, /)
      expect(result.summary).toMatch(/\[network\] public_network_id = "": .* in networks-l3-CRUD/)
    })

    it('fail-on-noncompliance: false reports the prediction and passes the step', async () => {
      const result = await only({ 'tempest-conf': stripped, 'fail-on-noncompliance': 'false' })
      expect(result.code).toBe(0)
      expect(result.stdout).toMatch(
        /::warning::Pre-flight: \d+ of \d+ required tests are predicted not to pass/
      )
    })

    it('over SSH, program object: nothing predicted, the step passes without running Tempest', async () => {
      const result = await only({
        program: 'object',
        'tempest-conf': cloud.PLATFORM_TEMPEST_CONF,
        ...devCloudSshInputs(cloud)
      })
      expect(result.stdout).not.toContain('refstack-client test')
      expect(result.code).toBe(0)
      expect(report(result).preflight).toMatchObject({ findings: [], notPassing: [], required: 58 })
      expect(result.summary).toContain('No finding: all 58 required tests are predicted to run.')
    })

    it('program dns: names the service missing from the catalog and the tests Tempest lacks', async () => {
      const result = await only({
        guideline: 'dns.2020.06',
        program: 'dns',
        'tempest-conf': cloud.PLATFORM_TEMPEST_CONF
      })
      expect(result.code).toBe(1)
      const r = report(result)
      const catalog = r.preflight?.findings.find((f) => f.kind === 'catalog')
      expect(catalog?.finding).toBe("The catalog has no 'dns' service (dns tests)")
      expect(catalog?.tests.length).toBe(r.preflight?.required)
      expect(result.summary).toContain("The catalog has no 'dns' service")
      expect(r.preflight?.findings.find((f) => f.kind === 'tempest')?.fix).toBe(
        'install the Tempest plugin or the Tempest version that has them'
      )
    })

    // One real run with the stripped copy, shared by the assertions below (strippedRun: the metadata
    // capabilities, networks-l3-CRUD and compute-flavors-list). The same prediction against the cloud's own
    // tempest.conf is held to the outcome of the shared real run in platform.test.ts (every capability).
    describe('a real run with the copy without xenapi_apis and public_network_id', () => {
      let result: ActionResult
      beforeAll(async () => {
        result = await strippedRun()
      }, 90 * 60_000)

      it('the tests that did not pass are exactly the predicted ones, xenapi_apis and public_network_id named', () => {
        expect(result.stdout).toContain('refstack-client test')
        const r = report(result)
        expect(r.compliance.testsRun).toBeGreaterThan(0)
        expect(expectPredictionMatchesOutcome(r)).toBeGreaterThan(0)
        const findings = JSON.stringify(r.preflight?.findings)
        expect(findings).toContain('xenapi_apis')
        expect(findings).toContain('public_network_id')
        expect(result.summary).toContain('### Pre-flight (')
      })

      it('fails exactly the metadata capabilities and networks-l3-CRUD, each row naming its option', () => {
        expect(result.code).toBe(1)
        const capabilities = report(result).compliance.capabilities
        expect(
          capabilities
            .filter((c) => c.status === 'failed')
            .map((c) => c.name)
            .sort()
        ).toEqual([...METADATA_CAPABILITIES, ROUTER_CAPABILITY].sort())
        expect(capabilities.find((c) => c.name === 'compute-flavors-list')?.status).toBe('passed')
        const failingTable = result.summary.slice(result.summary.indexOf('### Failing capabilities (6 of 7)'))
        const row = (name: string): string | undefined =>
          failingTable.split('\n').find((line) => line.startsWith(`| ❌ | ${name} |`))
        for (const name of METADATA_CAPABILITIES) {
          expect(row(name)).toContain('Tempest treats server metadata as read-only')
          expect(row(name)).toContain('`[compute-feature-enabled] xenapi_apis = true`')
        }
        expect(row(ROUTER_CAPABILITY)).toContain('no external network configured')
        expect(row(ROUTER_CAPABILITY)).toContain('`[network] public_network_id`')
      })
    })
  }
)
