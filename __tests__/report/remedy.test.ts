import { marked } from 'marked'
import { describe, expect, it } from 'vitest'
import { capabilitySections, reasonOf, skippedLine } from '../../src/report/capability-summary.js'
import { shortName } from '../../src/report/markdown.js'
import { remedyFor } from '../../src/report/remedy.js'
import type { CapabilityVerdict, TestVerdict } from '../../src/results/model.js'

describe('remedyFor', () => {
  // Tempest 33's own skip messages, as they appear in the streams of the loopback cloud (see the e2e tests).
  it.each([
    ['Instance validation tests are disabled.', '`[validation] run_validation = true`'],
    [
      'setUpClass (tempest.api.compute.servers.test_server_metadata.ServerMetadataTestJSON) was skipped, so the test never ran:\nMetadata is read-only on non-Xen-based deployments.',
      '`[compute-feature-enabled] xenapi_apis = true`'
    ],
    ['The public_network_id option must be specified.', '`[network] public_network_id`'],
    ['Cinder is not available.', '`[service_available] cinder = true`'],
    ['Neutron is not available.', '`[service_available] neutron = true`'],
    ['Glance is not available.', '`[service_available] glance = true`'],
    ['Nova is not available', '`[service_available] nova = true`'],
    ['Swift is not available.', '`[service_available] swift = true`']
  ])('%j -> %s', (reason, fix) => {
    expect(remedyFor(reason)?.fix).toContain(fix)
  })

  it.each([
    undefined,
    '',
    'Traceback (most recent call last):\n  AssertionError: 404 != 200',
    'Volume backup is not enabled'
  ])('knows no fix for %j', (reason) => {
    expect(remedyFor(reason)).toBeUndefined()
  })
})

const test = (name: string, outcome: TestVerdict['outcome'], detail?: string): TestVerdict => ({
  name,
  aliases: [],
  flagged: false,
  outcome,
  detail
})
const capability = (name: string, tests: TestVerdict[]): CapabilityVerdict => {
  const passed = tests.filter((t) => t.outcome === 'passed').length
  return {
    name,
    status: passed === tests.length ? 'passed' : 'failed',
    tests,
    passed,
    total: tests.length,
    flagged: 0
  } as CapabilityVerdict
}

describe('capabilitySections', () => {
  const host = test(
    'tempest.api.compute.servers.test_create_server.ServersTestJSON.test_host_name_is_same_as_server_name',
    'skipped',
    'Instance validation tests are disabled.'
  )
  const broken = test(
    'tempest.api.object_storage.test_object_slo.ObjectSloTest.test_upload_manifest',
    'failed',
    'Traceback (most recent call last):\n  File "x.py", line 1\ntesttools.matchers._impl.MismatchError: 201 != 400'
  )
  const capabilities = [
    capability('compute-flavors-list', [test('tempest.api.compute.flavors.FlavorsTest.test_list', 'passed')]),
    capability('compute-servers-host', [host]),
    capability('objectstore-slo-support', [broken, test('tempest.api.object_storage.X.test_y', 'passed')])
  ]

  it('leads with the failing capabilities: tests, why and what fixes it; the passing ones folded after', () => {
    const lines = capabilitySections(capabilities)
    const text = lines.join('\n')
    expect(lines[0]).toBe('### Failing capabilities (2 of 3)')
    expect(text).toContain(
      '| ❌ | compute-servers-host | 0/1 |  | `ServersTestJSON.test_host_name_is_same_as_server_name` | skipped: instance validation is off, so Tempest does not log in to the guest | `[validation] run_validation = true`, with an image whose guests answer SSH'
    )
    expect(text).toContain(
      '| ❌ | objectstore-slo-support | 1/2 |  | `ObjectSloTest.test_upload_manifest` | failed: testtools.matchers.&#95;impl.MismatchError: 201 != 400 |  |'
    )
    const folded = text.indexOf('<details><summary>Passing capabilities (1 of 3)</summary>')
    expect(folded).toBeGreaterThan(text.indexOf('objectstore-slo-support'))
    expect(text.slice(folded)).toContain('| ✅ | compute-flavors-list | 1/1 |  |')
  })

  it('keeps a reason with a pipe or markup in its own cell, shown as written', async () => {
    const piped = test('a.B.test_c', 'failed', 'Traceback\nValueError: <a> | <b>')
    const html = await marked.parse(capabilitySections([capability('cap-x', [piped])]).join('\n'))
    expect(html).toMatch(/<td>failed: ValueError: &lt;a&gt; &#124; &lt;b&gt;<\/td>\s*<td><\/td>\s*<\/tr>/)
  })

  it('with nothing failing, only the folded passing table', () => {
    const lines = capabilitySections([capabilities[0]])
    expect(lines[0]).toBe('<details><summary>Passing capabilities (1 of 1)</summary>')
  })

  it('names a skipped test by class and method, with its capability and fix', () => {
    expect(shortName(host.name)).toBe('ServersTestJSON.test_host_name_is_same_as_server_name')
    expect(reasonOf(test('a.B.test_c', 'missing'))).toBe('missing')
    expect(skippedLine(host, capabilities)).toBe(
      `- \`${host.name}\` (compute-servers-host) — skipped: instance validation is off, so Tempest does not log in to the guest; fix: \`[validation] run_validation = true\`, with an image whose guests answer SSH (\`[validation] image_ssh_user\`) on a network Tempest reaches`
    )
  })
})
