import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { describe, expect, it } from 'vitest'
import { type JUnitMeta, writeJUnitFile } from '../../src/report/junit.js'
import { readSubunitFile } from '../../src/results/subunit.js'
import { splitTestId } from '../../src/results/test-id.js'
import { packet, STATUS } from '../results/subunit-writer.js'

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

/** The JUnit XML the action writes for a subunit stream file. */
async function junitOf(stream: string, meta: JUnitMeta): Promise<string> {
  const out = path.join(mkdtempSync(path.join(tmpdir(), 'junit-')), 'junit.xml')
  await writeJUnitFile(stream, out, meta)
  return readFileSync(out, 'utf8')
}

/** A subunit v2 stream file of `packets`. */
function streamOf(...packets: Buffer[]): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'junit-')), 'stream.v2')
  writeFileSync(file, Buffer.concat(packets))
  return file
}

/** An attachment packet of test `id` (one chunk). */
const attachment = (id: string, name: string, mime: string, data: string): Buffer =>
  packet({ id, mime, file: { name, data, eof: true } })

describe('writeJUnitFile', () => {
  it('python-subunit-run.v2: every test of the stream, one suite per class, counts right', async () => {
    const file = path.join(FIXTURES, 'python-subunit-run.v2')
    const stream = await readSubunitFile(file)
    const doc = parse(await junitOf(file, { name: 'refstack 2020.06 object' }))
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
    const ours = cases(parse(await junitOf(path.join(FIXTURES, 'python-subunit-run.v2'), { name: 'x' })))
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
    const t0 = Date.parse('2026-11-26T12:00:00.000Z') / 1000
    const failing = 'tempest.api.a.B.test_fail[id-1,smoke]'
    const xml = await junitOf(
      streamOf(
        packet({ id: failing, status: STATUS.inprogress, time: { seconds: t0, nanos: 0 } }),
        attachment(
          failing,
          'traceback',
          'text/x-traceback; charset="utf8"',
          'Traceback (most recent call last):\n  File "x"\ntempest.lib.exceptions.NotFound: Object not found\n'
        ),
        attachment(failing, 'stdout', 'text/plain', 'printed'),
        attachment(failing, 'stderr', 'text/plain', 'warned'),
        packet({ id: failing, status: STATUS.fail, time: { seconds: t0 + 1, nanos: 234_000_000 } }),
        packet({ id: 'tempest.api.a.B.test_ux', status: STATUS.uxsuccess }),
        attachment('tempest.api.a.B.test_xf', 'reason', 'text/plain', 'bug 1'),
        packet({ id: 'tempest.api.a.B.test_xf', status: STATUS.xfail }),
        packet({ id: 'tempest.api.a.B.test_cut', status: STATUS.inprogress })
      ),
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
    const xml = await junitOf(
      streamOf(
        attachment(
          'a.B.test_<&>"',
          'traceback',
          'text/plain',
          'colour \u001b[31mred\u0000 ]]> </failure>\nError: <b>'
        ),
        packet({ id: 'a.B.test_<&>"', status: STATUS.fail })
      ),
      { name: 'n & "m"' }
    )
    const doc = parse(xml)
    const [c] = cases(doc)
    expect(c['@_name']).toBe('test_<&>"')
    expect(bodyOf(c.failure)).toBe('colour \ufffd[31mred\ufffd ]]> </failure>\nError: <b>')
    expect(doc.testsuites['@_name']).toBe('n & "m"')
  })

  it('a damaged stream adds an error case saying where; an empty stream is a valid empty report', async () => {
    const file = path.join(FIXTURES, 'truncated.v1')
    const stream = await readSubunitFile(file)
    const doc = parse(await junitOf(file, { name: 't' }))
    const broken = cases(doc).find((c) => c['@_classname'] === 'subunit' && c['@_name'] === 'stream')!
    expect(attr(broken.error, '@_message')).toContain(`damaged at byte ${stream.error!.offset}`)
    expect(doc.testsuites['@_errors']).toBe('1')
    expect(doc.testsuites['@_tests']).toBe(String(stream.tests.length + 1))

    const empty = parse(await junitOf(streamOf(), { name: 'e' }))
    expect(empty.testsuites['@_tests']).toBe('0')
    expect(empty.testsuites.testsuite).toBeUndefined()
  })
})
