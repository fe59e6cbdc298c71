/**
 * The seed's program end to end: the real 2020.06 "platform" program (compute + object) through the real
 * refstack-client and Tempest against the loopback cloud's compute side (real Nova, Placement, Glance, Neutron,
 * Cinder with fake hypervisor/volume drivers; scripts/dev-cloud/compute-up.sh).
 *
 * The cloud gets one real run for every file that needs it (shared-runs.ts): the platform list and SCS-0128's
 * in one plain list, `parallel: true` (6 workers from the 36 accounts). Here its stream is judged by the
 * platform program report-only (`results-file`), as a nightly's stream is judged again; the pre-flight's
 * prediction for the cloud's tempest.conf (`preflight: only`) is held to that outcome. The `program: compute`
 * partial check is report-only on the same stream. A serial run is no longer made here: it gave the same verdict
 * on the same tests, and the serial path (refstack-client without -p) is run end to end by object-local.test.ts.
 * A copy of the tempest.conf without `xenapi_apis` and `public_network_id` is run in preflight.test.ts.
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
import { ROOT, runAction } from '../../scripts/lib/run-action.mjs'
import {
  type ActionResult,
  type ComputeRun,
  computeRun,
  platformPreflight,
  platformVerdict,
  readReport
} from './shared-runs.js'
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
  return readReport(result)
}

describe.skipIf(skip !== '')(
  `platform program on the loopback compute cloud${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    let shared: ComputeRun
    let verdict: ActionResult
    beforeAll(async () => {
      shared = await computeRun()
      verdict = await platformVerdict()
    }, 60 * MINUTES)

    it('not compliant, failing exactly compute-servers-host and -verify; every other required test passed', () => {
      const result = verdict
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
    })

    it('the pre-flight for this tempest.conf predicted exactly the required tests that did not pass', async () => {
      // The prediction `preflight: only` makes, with the platform outcome of the real run.
      const prediction = fullReport(await platformPreflight()).preflight
      const predicted = expectPredictionMatchesOutcome({ ...fullReport(verdict), preflight: prediction })
      expect(predicted).toBeGreaterThan(0)
      // The real run made its own pre-flight first (preflight: warn) over the whole joined list, reported it,
      // and named the same platform tests among its predictions.
      expect(shared.result.summary).toContain('### Pre-flight')
      const inRun = (fullReport(shared.result).preflight?.notPassing ?? []).map((t) => t.name)
      expect(inRun).toEqual(expect.arrayContaining(prediction?.notPassing.map((t) => t.name) ?? ['none']))
    })

    it('the summary leads with the two failing capabilities, why, and the option that fixes them', async () => {
      const summary = verdict.summary
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
      const run = shared.result
      expect(run.stdout).toContain('Tempest runs with 6 workers')
      expect(run.stdout).toMatch(/refstack-client test -c \S+ --test-list \S+ -v -p/)
      // stestr's closing worker table: one line per worker.
      const balance = run.stdout.slice(run.stdout.lastIndexOf('Worker Balance'))
      expect(balance.match(/^ - Worker \d+ /gm)?.length).toBe(6)
    })

    it('program compute without the two validation capabilities: compliant, and labelled partial', async () => {
      // Report-only, on the shared run's stream (it ran every compute test).
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
        'results-file': shared.result.outputs['results-file'],
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
