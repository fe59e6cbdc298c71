import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { Capability, GuidelineTest, ProgramSelection } from '../../src/guideline/model.js'
import { computeCompliance } from '../../src/results/compliance.js'
import type { Attachment, TestResult, TestStatus } from '../../src/results/model.js'
import { readSubunitFile } from '../../src/results/subunit.js'

const REAL = fileURLToPath(new URL('../../__fixtures__/subunit/real-run/', import.meta.url))

// ------------------------------------------------------------------------------------------ builders

type TestSpec = string | { name: string; aliases?: string[]; flagged?: boolean }

function selection(caps: Record<string, TestSpec[]>): ProgramSelection {
  return {
    guideline: {
      id: 'test',
      source: 'test',
      schema: '2.0',
      status: 'approved',
      releases: [],
      programs: ['object'],
      raw: {}
    },
    program: 'object',
    partial: false,
    capabilities: Object.entries(caps).map(([name, tests]): Capability => ({
      name,
      status: 'required',
      tests: tests.map((t): GuidelineTest => {
        const spec = typeof t === 'string' ? { name: t } : t
        const test: GuidelineTest = { name: spec.name, aliases: spec.aliases ?? [] }
        if (spec.flagged) test.flagged = { reason: 'broken upstream' }
        return test
      })
    }))
  }
}

const att = (name: string, text: string): Attachment => ({ name, text, truncated: false })

function result(id: string, status: TestStatus, attachments: Attachment[] = []): TestResult {
  return { id, status, tags: [], attachments }
}

const TB = 'Traceback (most recent call last):\n  File "x.py", line 1\nAssertionError: boom\n'

// ------------------------------------------------------------------------------------------ table tests

interface Case {
  title: string
  caps: Record<string, TestSpec[]>
  results: TestResult[]
  expect: {
    compliant: boolean
    percent: number
    required: number
    passed: number
    failed?: number
    missing?: number
    skipped?: number
    flagged?: number
    failing: string[]
    outcomes?: Record<string, string>
    detail?: Record<string, RegExp>
  }
}

