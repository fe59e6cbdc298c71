/**
 * `baseline` and `reports` on real runs of the loopback cloud: a healthy run of the 2020.06 object program,
 * one with Swift's object server stopped (compared with the healthy one), the healthy run's stream judged again
 * report-only (`results-file`) against the broken one, then the fleet summary of the three reports. The healthy run is started as a person runs
 * the action from a checkout: `npm run local` (scripts/local-run.mjs) with a .env file, over SSH to the
 * loopback sshd, the key read with `@file`.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { marked } from 'marked'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import type { Report } from '../../src/report/report.js'
// @ts-expect-error -- plain JavaScript helper shared with npm run demo
import { ROOT, devCloudEnv, runAction } from '../../scripts/lib/run-action.mjs'
import { computeRunsSettled } from './shared-runs.js'

const skip = inject('cloudSkipReason')
const SWIFT_SERVER = path.join(ROOT, 'scripts', 'dev-cloud', 'swift-server.sh')
const OBJECT = { guideline: '2020.06', 'guideline-source': 'bundled', program: 'object' }

describe.skipIf(skip !== '')(
  `baseline and fleet on real loopback runs${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    let cloud: Record<string, string>
    const reports: Record<string, string> = {}
    const work = mkdtempSync(path.join(tmpdir(), 'baseline-fleet-'))
    const read = (file: string): Report => JSON.parse(readFileSync(file, 'utf8')) as Report
    beforeAll(() => {
      cloud = devCloudEnv()
    })

    it('a healthy run through npm run local over SSH: compliant, cloud-name in report.json', () => {
      const env = path.join(work, '.env')
      writeFileSync(
        env,
        [
          ...Object.entries(OBJECT).map(([k, v]) => `${k}=${v}`),
          `tempest-conf=${cloud.TEMPEST_CONF}`,
          `ssh-host=${cloud.SSH_HOST}`,
          `ssh-port=${cloud.SSH_PORT}`,
          `ssh-user=${cloud.SSH_USER}`,
          `ssh-private-key=@${cloud.SSH_KEY}`,
          `ssh-known-hosts=@${cloud.SSH_KNOWN_HOSTS}`,
          'cloud-name=region-one',
          'artifact-name='
        ].join('\n')
      )
      const run = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'local-run.mjs'), env], {
        cwd: ROOT,
        encoding: 'utf8',
        env: Object.fromEntries(
          Object.entries(process.env).filter(([k]) => !/^(INPUT_|GITHUB_|STATE_)/.test(k))
        )
      })
      expect(run.status).toBe(0)
      expect(run.stdout).toContain('compliant: true')
      const file = /^report-file: (.+)$/m.exec(run.stdout)?.[1]
      expect(file).toBeDefined()
      reports.healthy = file!
      const report = read(file!)
      expect(report).toMatchObject({
        cloudName: 'region-one',
        target: expect.stringMatching(/^root@127\.0\.0\.1:/)
      })
      expect(report.compliance.passed).toBe(58)
    })

    describe("with Swift's object server stopped", () => {
      // Stopping it must not fail the platform program's object tests in the compute runs in the background.
      beforeAll(() => computeRunsSettled(), 90 * 60_000)
      it('compared with the healthy run: new failures, capabilities that changed, compliance then → now', async () => {
        expect(reports.healthy).toBeDefined()
        execFileSync('bash', [SWIFT_SERVER, 'stop', 'object'], { stdio: 'ignore' })
        let result
        try {
          result = await runAction({
            ...OBJECT,
            'tempest-conf': cloud.TEMPEST_CONF,
            baseline: reports.healthy,
            'cloud-name': 'region-two',
            // Nothing can be deleted from the accounts while objects cannot be reached; the next run cleans.
            'clean-test-accounts': 'false',
            'artifact-name': ''
          })
        } finally {
          execFileSync('bash', [SWIFT_SERVER, 'start', 'object'], { stdio: 'ignore' })
        }
        expect(result.code).toBe(1)
        expect(result.outputs.compliant).toBe('false')
        const report = read(result.outputs['report-file'])
        reports.broken = result.outputs['report-file']
        const comparison = report.baseline!
        // Every required test that does not pass now passed in the healthy run: all of them are new failures.
        expect(comparison.newFailures.length).toBe(report.compliance.required - report.compliance.passed)
        expect(comparison.newFailures.length).toBeGreaterThan(0)
        expect(result.outputs['new-failures']).toBe(String(comparison.newFailures.length))
        expect(result.outputs.fixed).toBe('0')
        expect(comparison.fixed).toEqual([])
        expect(comparison.capabilitiesChanged.map((c) => c.name).sort()).toEqual(
          [...report.compliance.failingCapabilities].sort()
        )
        expect(comparison.capabilitiesChanged.every((c) => c.then === 'passed' && c.now === 'failed')).toBe(
          true
        )
        expect(comparison.then).toMatchObject({ compliant: true, percent: 100 })
        expect(comparison.scope).toBeUndefined()
        // Object operations fail; the object-create capability is among those that changed.
        expect(report.compliance.failingCapabilities).toContain('objectstore-object-create')
        expect(result.summary).toContain('### Since the baseline')
        expect(result.summary).toContain(
          `Compliance then → now: ✅ 100% (58/58) → ❌ ${report.compliance.percent}% (${report.compliance.passed}/58)`
        )
        expect(result.summary).toContain('| objectstore-object-create | ✅ passed | ❌ failed |')
      })
    })

    it('healthy again, compared with the broken run: the same tests fixed, nothing new failing', async () => {
      expect(reports.broken).toBeDefined()
      // The healthy run's stream judged again (report-only), as a later healthy night against the broken one.
      const stream = read(reports.healthy!).files.stream
      expect(stream).toBeDefined()
      const result = await runAction({
        ...OBJECT,
        'results-file': stream,
        baseline: reports.broken,
        'artifact-name': ''
      })
      expect(result.code).toBe(0)
      const report = read(result.outputs['report-file'])
      reports.again = result.outputs['report-file']
      const broken = read(reports.broken)
      expect(report.baseline!.fixed.sort()).toEqual(broken.baseline!.newFailures.map((t) => t.name).sort())
      expect(result.outputs).toMatchObject({
        'new-failures': '0',
        fixed: String(broken.baseline!.newFailures.length)
      })
    })

    it('reports: one table of the three runs, a capability × cloud grid, failing for the broken cloud', async () => {
      expect(Object.keys(reports)).toHaveLength(3)
      // As actions/download-artifact lays out every artifact of a matrix: one folder per artifact.
      const downloaded = path.join(work, 'reports')
      for (const [artifact, file] of Object.entries(reports)) {
        mkdirSync(path.join(downloaded, `refstack-${artifact}`), { recursive: true })
        copyFileSync(file, path.join(downloaded, `refstack-${artifact}`, 'report.json'))
      }
      const result = await runAction(
        { reports: 'reports/*/report.json', 'artifact-name': '' },
        { workspace: work }
      )
      expect(result.code).toBe(1)
      expect(result.stdout).toMatch(/::error::1 of 3 clouds not compliant: region-two \(/)
      expect(result.outputs).toMatchObject({ compliant: 'false', guideline: '2020.06', program: 'object' })
      // Named by cloud-name, else by the artifact's folder; in path order.
      const rows = result.summary.match(/^\| (✅|❌) \| [^|]+ \|/gm)
      expect(rows).toEqual(['| ✅ | refstack-again |', '| ❌ | region-two |', '| ✅ | region-one |'])
      expect(result.summary).toContain('| Capability | refstack-again | region-two | region-one |')
      expect(result.summary).toContain('| objectstore-object-create | ✅ | ❌ | ✅ |')
      const html = await marked.parse(result.summary)
      expect(html.match(/<table>/g)).toHaveLength(2)
      // Nothing was provisioned or run.
      expect(result.stdout).not.toMatch(/refstack-client|Provision/)

      const reportOnly = await runAction(
        { reports: 'reports/*/report.json', 'fail-on-noncompliance': 'false', 'artifact-name': '' },
        { workspace: work }
      )
      expect(reportOnly.code).toBe(0)
      expect(reportOnly.stdout).toMatch(
        /::warning::1 of 3 clouds not compliant: .*\(fail-on-noncompliance is false\)/
      )
    })
  }
)
