import { describe, expect, it } from 'vitest'
import { ActionError } from '../../src/errors.js'
import { bundledList } from '../../src/guideline/source.js'
import { runListFor } from '../../src/guideline/test-list.js'
import {
  looksLikeTestList,
  parseTestList,
  selectListedTests,
  serviceOf
} from '../../src/guideline/plain-list.js'

const origin = { id: 'mine.lst', source: 'mine.lst' }
const A = 'tempest.api.compute.flavors.test_flavors.FlavorsV2TestJSON.test_list_flavors'
const B = 'tempest.api.object_storage.test_account_services.AccountTest.test_list_containers'
const C = 'tempest.scenario.test_server_basic_ops.TestServerBasicOps.test_server_basic_ops'

const thrown = (fn: () => unknown): ActionError => {
  try {
    fn()
  } catch (error) {
    if (error instanceof ActionError) return error
    throw error
  }
  throw new Error('did not throw')
}

describe('parseTestList', () => {
  it('comments, blank lines, CRLF, a BOM, attributes kept for the run and split off for the verdict', () => {
    const text = `\uFEFF# cloud A\r\n\r\n${A}[id-e36c0eaa-dff5-4082-ad1f-3f9a80aa3f59,smoke]\r\n  ${B}   # flaky here\r\n${C}[]\r\n`
    const list = parseTestList(text, origin)
    expect(list.list?.lines).toEqual([`${A}[id-e36c0eaa-dff5-4082-ad1f-3f9a80aa3f59,smoke]`, B, `${C}[]`])
    expect(list.list?.tests).toEqual([
      { name: A, aliases: [], idempotentId: 'e36c0eaa-dff5-4082-ad1f-3f9a80aa3f59' },
      { name: B, aliases: [] },
      { name: C, aliases: [] }
    ])
    expect(list.list?.rule).toBe('no-test-failed')
    expect(list.releases).toEqual([])
  })

  it('a test listed twice (with and without attributes) is one test', () => {
    const list = parseTestList(`${A}\n${A}[id-x,smoke]\n`, origin)
    expect(list.list?.lines).toEqual([A])
  })

  it.each([
    ['tempest.api.compute test_x', 2],
    ['tempest.api', 2],
    ['tempest.api.compute.A.b[id-1] trailing', 2],
    ['{"not": "a list"}', 2]
  ])('%s → ActionError naming the line', (bad, line) => {
    const error = thrown(() => parseTestList(`${A}\n${bad}\n`, origin))
    expect(error.message).toBe(`Input 'guideline': mine.lst, line ${line} is not a Tempest test id: '${bad}'`)
    expect(error.hint).toContain('one test id per line')
  })

  it.each(['\u001b', '\u009b', '\u2028'])(
    'a control character (%j) → ActionError naming the line and the character',
    (control) => {
      const error = thrown(() => parseTestList(`${A}\n# ok\n${B}[id-1${control}]\n`, origin))
      const code = control.charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()
      expect(error.message).toBe(`Input 'guideline': mine.lst, line 3 holds the control character U+${code}`)
    }
  )

  it('only comments → ActionError', () => {
    expect(() => parseTestList('# nothing\n\n', origin)).toThrow(/the test list mine.lst names no test/)
  })

  it('guideline JSON is not a list', () => {
    expect(looksLikeTestList('  \n{"schema": "2.0"}')).toBe(false)
    expect(looksLikeTestList(`${A}\n`)).toBe(true)
  })
})

describe('services and selection', () => {
  it.each([
    [A, 'compute'],
    [B, 'object-storage'],
    [C, 'scenario'],
    [
      'designate_tempest_plugin.tests.api.v2.test_zones.ZonesTest.test_create_zone',
      'designate-tempest-plugin'
    ]
  ])('%s → %s', (name, service) => {
    expect(serviceOf(name)).toBe(service)
  })

  it('one required group per service, in order of appearance; a filter narrows to services', () => {
    const list = parseTestList(`${B}\n${A}\n${C}\n`, origin)
    const all = selectListedTests(list, [], false)
    expect(all.capabilities.map((c) => [c.name, c.tests.length])).toEqual([
      ['object-storage', 1],
      ['compute', 1],
      ['scenario', 1]
    ])
    expect(all).toMatchObject({ partial: false, rule: 'no-test-failed', groupedBy: 'service' })
    const some = selectListedTests(list, ['comp*', 'dns'], false)
    expect(some.capabilities.map((c) => c.name)).toEqual(['compute'])
    expect(some).toMatchObject({ partial: true, unmatchedFilter: ['dns'] })
    expect(runListFor(some)).toEqual([A])
  })

  it('fail-on-skipped turns the rule into every-test-passed', () => {
    const list = parseTestList(`${A}\n`, origin)
    expect(selectListedTests(list, [], true).rule).toBe('every-test-passed')
  })

  it('a filter that matches no service → ActionError listing them', () => {
    const list = parseTestList(`${A}\n${B}\n`, origin)
    const error = thrown(() => selectListedTests(list, ['identity'], false))
    expect(error.message).toBe("Input 'capabilities' (identity) matches no service of the test list mine.lst")
    expect(error.hint).toContain('compute, object-storage')
  })

  it('scs-0128 (any case) is the bundled SCS list: 258 tests, the standard’s rule', async () => {
    const scs = await bundledList('SCS-0128')
    expect(scs?.id).toBe('scs-0128')
    expect(scs?.list?.tests).toHaveLength(258)
    expect(scs?.list?.ruleSource).toContain('Tempest MUST NOT report any failed test cases')
    expect(await bundledList('scs-0999')).toBeUndefined()
  })
})