const CASES: Case[] = [
  {
    title: 'every test passed (ids matched without their [...] attributes)',
    caps: { a: ['m.C.t1', 'm.C.t2'], b: ['m.D.t3'] },
    results: [
      result('m.C.t1[id-1,smoke]', 'success'),
      result('m.C.t2', 'success'),
      result('m.D.t3[id-3]', 'success')
    ],
    expect: {
      compliant: true,
      percent: 100,
      required: 3,
      passed: 3,
      failing: [],
      outcomes: { 'm.C.t1': 'passed' }
    }
  },
  {
    title: 'one failure fails its capability, with the traceback as detail',
    caps: { a: ['m.C.t1', 'm.C.t2'], b: ['m.D.t3'] },
    results: [
      result('m.C.t1[id-1]', 'success'),
      result('m.C.t2[id-2]', 'fail', [att('traceback', TB)]),
      result('m.D.t3', 'success')
    ],
    expect: {
      compliant: false,
      percent: 66.7,
      required: 3,
      passed: 2,
      failed: 1,
      failing: ['a'],
      detail: { 'm.C.t2': /AssertionError: boom/ }
    }
  },
  {
    title: 'an alias that passed passes the test',
    caps: { a: [{ name: 'm.C.new_name', aliases: ['m.C.old_name'] }] },
    results: [result('m.C.old_name[id-9]', 'success')],
    expect: {
      compliant: true,
      percent: 100,
      required: 1,
      passed: 1,
      failing: [],
      outcomes: { 'm.C.new_name': 'passed' }
    }
  },
  {
    title: 'the name passing is enough even when an alias failed',
    caps: { a: [{ name: 'm.C.new_name', aliases: ['m.C.old_name'] }] },
    results: [result('m.C.old_name', 'fail'), result('m.C.new_name', 'success')],
    expect: { compliant: true, percent: 100, required: 1, passed: 1, failing: [] }
  },
  {
    title: 'a flagged test that failed is reported but does not block or count as required',
    caps: { a: ['m.C.t1', { name: 'm.C.t2', flagged: true }] },
    results: [result('m.C.t1', 'success'), result('m.C.t2', 'fail')],
    expect: {
      compliant: true,
      percent: 100,
      required: 1,
      passed: 1,
      flagged: 1,
      failing: [],
      outcomes: { 'm.C.t2': 'failed' }
    }
  },
  {
    title: 'a required test that did not run is missing',
    caps: { a: ['m.C.t1', 'm.C.t2'] },
    results: [result('m.C.t1', 'success')],
    expect: {
      compliant: false,
      percent: 50,
      required: 2,
      passed: 1,
      missing: 1,
      failing: ['a'],
      detail: { 'm.C.t2': /Not in the results/ }
    }
  },
  {
    title: 'a test only enumerated (exists) is missing: listed, never run',
    caps: { a: ['m.C.t1', 'm.C.t2'] },
    results: [result('m.C.t1', 'success'), result('m.C.t2[id-2]', 'exists')],
    expect: {
      compliant: false,
      percent: 50,
      required: 2,
      passed: 1,
      missing: 1,
      failing: ['a'],
      detail: { 'm.C.t2': /never run/ }
    }
  },
  {
    title: 'a skipped required test is skipped, not passed, with its reason',
    caps: { a: ['m.C.t1', 'm.C.t2'] },
    results: [result('m.C.t1', 'success'), result('m.C.t2', 'skip', [att('reason', 'Feature not enabled')])],
    expect: {
      compliant: false,
      percent: 50,
      required: 2,
      passed: 1,
      skipped: 1,
      failing: ['a'],
      detail: { 'm.C.t2': /^Feature not enabled$/ }
    }
  },
  {
    title:
      'setUpClass failed: the absent tests of that class fail with its traceback; other classes unaffected',
    caps: { a: ['m.C.t1', 'm.C.t2'], b: ['m.D.t3'] },
    results: [result('setUpClass (m.C)', 'fail', [att('traceback', TB)]), result('m.D.t3', 'success')],
    expect: {
      compliant: false,
      percent: 33.3,
      required: 3,
      passed: 1,
      failed: 2,
      failing: ['a'],
      detail: {
        'm.C.t1': /^setUpClass \(m\.C\) failed, so the test never ran:\nTraceback[\s\S]*AssertionError: boom/
      }
    }
  },
  {
    title: 'setUpClass skipped (service not enabled): the tests of the class are skipped with the reason',
    caps: { a: ['m.C.t1'] },
    results: [result('setUpClass (m.C)', 'skip', [att('reason', 'glance caching off')])],
    expect: {
      compliant: false,
      percent: 0,
      required: 1,
      passed: 0,
      skipped: 1,
      failing: ['a'],
      detail: { 'm.C.t1': /glance caching off/ }
    }
  },
  {
    title: 'setUpModule failed: every absent test of the module fails',
    caps: { a: ['pkg.mod.C.t1', 'pkg.mod.D.t2', 'pkg.other.E.t3'] },
    results: [
      result('setUpModule (pkg.mod)', 'fail', [att('traceback', TB)]),
      result('pkg.other.E.t3', 'success')
    ],
    expect: {
      compliant: false,
      percent: 33.3,
      required: 3,
      passed: 1,
      failed: 2,
      failing: ['a'],
      outcomes: { 'pkg.mod.C.t1': 'failed', 'pkg.mod.D.t2': 'failed', 'pkg.other.E.t3': 'passed' }
    }
  },
  {
    title: 'tearDownClass failing after the tests passed does not undo the passes',
    caps: { a: ['m.C.t1'] },
    results: [result('m.C.t1', 'success'), result('tearDownClass (m.C)', 'fail', [att('traceback', TB)])],
    expect: { compliant: true, percent: 100, required: 1, passed: 1, failing: [] }
  },
  {
    title: 'a test in two capabilities counts in both rows and once in the distinct counts',
    caps: { a: ['m.C.shared', 'm.C.t1'], b: ['m.C.shared'] },
    results: [result('m.C.shared', 'fail'), result('m.C.t1', 'success')],
    expect: { compliant: false, percent: 50, required: 2, passed: 1, failed: 1, failing: ['a', 'b'] }
  },
  {
    title: 'xfail, uxsuccess and an unfinished test are failures',
    caps: { a: ['m.C.x', 'm.C.u', 'm.C.i'] },
    results: [result('m.C.x', 'xfail'), result('m.C.u', 'uxsuccess'), result('m.C.i', 'inprogress')],
    expect: {
      compliant: false,
      percent: 0,
      required: 3,
      passed: 0,
      failed: 3,
      failing: ['a'],
      detail: { 'm.C.x': /^Expected failure/, 'm.C.u': /^Unexpected success/, 'm.C.i': /^Did not finish/ }
    }
  },
  {
    title: 'zero tests run is never compliant',
    caps: { a: [{ name: 'm.C.t1', flagged: true }] },
    results: [],
    expect: { compliant: false, percent: 0, required: 0, passed: 0, flagged: 1, failing: [] }
  },
  {
    title:
      'an empty selection is not compliant even when tests ran (the RefStack UI says YES here; we do not)',
    caps: {},
    results: [result('m.C.t1', 'success')],
    expect: { compliant: false, percent: 0, required: 0, passed: 0, failing: [] }
  },
  {
    title: 'only the subunit.parser pseudo-test: zero tests ran',
    caps: { a: ['m.C.t1'] },
    results: [result('subunit.parser', 'fail')],
    expect: { compliant: false, percent: 0, required: 1, passed: 0, missing: 1, failing: ['a'] }
  }
]

