import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseGuideline } from '../../src/guideline/parse.js'
import { selectProgram } from '../../src/guideline/select.js'
import { optionFix, type PreflightRaw, predict } from '../../src/preflight/findings.js'
import { preflightAnnotations, preflightSection } from '../../src/preflight/summary.js'
import { BUNDLED_DIR } from '../helpers/refstack-server.js'

const bundled = (file: string) =>
  parseGuideline(readFileSync(path.join(BUNDLED_DIR, file), 'utf8'), {
    source: `bundled ${file}`,
    fileName: file
  })
const g2020 = bundled('2020.06.json')
const object = selectProgram(g2020, 'object', [])

/** preflight.py's answer for a healthy cloud: every account logs in, every name installed, nothing skipped. */
function healthy(selection = object): PreflightRaw {
  const names = selection.capabilities.flatMap((c) => c.tests.flatMap((t) => [t.name, ...t.aliases]))
  return {
    tempest: '33.0.0',
    accounts: [{ user: 'tempest1', project: 'tempest1', ok: true, error: null }],
    identity: [{ option: 'uri_v3', uri: 'http://127.0.0.1:5000/v3', ok: true, error: null }],
    catalog: ['identity', 'object-store'],
    resources: [],
    tests: [...new Set(names)].map((name) => ({ name })),
    errors: [],
    seconds: 1
  }
}

