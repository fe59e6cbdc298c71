/**
 * The one reader of every pass: with the verdict's names, `readSubunit` keeps only what the verdict needs and
 * counts the rest, and gives the verdict it gives when it keeps the whole stream; `readResults`' messages; the
 * JUnit file written in two streaming passes holds what the in-memory document holds.
 */
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { describe, expect, it } from 'vitest'
import { parseGuideline } from '../../src/guideline/parse.js'
import { selectProgram } from '../../src/guideline/select.js'
import { computeCompliance, wantedNames } from '../../src/results/compliance.js'
import { writeJUnitFile } from '../../src/report/junit.js'
import type { StreamRead, TestResult } from '../../src/results/model.js'
import { readResults } from '../../src/results/read.js'
import { readSubunitFile } from '../../src/results/subunit.js'
import { baseName, parseFixture } from '../../src/results/test-id.js'

const FIXTURES = fileURLToPath(new URL('../../__fixtures__/subunit/', import.meta.url))
const REAL = path.join(FIXTURES, 'real-run')

const streams = [
  ...readdirSync(FIXTURES)
    .filter((f) => /\.v[12]$/.test(f))
    .map((f) => path.join(FIXTURES, f)),
  ...readdirSync(REAL)
    .filter((f) => f.endsWith('.v1'))
    .map((f) => path.join(REAL, f))
]

const ran = (read: StreamRead): number =>
  read.tests.filter((t) => t.status !== 'exists' && t.id !== 'subunit.parser').length

function objectSelection(): ReturnType<typeof selectProgram> {
  const text = readFileSync(path.join(REAL, 'guideline-2020.06.json'), 'utf8')
  return selectProgram(parseGuideline(text, { source: 'test', fileName: '2020.06.json' }), 'object', [])
}

describe('readSubunit', () => {
  it('has fixtures to check against', () => {
    expect(streams.length).toBeGreaterThanOrEqual(12)
  })

  it.each(streams.map((f) => [path.relative(FIXTURES, f), f]))(
    '%s: without a wanted set, every test is kept; the counts are those of the tests',
    async (_, file) => {
      const full = await readSubunitFile(file)
      expect(full.tests.length).toBeGreaterThan(0)
      expect(full.distinct).toBe(full.tests.length)
      expect(full.testsRun).toBe(ran(full))
    }
  )

  it.each(streams.map((f) => [path.relative(FIXTURES, f), f]))(
    '%s: with the selection`s names, only those and the fixtures are kept; the verdict is the same',
    async (_, file) => {
      const sel = objectSelection()
      const wanted = wantedNames(sel)
      const full = await readSubunitFile(file)
      const digest = await readSubunitFile(file, wanted)
      const keep = (t: TestResult): boolean => wanted.has(baseName(t.id)) || parseFixture(t.id) !== undefined
      expect(digest.tests).toEqual(full.tests.filter(keep))
      expect([digest.format, digest.bytes, digest.error]).toEqual([full.format, full.bytes, full.error])
      expect([digest.distinct, digest.testsRun]).toEqual([full.tests.length, ran(full)])
      expect(computeCompliance(sel, digest.tests, { testsRun: digest.testsRun })).toEqual(
        computeCompliance(sel, full.tests)
      )
    }
  )

  it('a stream listing ids many times counts each once', async () => {
    const lines = [
      'test: a.B.c',
      'success: a.B.c',
      'test: a.B.c',
      'failure: a.B.c',
      'test: a.B.d',
      'skip: a.B.d'
    ]
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'digest-')), 'x.v1')
    writeFileSync(file, lines.join('\n') + '\n')
    const digest = await readSubunitFile(file, new Set(['a.B.c']))
    // A pass in any record is the pass; the failed record stays with it (flaky).
    expect(digest.tests.map((t) => [t.id, t.status, t.failedRecord?.status])).toEqual([
      ['a.B.c', 'success', 'fail']
    ])
    expect([digest.distinct, digest.testsRun]).toEqual([2, 2])
  })

  it('contradictory records of one id fold the same whatever their order', async () => {
    const records = [
      ['test: a.B.c', 'failure: a.B.c [', 'AssertionError: boom', ']'],
      ['test: a.B.c', 'skip: a.B.c'],
      ['test: a.B.c', 'success: a.B.c'],
      ['test: a.B.c']
    ]
    const orders = [
      [0, 1, 2, 3],
      [3, 2, 1, 0],
      [2, 0, 3, 1],
      [1, 3, 0, 2]
    ]
    const dir = mkdtempSync(path.join(tmpdir(), 'digest-'))
    for (const order of orders) {
      const file = path.join(dir, `${order.join('')}.v1`)
      writeFileSync(file, order.flatMap((i) => records[i]).join('\n') + '\n')
      const [test] = (await readSubunitFile(file)).tests
      expect([test.status, test.failedRecord?.status], order.join()).toEqual(['success', 'fail'])
      expect(test.failedRecord?.attachments.map((a) => a.text).join(''), order.join()).toContain('boom')
    }
  })

  it('without a pass, a failure outweighs a skip and an unfinished record, in any order', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'digest-'))
    for (const lines of [
      ['test: a.B.c', 'skip: a.B.c', 'test: a.B.c', 'failure: a.B.c', 'test: a.B.c'],
      ['test: a.B.c', 'failure: a.B.c', 'test: a.B.c', 'skip: a.B.c', 'test: a.B.c']
    ]) {
      const file = path.join(dir, 'x.v1')
      writeFileSync(file, lines.join('\n') + '\n')
      const [test] = (await readSubunitFile(file)).tests
      expect(test.status).toBe('fail')
      expect(test.failedRecord).toBeUndefined()
    }
  })
})