describe('computeCompliance', () => {
  it.each(CASES)('$title', ({ caps, results, expect: want }) => {
    const c = computeCompliance(selection(caps), results)
    expect({
      compliant: c.compliant,
      percent: c.percent,
      required: c.required,
      passed: c.passed,
      failed: c.failed,
      missing: c.missing,
      skipped: c.skipped,
      flagged: c.flagged,
      failing: c.failingCapabilities
    }).toEqual({
      failed: 0,
      missing: 0,
      skipped: 0,
      flagged: 0,
      ...want,
      outcomes: undefined,
      detail: undefined
    })
    for (const [name, outcome] of Object.entries(want.outcomes ?? {})) {
      expect(c.tests.find((t) => t.name === name)?.outcome, name).toBe(outcome)
    }
    for (const [name, re] of Object.entries(want.detail ?? {})) {
      expect(c.tests.find((t) => t.name === name)?.detail, name).toMatch(re)
    }
    // The distinct counts add up, and each row counts only its non-flagged tests.
    expect(c.passed + c.failed + c.missing + c.skipped).toBe(c.required)
    for (const cap of c.capabilities) {
      expect(cap.total).toBe(cap.tests.filter((t) => !t.flagged).length)
      expect(cap.status).toBe(cap.passed === cap.total ? 'passed' : 'failed')
    }
  })

  it('keeps the guideline order, the matched id and the idempotent id', () => {
    const sel = selection({ a: ['m.C.b', 'm.C.a'] })
    sel.capabilities[0].tests[0].idempotentId = 'id-1234'
    const c = computeCompliance(sel, [
      result('m.C.a[id-5678]', 'success'),
      result('m.C.b[id-1234,smoke]', 'success')
    ])
    expect(c.tests.map((t) => [t.name, t.matchedId, t.idempotentId])).toEqual([
      ['m.C.b', 'm.C.b[id-1234,smoke]', '1234'],
      ['m.C.a', 'm.C.a[id-5678]', undefined]
    ])
    expect(c.testsRun).toBe(2)
  })

  it('a shared test appears in each capability row with that row`s own flag', () => {
    const c = computeCompliance(selection({ a: ['m.C.s'], b: [{ name: 'm.C.s', flagged: true }] }), [
      result('m.C.s', 'fail')
    ])
    expect(c.capabilities.map((cap) => [cap.name, cap.status, cap.passed, cap.total, cap.flagged])).toEqual([
      ['a', 'failed', 0, 1, 0],
      ['b', 'passed', 0, 0, 1]
    ])
    // Not flagged everywhere: it still blocks.
    expect(c.required).toBe(1)
    expect(c.flagged).toBe(0)
    expect(c.compliant).toBe(false)
  })

  it.each([
    [57, 58, 98.3],
    [1999, 2000, 99.9],
    [1, 2000, 0.1],
    [2, 3, 66.7]
  ])('percent of %i/%i is %d (never 100.0 unless all passed)', (passed, total, percent) => {
    const names = Array.from({ length: total }, (_, i) => `m.C.t${i}`)
    const results = names.map((n, i) => result(n, i < passed ? 'success' : 'fail'))
    expect(computeCompliance(selection({ a: names }), results).percent).toBe(percent)
  })

  describe('reruns', () => {
    const caps = { a: ['m.C.t1', 'm.C.t2'] }
    const firstRun = [result('m.C.t1', 'success'), result('m.C.t2[id-2]', 'fail', [att('traceback', TB)])]

    it('a test that fails first and passes on a rerun counts as passed and is flaky', () => {
      const c = computeCompliance(selection(caps), firstRun, {
        reruns: [[result('m.C.t2[id-2]', 'success')]]
      })
      expect(c.compliant).toBe(true)
      expect(c.flaky).toBe(1)
      const t2 = c.tests.find((t) => t.name === 'm.C.t2')!
      expect(t2).toMatchObject({ outcome: 'passed', flaky: true, matchedId: 'm.C.t2[id-2]' })
      expect(t2.detail).toMatch(/first attempt: failed/)
      expect(c.tests.find((t) => t.name === 'm.C.t1')?.flaky).toBeUndefined()
    })

    it('failing again on every rerun stays failed, not flaky, with the latest failure', () => {
      const c = computeCompliance(selection(caps), firstRun, {
        reruns: [
          [result('m.C.t2', 'fail', [att('traceback', 'first rerun')])],
          [result('m.C.t2', 'fail', [att('traceback', 'second rerun')])]
        ]
      })
      expect(c.compliant).toBe(false)
      expect(c.flaky).toBe(0)
      expect(c.tests.find((t) => t.name === 'm.C.t2')).toMatchObject({
        outcome: 'failed',
        detail: 'second rerun'
      })
    })

    it('a second rerun that passes still counts', () => {
      const c = computeCompliance(selection(caps), firstRun, {
        reruns: [[result('m.C.t2', 'fail')], [result('m.C.t2', 'success')]]
      })
      expect(c).toMatchObject({ compliant: true, flaky: 1, passed: 2 })
    })
  })
})

