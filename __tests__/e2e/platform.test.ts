/**
 * The seed's program end to end: the bundled action runs the real 2020.06 "platform" program (compute + object)
 * through the real refstack-client and Tempest against the loopback cloud's compute side (real Nova, Placement,
 * Glance, Neutron, Cinder with fake hypervisor/volume drivers; scripts/dev-cloud/compute-up.sh).
 *
 * A platform run takes minutes, so the runs are made once, in this order, and shared by the assertions:
 *   1. serial,
 *   2. `parallel: true` (the worker count from the accounts file: 6 here).
 * A copy of the tempest.conf without `xenapi_apis` and `public_network_id` (the metadata capabilities and
 * networks-l3-CRUD fail, the summary names each option) is run in preflight.test.ts, whose pre-flight predicts
 * exactly those failures.
 * The `program: compute` partial check is report-only (`results-file`) on the serial run's stream: a second
 * real compute run would add ten minutes and test nothing the serial platform run did not already run.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { marked } from 'marked'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { parseGuideline } from '../../src/guideline/parse.js'
import { programCapabilities } from '../../src/guideline/select.js'
import type { Report } from '../../src/report/report.js'
import { expectPredictionMatchesOutcome } from '../helpers/prediction.js'
// @ts-expect-error -- plain JavaScript helper shared with npm run demo
import { ROOT, devCloudEnv, runAction } from '../../scripts/lib/run-action.mjs'

interface ActionResult {
  code: number
  stdout: string
  summary: string
  outputs: Record<string, string>
}
interface Capability {
  name: string
  status: 'passed' | 'failed'
  tests: Array<{ name: string; outcome: string; detail?: string; flagged: boolean }>
}

const skip = inject('cloudSkipReason')
const VALIDATION = ['compute-servers-host', 'compute-servers-verify']
const MINUTES = 60_000

function report(result: ActionResult): { capabilities: Capability[] } {
  return fullReport(result).compliance as unknown as { capabilities: Capability[] }
}

function fullReport(result: ActionResult): Report {
  return JSON.parse(readFileSync(result.outputs['report-file'], 'utf8')) as Report
}

describe.skipIf(skip !== '')(
  `platform program on the loopback compute cloud${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    let cloud: Record<string, string>
    const platform = (inputs: Record<string, string>): Promise<ActionResult> =>
      runAction({
        guideline: '2020.06',
        'guideline-source': 'bundled',
        program: 'platform',
        'tempest-conf': cloud.PLATFORM_TEMPEST_CONF,
        'artifact-name': '',
        ...inputs
      })

    let serial: ActionResult
    let parallel: ActionResult
    beforeAll(async () => {
      cloud = devCloudEnv()
      if (!cloud.PLATFORM_TEMPEST_CONF) {
        throw new Error(
          'The compute side is not up: scripts/dev-cloud/up.sh --compute (the e2e global setup runs it)'
        )
      }
      const t0 = Date.now()
      serial = await platform({ parallel: 'false' })
      const t1 = Date.now()
      parallel = await platform({ parallel: 'true' })
      // Information for the README (npm run bench:platform measures it on its own); never asserted.
      const minutes = (ms: number): string => `${(ms / MINUTES).toFixed(1)} min`
      console.log(
        `platform runs: serial ${minutes(t1 - t0)}, parallel: true ${minutes(Date.now() - t1)}, ratio ${((t1 - t0) / (Date.now() - t1)).toFixed(2)}x`
      )
    }, 60 * MINUTES)

    it.each([
      ['serial', () => serial],
      ['parallel: true', () => parallel]
    ])(
      '%s: not compliant, failing exactly compute-servers-host and -verify; every other required test passed',
      (_, run) => {
        const result = run()
        expect(result.code).toBe(1)
        expect(result.outputs.compliant).toBe('false')
        const compliance = report(result)
        expect(compliance.capabilities).toHaveLength(78)
        const failing = compliance.capabilities.filter((c) => c.status === 'failed')
        expect(failing.map((c) => c.name).sort()).toEqual(VALIDATION)
        // The only required tests that did not pass are theirs, skipped for instance validation (flagged tests
        // are not run: reported, never deciding).
        const notPassed = compliance.capabilities
          .flatMap((c) => c.tests)
          .filter((t) => !t.flagged && t.outcome !== 'passed')
        expect(notPassed.length).toBeGreaterThan(0)
        for (const test of notPassed) {
          expect(test.outcome).toBe('skipped')
          expect(test.detail).toContain('Instance validation tests are disabled')
        }
        expect(Number(result.outputs.failed)).toBe(0)
        expect(Number(result.outputs.passed)).toBe(Number(result.outputs.required) - notPassed.length)
        const error = result.stdout.split('\n').find((line) => line.startsWith('::error::Not compliant'))
        expect(error).toContain('compute-servers-host')
      }
    )

    it.each([
      ['serial', () => serial],
      ['parallel: true', () => parallel]
    ])(
      '%s: the pre-flight (preflight: warn) predicted exactly the required tests that did not pass',
      (_, run) => {
        const predicted = expectPredictionMatchesOutcome(fullReport(run()))
        expect(predicted).toBeGreaterThan(0)
        expect(run().summary).toContain('### Pre-flight')
      }
    )

    it('serial: the summary leads with the two failing capabilities, why, and the option that fixes them', async () => {
      const summary = serial.summary
      const failingAt = summary.indexOf('### Failing capabilities (2 of 78)')
      const passingAt = summary.indexOf('<details><summary>Passing capabilities (76 of 78)</summary>')
      expect(failingAt).toBeGreaterThan(0)
      expect(passingAt).toBeGreaterThan(failingAt)
      const failingTable = summary.slice(failingAt, passingAt)
      for (const name of VALIDATION) {
        const row = failingTable.split('\n').find((line) => line.startsWith(`| ❌ | ${name} |`))
        expect(row).toContain('instance validation is off')
        expect(row).toContain('`[validation] run_validation = true`, with an image whose guests answer SSH')
      }
      // The skipped tests name their capability and the fix too.
      expect(summary).toMatch(
        /- `tempest\.api\.compute\.servers\.test_create_server\.\S+` \(compute-servers-\S+\) — skipped: instance validation is off.*; fix: `\[validation\] run_validation = true`/
      )
      // As GitHub renders it: the failing rows come before the collapsed passing table.
      const html = await marked.parse(summary)
      expect(html.indexOf('<td>compute-servers-host</td>')).toBeLessThan(html.indexOf('<details>'))
      expect(html.match(/<tr>\s*<td>✅<\/td>/g)?.length).toBe(76)
    })

    it('parallel: true ran 6 Tempest workers over the 36 pre-provisioned accounts', () => {
      expect(parallel.stdout).toContain('Tempest runs with 6 workers')
      expect(parallel.stdout).toMatch(/refstack-client test -c \S+ --test-list \S+ -v -p/)
      // stestr's closing worker table: one line per worker.
      const balance = parallel.stdout.slice(parallel.stdout.lastIndexOf('Worker Balance'))
      expect(balance.match(/^ - Worker \d+ /gm)?.length).toBe(6)
    })

    it('program compute without the two validation capabilities: compliant, and labelled partial', async () => {
      // Report-only, on the serial platform run's stream (it ran every compute test).
      const text = readFileSync(path.join(ROOT, 'data/guidelines/2020.06.json'), 'utf8')
      const guideline = parseGuideline(text, { source: 'bundled 2020.06.json', fileName: '2020.06.json' })
      const compute = programCapabilities(guideline, 'compute')
        .filter((c) => c.status === 'required' && !VALIDATION.includes(c.name))
        .map((c) => c.name)
      const result: ActionResult = await runAction({
        guideline: '2020.06',
        'guideline-source': 'bundled',
        program: 'compute',
        capabilities: compute.join(','),
        'results-file': serial.outputs['results-file'],
        'artifact-name': ''
      })
      expect(result.code).toBe(0)
      expect(result.outputs.compliant).toBe('true')
      expect(report(result).capabilities).toHaveLength(compute.length)
      expect(result.summary).toContain('program **compute** (selected capabilities only)')
      expect(result.summary).toContain('Partial run: only the capabilities selected with `capabilities`')
    })
  }
)