describe('computeCompliance testsRun', () => {
  it('the given count is the one reported (the kept results are only part of the stream)', () => {
    const sel = objectSelection()
    expect(computeCompliance(sel, [], { testsRun: 1234 }).testsRun).toBe(1234)
    expect(computeCompliance(sel, []).testsRun).toBe(0)
  })
})

describe('readResults', () => {
  it('a damaged stream: the error names the byte and the tests read before it', async () => {
    const file = path.join(FIXTURES, 'truncated.v1')
    const full = await readSubunitFile(file)
    const { read, errors } = await readResults(file)
    expect(errors).toEqual([
      `The subunit stream ${file} is damaged at byte ${full.error!.offset}: ${full.error!.message}. The ${full.tests.length} tests read before it are reported.`
    ])
    expect(read!.distinct).toBe(full.tests.length)
  })

  it('an empty stream: no tests ran; reruns are read with the same wanted set', async () => {
    const empty = path.join(mkdtempSync(path.join(tmpdir(), 'digest-')), 'empty')
    writeFileSync(empty, '')
    const rerun = path.join(FIXTURES, 'rerun-concat.v2')
    const { read, reruns, errors } = await readResults(
      empty,
      { timedOut: false, logFile: 'log', rerunStreams: [rerun] },
      { wanted: new Set(['nothing.matches']) }
    )
    expect(errors).toEqual([`No tests ran: ${empty} holds no test results.`])
    expect(read!.testsRun).toBe(0)
    expect(reruns).toHaveLength(1)
    expect(reruns[0].tests).toEqual([])
    expect(reruns[0].distinct).toBe((await readSubunitFile(rerun)).tests.length)
  })
})

describe('writeJUnitFile', () => {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    trimValues: false,
    isArray: (name) => name === 'testsuite' || name === 'testcase'
  })
  interface Doc {
    testsuites: Record<string, unknown> & {
      testsuite?: Array<Record<string, unknown> & { testcase: unknown[] }>
    }
  }
  const parse = (xml: string): Doc => {
    expect(XMLValidator.validate(xml)).toBe(true)
    return parser.parse(xml) as Doc
  }
  /** Suites keyed by name (the streaming writer orders them as they complete), cases in order. */
  const bySuite = (doc: Doc): Record<string, unknown> =>
    Object.fromEntries((doc.testsuites.testsuite ?? []).map((s) => [s['@_name'], s]))

  it.each(streams.map((f) => [path.relative(FIXTURES, f), f]))(
    '%s: one case per test the reader finds (and one for a damaged stream), each in its class suite',
    async (_, file) => {
      const out = path.join(mkdtempSync(path.join(tmpdir(), 'junit-')), 'junit.xml')
      await writeJUnitFile(file, out, { name: 'n' })
      const streamed = parse(readFileSync(out, 'utf8'))
      const read = await readSubunitFile(file)
      const { testsuite: suites, ...rootA } = streamed.testsuites
      const expected = read.tests.length + (read.error ? 1 : 0)
      expect(rootA['@_tests']).toBe(String(expected))
      expect((suites ?? []).reduce((n, suite) => n + suite.testcase.length, 0)).toBe(expected)
      expect(Object.keys(bySuite(streamed))).toHaveLength(suites?.length ?? 0)
    }
  )
})