// ------------------------------------------------------------------------------------------ real runs

/** A tiny test-only reader of the 2020.06 guideline (schema 2.0): the program's required capabilities. */
function objectSelection2020(): ProgramSelection {
  const raw = JSON.parse(readFileSync(path.join(REAL, 'guideline-2020.06.json'), 'utf8')) as {
    components: Record<string, { capabilities: { required: string[] } }>
    capabilities: Record<
      string,
      { tests: Record<string, { idempotent_id?: string; aliases?: string[]; flagged?: { reason: string } }> }
    >
  }
  const capabilities = raw.components.os_powered_storage.capabilities.required.map((name): Capability => ({
    name,
    status: 'required',
    tests: Object.entries(raw.capabilities[name].tests).map(([test, t]) => {
      const g: GuidelineTest = { name: test, aliases: t.aliases ?? [] }
      if (t.idempotent_id) g.idempotentId = t.idempotent_id.replace(/^id-/, '')
      if (t.flagged) g.flagged = t.flagged
      return g
    })
  }))
  return {
    guideline: {
      id: '2020.06',
      source: 'fixture',
      schema: '2.0',
      status: 'approved',
      releases: [],
      programs: ['object'],
      raw
    },
    program: 'object',
    capabilities,
    partial: false
  }
}

describe('real refstack-client runs against 2020.06 object', () => {
  const sel = objectSelection2020()

  it('the selection is the 20 capabilities / 58 distinct required tests the docs give', () => {
    expect(sel.capabilities).toHaveLength(20)
    expect(new Set(sel.capabilities.flatMap((c) => c.tests.map((t) => t.name))).size).toBe(58)
  })

  it('first run on fresh accounts: compliant, 58/58, every capability passed', async () => {
    const read = await readSubunitFile(path.join(REAL, 'object-2020.06-local.v1'))
    expect(read.error).toBeUndefined()
    const c = computeCompliance(sel, read.tests)
    expect(c).toMatchObject({
      compliant: true,
      percent: 100,
      required: 58,
      passed: 58,
      failed: 0,
      missing: 0,
      skipped: 0,
      flagged: 0,
      flaky: 0,
      testsRun: 59,
      failingCapabilities: []
    })
    expect(c.capabilities.every((cap) => cap.status === 'passed')).toBe(true)
    // The per-capability rows count the two shared tests twice, as the RefStack UI does.
    expect(c.capabilities.reduce((n, cap) => n + cap.total, 0)).toBe(60)
    expect(c.tests.every((t) => t.matchedId !== undefined && t.matchedId.startsWith(t.name))).toBe(true)
  })

  it('re-used accounts: test_list_no_containers failed, objectstore-account-list fails, 57/58', async () => {
    const read = await readSubunitFile(path.join(REAL, 'object-2020.06-reused-accounts-failed.v1'))
    const c = computeCompliance(sel, read.tests)
    expect(c).toMatchObject({
      compliant: false,
      percent: 98.3,
      required: 58,
      passed: 57,
      failed: 1,
      missing: 0
    })
    expect(c.failingCapabilities).toEqual(['objectstore-account-list'])
    const failed = c.tests.filter((t) => t.outcome !== 'passed')
    expect(failed.map((t) => t.name)).toEqual([
      'tempest.api.object_storage.test_account_services.AccountTest.test_list_no_containers'
    ])
    expect(failed[0].matchedId).toMatch(/\[id-884ec421-/)
    expect(failed[0].detail).toMatch(/^Traceback \(most recent call last\):/)
    expect(failed[0].detail).toMatch(/MismatchError|AssertionError|Error/)
  })

  it('cloud down: setUpClass of TokensV3Test failed, its tests fail with the traceback, nothing compliant', async () => {
    const read = await readSubunitFile(path.join(REAL, 'cloud-down.v1'))
    expect(read.tests.map((t) => [t.id, t.status])).toEqual([
      ['setUpClass (tempest.api.identity.v3.test_tokens.TokensV3Test)', 'fail']
    ])
    const c = computeCompliance(sel, read.tests)
    expect(c).toMatchObject({ compliant: false, percent: 0, passed: 0, failed: 2, missing: 56, testsRun: 1 })
    const tokens = c.tests.filter((t) => t.name.includes('TokensV3Test'))
    expect(tokens.map((t) => t.outcome)).toEqual(['failed', 'failed'])
    for (const t of tokens) {
      expect(t.matchedId).toBe('setUpClass (tempest.api.identity.v3.test_tokens.TokensV3Test)')
      expect(t.detail).toMatch(
        /^setUpClass \(tempest\.api\.identity\.v3\.test_tokens\.TokensV3Test\) failed, so the test never ran:\nTraceback/
      )
      expect(t.detail).toMatch(/Connection refused|ConnectionError|NewConnectionError/)
    }
    expect(c.failingCapabilities).toHaveLength(20)
  })
})