describe('predict', () => {
  it('predicts nothing for a healthy cloud', () => {
    const prediction = predict(object, healthy())
    expect(prediction).toMatchObject({ findings: [], notPassing: [], required: 58, tempest: '33.0.0' })
  })

  it('a test not installed under any of its names is missing; a moved one says where it went', () => {
    const raw = healthy()
    const quotas = 'tempest.api.object_storage.test_account_quotas.AccountQuotasTest.test_upload_valid_object'
    const info = 'tempest.api.object_storage.test_crossdomain.CrossdomainTest.test_get_crossdomain_policy'
    for (const entry of raw.tests) {
      if (entry.name === quotas)
        Object.assign(entry, {
          missing: 'no test',
          movedTo: ['tempest.api.object_storage.test_x.New.test_upload']
        })
      if (entry.name === info) entry.missing = 'no module tempest.api.object_storage.test_crossdomain'
    }
    const prediction = predict(object, raw)
    expect(prediction.notPassing).toEqual(
      [
        {
          name: quotas,
          outcome: 'missing',
          reason:
            'moved to tempest.api.object_storage.test_x.New.test_upload: this guideline predates your Tempest'
        },
        { name: info, outcome: 'missing', reason: 'no module tempest.api.object_storage.test_crossdomain' }
      ].filter((t) => object.capabilities.some((c) => c.tests.some((g) => g.name === t.name)))
    )
    expect(prediction.notPassing.length).toBeGreaterThan(0)
    expect(prediction.findings.map((f) => f.kind)).toEqual(prediction.notPassing.map(() => 'tempest'))
  })

  it('a test installed under an alias is not missing', () => {
    const platform = selectProgram(g2020, 'platform', [])
    const tests = platform.capabilities.flatMap((c) => c.tests)
    const names = new Set(tests.map((t) => t.name))
    const renamed = tests.filter((t) => t.aliases.length > 0 && t.aliases.every((a) => !names.has(a)))
    expect(renamed.length).toBeGreaterThan(0)
    const raw = healthy(platform)
    for (const entry of raw.tests) if (entry.name === renamed[0].name) entry.missing = 'renamed'
    expect(predict(platform, raw).notPassing).toEqual([])
    // and with its aliases gone too, it is missing
    for (const entry of raw.tests) if (renamed[0].aliases.includes(entry.name)) entry.missing = 'renamed'
    expect(predict(platform, raw).notPassing.map((t) => t.name)).toEqual([renamed[0].name])
  })

  it('a service missing from the catalog fails its tests, naming the catalog type and the option', () => {
    const raw = healthy()
    raw.catalog = ['identity']
    for (const entry of raw.tests) {
      if (entry.name.startsWith('tempest.api.object_storage.')) {
        entry.service = { service: 'object_storage', catalogType: 'object-store', group: 'object-storage' }
      }
    }
    const prediction = predict(object, raw)
    expect(prediction.findings).toHaveLength(1)
    expect(prediction.findings[0]).toMatchObject({
      kind: 'catalog',
      finding: "The catalog has no 'object-store' service (object_storage tests)",
      fix: 'deploy the object_storage service and register its endpoint, or set [object-storage] catalog_type to the type the catalog uses'
    })
    const swift = object.capabilities.filter((c) => c.name.startsWith('objectstore-'))
    expect(prediction.findings[0].capabilities).toEqual(swift.map((c) => c.name))
    expect(prediction.notPassing.every((t) => t.name.startsWith('tempest.api.object_storage.'))).toBe(true)
    expect(prediction.notPassing).toHaveLength(56)
  })

  it('every account refused: every test fails; one of several refused: named, no test predicted', () => {
    const raw = healthy()
    raw.accounts = [{ user: 'tempest1', project: 'p1', ok: false, error: 'HTTP 401' }]
    const all = predict(object, raw)
    expect(all.findings[0].finding).toBe(
      'Keystone refused a token to every account of [auth] test_accounts_file (tempest1: HTTP 401)'
    )
    expect(all.notPassing).toHaveLength(58)
    raw.accounts.push({ user: 'tempest2', project: 'p2', ok: true, error: null })
    const one = predict(object, raw)
    expect(one.notPassing).toEqual([])
    expect(one.findings).toEqual([
      {
        kind: 'accounts',
        finding:
          "Keystone refused a token to account 'tempest1' (project p1): HTTP 401; the tests Tempest gives it will fail",
        fix: "fix or remove 'tempest1' in [auth] test_accounts_file",
        tests: [],
        capabilities: []
      }
    ])
    // Never a password: the raw answer carries none, the findings only user and project names.
    expect(JSON.stringify(one)).not.toMatch(/password\b(?! )/)
  })

  it('an image_ref that does not exist fails the compute tests', () => {
    const compute = selectProgram(g2020, 'compute', [])
    const raw = healthy(compute)
    raw.catalog = ['compute', 'identity', 'image', 'network', 'volumev3']
    raw.resources = [{ group: 'compute', option: 'image_ref', value: 'gone', ok: false, error: 'HTTP 404' }]
    const prediction = predict(compute, raw)
    const finding = prediction.findings.find((f) => f.kind === 'resource')
    expect(finding?.finding).toBe('[compute] image_ref = gone does not exist in the cloud (HTTP 404)')
    expect(finding?.fix).toBe('set [compute] image_ref to the id of an existing image (openstack image list)')
    expect(finding?.tests.every((t) => t.startsWith('tempest.api.compute.'))).toBe(true)
    expect(finding?.tests.length).toBeGreaterThan(0)
  })

  it('a skip takes its fix from the option that decided it', () => {
    expect(optionFix({ group: 'compute-feature-enabled', option: 'xenapi_apis', value: false })).toBe(
      'set [compute-feature-enabled] xenapi_apis = true'
    )
    expect(optionFix({ group: 'network', option: 'public_network_id', value: '' })).toBe(
      'set [network] public_network_id'
    )
    expect(optionFix({ group: 'compute', option: 'min_microversion', value: '2.99' })).toBe(
      'change [compute] min_microversion (now "2.99")'
    )
  })
})

describe('the Pre-flight section', () => {
  it('is a table of finding, affected tests and capabilities, fix; and a warning per finding', () => {
    const raw = healthy()
    raw.catalog = ['identity']
    for (const entry of raw.tests) {
      entry.service = { service: 'object_storage', catalogType: 'object-store', group: 'object-storage' }
    }
    const prediction = predict(object, raw)
    const markdown = preflightSection(prediction, 2.345).join('\n')
    expect(markdown).toContain('### Pre-flight (2.3 s, Tempest 33.0.0)')
    expect(markdown).toContain('**58 of 58 required tests are predicted not to pass.**')
    expect(markdown).toContain('| Finding | Required tests it affects | Fix |')
    expect(markdown).toMatch(
      /\| The catalog has no 'object-store' service \(object_storage tests\) \| 58 \(.*, and 53 more\) in identity-v3-tokens-create, .*, objectstore-object-delete and 15 more \|/
    )
    expect(preflightAnnotations(prediction)).toEqual([
      {
        title: 'Pre-flight: catalog',
        message: expect.stringMatching(
          /^The catalog has no 'object-store' service .* Fix: deploy the object_storage service/
        )
      }
    ])
    expect(preflightSection(predict(object, healthy()), 1).join('\n')).toContain(
      'No finding: all 58 required tests are predicted to run.'
    )
  })
})
