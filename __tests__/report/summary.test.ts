import { describe, expect, it } from 'vitest'
import { marked } from 'marked'
import { fitBudget, renderSummary, trimTraceback, verdictLine } from '../../src/report/summary.js'
import { report } from '../helpers/report-fixture.js'

describe('job summary', () => {
  it('starts with the verdict line', () => {
    expect(verdictLine(report())).toBe(
      '❌ **Not compliant** with OpenStack interop guideline **2020.06**, program **object**: 1/3 required tests passed (33.3%), 1m 35s'
    )
  })

  it('gives the run time as the progress lines do, rounded once', () => {
    const durations = [119.6, 3725, 4].map((seconds) => {
      const r = report()
      r.run!.durationSeconds = seconds
      return /, ([^,]+)$/.exec(verdictLine(r))?.[1]
    })
    expect(durations).toEqual(['2m 0s', '1h 2m', '4s'])
  })

  it('names the Tempest that ran, whose it is, refstack-client and what the run installed', () => {
    const r = report()
    expect(renderSummary(r)).not.toContain('Tempest ')
    r.run!.tempest = {
      version: '33.0.0',
      path: '/openstack/venvs/tempest-31.1.0/bin/tempest',
      workspace: '/root/workspace',
      owner: 'operator'
    }
    r.run!.refstackClient = 'deb 0.0.0~2021.08.18.fa73ef2524-5'
    r.run!.installed = 'refstack-client 0.0.0~2021.08.18.fa73ef2524-5 (Debian/Ubuntu package)'
    expect(renderSummary(r)).toContain(
      "Tempest 33.0.0 (the target's own): /openstack/venvs/tempest-31.1.0/bin/tempest, workspace /root/workspace · refstack-client deb 0.0.0~2021.08.18.fa73ef2524-5 · installed by this run: refstack-client 0.0.0~2021.08.18.fa73ef2524-5 (Debian/Ubuntu package)\n"
    )
    r.run!.tempest.owner = 'refstack-client'
    r.run!.installed = undefined
    expect(renderSummary(r)).toMatch(
      /Tempest 33\.0\.0 \(refstack-client's\): \S+, workspace \/root\/workspace · refstack-client deb \S+\n/
    )
  })

  it('renders to HTML with the capability table, the failure with its escaped traceback, and the result link', async () => {
    const r = report()
    r.upload = { url: 'https://refstack.example.com/#/results/abc', id: 'abc' }
    const html = await marked.parse(renderSummary(r))
    expect(html).toContain('<table>')
    expect(html).toMatch(/<td>❌<\/td>\s*<td>objectstore-slo-support<\/td>\s*<td>0\/2<\/td>/)
    expect(html).toMatch(
      /<td>✅<\/td>\s*<td>objectstore-container-create<\/td>\s*<td>1\/1<\/td>\s*<td>1<\/td>/
    )
    expect(html).toContain('<a href="https://refstack.example.com/#/results/abc">')
    expect(html).toContain(
      '<summary>tempest.api.object_storage.test_object_slo.ObjectSloTest.test_upload_manifest</summary>'
    )
    expect(html).toContain('&lt;b&gt;not html&lt;/b&gt;')
    expect(html).toContain('Skipped: no container sync')
    expect(html).toContain('Flagged tests (1)')
  })

  it('says when nothing ran, when the run is partial, and what went wrong', () => {
    const r = report({ testsRun: 0 })
    r.partial = true
    r.errors = ['The subunit stream x is damaged at byte 10: CRC mismatch']
    const md = renderSummary(r)
    expect(md).toContain('No tests ran: zero tests is never compliance.')
    expect(md).toContain('Partial run')
    expect(md).toContain('damaged at byte 10')
  })

  it('keeps the end of long tracebacks, where the cause is', () => {
    const long = Array.from({ length: 200 }, (_, i) => `line ${i}`).join('\n')
    const trimmed = trimTraceback(long)
    expect(trimmed).toContain('line 199')
    expect(trimmed).not.toContain('line 100\n')
    expect(trimmed).toMatch(/^line 0\n… \(cut; the full text is in the results artifact\)\n/)
  })

  it('stays under the size budget with a visible note', () => {
    const huge = '<details><summary>x</summary>\n\n<pre>' + 'y'.repeat(2_000_000)
    const fitted = fitBudget(huge, 100_000)
    expect(Buffer.byteLength(fitted)).toBeLessThanOrEqual(100_000)
    expect(fitted).toContain('The summary was cut at ')
    expect(fitted).toContain('</pre>\n\n</details>')
  })
})
