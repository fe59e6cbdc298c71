import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { describe, expect, it } from 'vitest'
import { toJUnitXml } from '../../src/results/junit.js'
import type { StreamRead, TestResult } from '../../src/results/model.js'
import { readSubunitFile } from '../../src/results/subunit.js'
import { splitTestId } from '../../src/results/test-id.js'

const FIXTURES = fileURLToPath(new URL('../../__fixtures__/subunit/', import.meta.url))

interface XmlCase {
  '@_classname': string
  '@_name': string
  '@_time': string
  failure?: XmlDetail
  error?: XmlDetail
  skipped?: XmlDetail
  'system-out'?: string
  'system-err'?: string
}
type XmlDetail = string | { '#text'?: string; '@_message'?: string; '@_type'?: string }
interface XmlSuite {
  '@_name': string
  '@_tests': string
  '@_failures': string
  '@_errors': string
  '@_skipped': string
  '@_time': string
  testcase: XmlCase[]
}
interface XmlDoc {
  testsuites: {
    '@_name': string
    '@_tests': string
    '@_failures': string
    '@_errors': string
    '@_skipped': string
    testsuite?: XmlSuite[]
  }
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseAttributeValue: false,
  trimValues: false,
  isArray: (name) => name === 'testsuite' || name === 'testcase'
})

function parse(xml: string): XmlDoc {
  expect(XMLValidator.validate(xml)).toBe(true)
  return parser.parse(xml) as XmlDoc
}

const cases = (doc: XmlDoc): XmlCase[] => (doc.testsuites.testsuite ?? []).flatMap((s) => s.testcase)
const bodyOf = (d: XmlDetail | undefined): string =>
  d === undefined ? '' : typeof d === 'string' ? d : (d['#text'] ?? '')
const attr = (d: XmlDetail | undefined, name: '@_message' | '@_type'): string | undefined =>
  d === undefined || typeof d === 'string' ? undefined : d[name]

function read(tests: TestResult[], extra: Partial<StreamRead> = {}): StreamRead {
  return { format: 'v2', tests, bytes: 0, ...extra }
}

describe('toJUnitXml', () => {
  it('python-subunit-run.v2: every test of the stream, one suite per class, counts right', async () => {
    const stream = await readSubunitFile(path.join(FIXTURES, 'python-subunit-run.v2'))
    const doc = parse(await toJUnitXml(stream, { name: 'refstack 2020.06 object' }))
    const root = doc.testsuites
    expect(root['@_name']).toBe('refstack 2020.06 object')
    // 19 ids: 16 that ran (python's testsuite count) + 3 only listed (`exists`), reported as skipped.
    expect([root['@_tests'], root['@_failures'], root['@_errors'], root['@_skipped']]).toEqual([
      '19',
      '6',
      '0',
      '5'
    ])
    expect(cases(doc)).toHaveLength(stream.tests.length)
    for (const suite of root.testsuite!) {
      expect(suite.testcase.every((c) => c['@_classname'] === suite['@_name'])).toBe(true)
      expect(Number(suite['@_tests'])).toBe(suite.testcase.length)
      expect(Number(suite['@_failures'])).toBe(suite.testcase.filter((c) => c.failure !== undefined).length)
      expect(Number(suite['@_skipped'])).toBe(suite.testcase.filter((c) => c.skipped !== undefined).length)
    }
    expect(new Set(root.testsuite!.map((s) => s['@_name'])).size).toBe(root.testsuite!.length)
    // The class-level pseudo-tests are filed under their class.
    const expiry = root.testsuite!.find((s) => s['@_name'].endsWith('ObjectExpiryTest'))!
    expect(
      expiry.testcase.map((c) => [
        c['@_name'].replace(/\[.*/, ''),
        Object.keys(c).filter((k) => !k.startsWith('@_') && k !== '#text')
      ])
    ).toEqual([
      ['test_get_object_after_expiry_time', ['skipped']],
      ['test_get_object_at_expiry_time', ['skipped']],
      ['setUpClass', ['failure']]
    ])
  })

  it('agrees with python`s subunit2junitxml on every test python reports', async () => {
    const stream = await readSubunitFile(path.join(FIXTURES, 'python-subunit-run.v2'))
    const ours = cases(parse(await toJUnitXml(stream, { name: 'x' })))
    const pythonXml = readFileSync(path.join(FIXTURES, 'python-subunit-run.junit.xml'), 'utf8')
    const python = (
      new XMLParser({
        ignoreAttributes: false,
        attributeNamePrefix: '@_',
        isArray: (n) => n === 'testcase'
      }).parse(pythonXml) as { testsuite: { testcase: XmlCase[] } }
    ).testsuite.testcase
    expect(python).toHaveLength(16)
    for (const p of python) {
      // python files pseudo-tests under classname "" with the whole id as the name.
      const id = p['@_classname'] ? `${p['@_classname']}.${p['@_name']}` : p['@_name']
      const { className, name } = splitTestId(id)
      const mine = ours.find((c) => c['@_classname'] === className && c['@_name'] === name)
      expect(mine, id).toBeDefined()
      expect(mine!.failure !== undefined, `${id} failure`).toBe(p.failure !== undefined)
      expect(mine!.skipped !== undefined, `${id} skipped`).toBe(p.skipped !== undefined)
      expect(mine!.error).toBeUndefined()
      if (p.failure !== undefined && bodyOf(p.failure).includes('Traceback')) {
        // Same exception line at the end of the traceback.
        const last = (s: string): string => s.trimEnd().split('\n').pop()!.trim()
        expect(last(bodyOf(mine!.failure))).toBe(last(bodyOf(p.failure)))
        expect(attr(mine!.failure, '@_message')).toBe(last(bodyOf(p.failure)))
      }
      if (p.skipped !== undefined) expect(bodyOf(mine!.skipped)).toBe(bodyOf(p.skipped))
    }
  })

  it('messages, types, times and extra attachments of a failure', async () => {
    const t0 = new Date('2026-11-26T12:00:00.000Z')
    const xml = await toJUnitXml(
      read([
        {
          id: 'tempest.api.a.B.test_fail[id-1,smoke]',
          status: 'fail',
          tags: [],
          start: t0,
          stop: new Date(t0.getTime() + 1234),
          attachments: [
            {
              name: 'traceback',
              contentType: 'text/x-traceback',
              text: 'Traceback (most recent call last):\n  File "x"\ntempest.lib.exceptions.NotFound: Object not found\n',
              truncated: false
            },
            { name: 'stdout', contentType: 'text/plain', text: 'printed', truncated: false },
            { name: 'stderr', contentType: 'text/plain', text: 'warned', truncated: false }
          ]
        },
        { id: 'tempest.api.a.B.test_ux', status: 'uxsuccess', tags: [], attachments: [] },
        {
          id: 'tempest.api.a.B.test_xf',
          status: 'xfail',
          tags: [],
          attachments: [{ name: 'reason', contentType: 'text/plain', text: 'bug 1', truncated: false }]
        },
        { id: 'tempest.api.a.B.test_cut', status: 'inprogress', tags: [], attachments: [] }
      ]),
      { name: 'r' }
    )
    const doc = parse(xml)
    const [fail, ux, xf, cut] = cases(doc)
    expect(fail['@_name']).toBe('test_fail[id-1,smoke]')
    expect(fail['@_time']).toBe('1.234')
    expect(attr(fail.failure, '@_type')).toBe('tempest.lib.exceptions.NotFound')
    expect(attr(fail.failure, '@_message')).toBe('tempest.lib.exceptions.NotFound: Object not found')
    expect(fail['system-out']).toBe('printed')
    expect(fail['system-err']).toBe('warned')
    expect(attr(ux.failure, '@_type')).toBe('unittest.case._UnexpectedSuccess')
    expect(xf.failure).toBeUndefined()
    expect(xf['system-out']).toBe('expected failure: bug 1')
    expect(attr(cut.error, '@_message')).toMatch(/did not finish/)
    expect(doc.testsuites.testsuite![0]['@_time']).toBe('1.234')
    expect(xml).toMatch(/<testsuite name="tempest\.api\.a\.B"[^>]* timestamp="2026-11-26T12:00:00"/)
  })

  it('characters XML cannot hold are replaced, markup is escaped', async () => {
    const xml = await toJUnitXml(
      read([
        {
          id: 'a.B.test_<&>"',
          status: 'fail',
          tags: [],
          attachments: [
            {
              name: 'traceback',
              contentType: 'text/plain',
              text: 'colour \u001b[31mred\u0000 ]]> </failure>\nError: <b>',
              truncated: false
            }
          ]
        }
      ]),
      { name: 'n & "m"' }
    )
    const doc = parse(xml)
    const [c] = cases(doc)
    expect(c['@_name']).toBe('test_<&>"')
    expect(bodyOf(c.failure)).toBe('colour \ufffd[31mred\ufffd ]]> </failure>\nError: <b>')
    expect(doc.testsuites['@_name']).toBe('n & "m"')
  })

  it('a damaged stream adds an error case saying where; an empty stream is a valid empty report', async () => {
    const stream = await readSubunitFile(path.join(FIXTURES, 'truncated.v1'))
    const doc = parse(await toJUnitXml(stream, { name: 't' }))
    const broken = cases(doc).find((c) => c['@_classname'] === 'subunit' && c['@_name'] === 'stream')!
    expect(attr(broken.error, '@_message')).toContain(`damaged at byte ${stream.error!.offset}`)
    expect(doc.testsuites['@_errors']).toBe('1')
    expect(doc.testsuites['@_tests']).toBe(String(stream.tests.length + 1))

    const empty = parse(await toJUnitXml(read([]), { name: 'e' }))
    expect(empty.testsuites['@_tests']).toBe('0')
    expect(empty.testsuites.testsuite).toBeUndefined()
  })
})
