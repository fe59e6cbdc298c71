/**
 * JUnit XML of a stream, for the test-report tools CI systems have: every test in the stream (required or not,
 * class-level pseudo-tests and tests that were only listed included), one <testsuite> per test class, failures
 * and skips with their messages and tracebacks, times from the stream's timestamps. The tests are those of
 * `readSubunitFile` (one per id, the record that decides it); fast-xml-parser's XMLBuilder escapes markup in
 * attributes and text, and characters XML 1.0 cannot hold become U+FFFD.
 *
 * Mapping (python's subunit2junitxml where it has one): success → pass; fail → <failure>; uxsuccess →
 * <failure> "unexpected success"; xfail → pass, its reason in <system-out>; skip → <skipped>; exists (listed,
 * never run) → <skipped>; inprogress/unknown (never finished) → <error>. A damaged stream adds an <error>
 * test case `subunit.stream` saying where it broke.
 */
import { closeSync, openSync, writeSync } from 'node:fs'
import { XMLBuilder } from 'fast-xml-parser'
import { lastLines } from '../errors.js'
import type { Attachment, StreamRead, TestResult, TestStatus } from '../results/model.js'
import { readSubunitFile } from '../results/subunit.js'
import { splitTestId } from '../results/test-id.js'

export interface JUnitMeta {
  /** Name of the whole report (the <testsuites> element), e.g. "refstack 2020.06 object". */
  name: string
}

type Kind = 'pass' | 'failure' | 'error' | 'skipped'

interface Case {
  className: string
  name: string
  kind: Kind
  time: number
  start?: Date
  message?: string
  type?: string
  body?: string
  out?: string
  err?: string
}

const MESSAGE_MAX = 500

function seconds(t: TestResult): number {
  if (t.start === undefined || t.stop === undefined) return 0
  return Math.max(0, (t.stop.getTime() - t.start.getTime()) / 1000)
}

/** The case kind of a status (the mapping in the header). */
const KIND: Readonly<Record<TestStatus, Kind>> = {
  success: 'pass',
  xfail: 'pass',
  fail: 'failure',
  uxsuccess: 'failure',
  skip: 'skipped',
  exists: 'skipped',
  inprogress: 'error',
  unknown: 'error'
}

/** The exception line of a Python traceback: its last non-blank line. */
function lastLine(text: string): string {
  const line = lastLines(text).trim()
  return line.length > MESSAGE_MAX ? line.slice(0, MESSAGE_MAX - 1) + '…' : line
}

/** `tempest.lib.exceptions.NotFound: Object not found` → `tempest.lib.exceptions.NotFound`. */
function exceptionType(line: string): string | undefined {
  const m = /^([A-Za-z_][\w.]*)(?::|$)/.exec(line)
  return m ? m[1] : undefined
}

/** Attachments other than the ones shown in the failure/skip element, for <system-out> / <system-err>. */
function streams(t: TestResult, shown: string[]): { out?: string; err?: string } {
  const rest = t.attachments.filter((a) => !shown.includes(a.name))
  const join = (list: Attachment[]): string | undefined =>
    list.length === 0
      ? undefined
      : list.map((a) => (list.length === 1 ? a.text : `${a.name}:\n${a.text}`)).join('\n')
  return {
    out: join(rest.filter((a) => a.name !== 'stderr')),
    err: join(rest.filter((a) => a.name === 'stderr'))
  }
}

function toCase(t: TestResult): Case {
  const { className, name } = splitTestId(t.id)
  const base: Case = { className, name, kind: KIND[t.status], time: seconds(t), start: t.start }
  if (t.status === 'success') return base
  const traceback = t.attachments.find((a) => a.name === 'traceback')
  const reason = t.attachments.find((a) => a.name === 'reason')
  switch (t.status) {
    case 'fail': {
      if (traceback) {
        const message = lastLine(traceback.text)
        const type = exceptionType(message) ?? 'Failure'
        return { ...base, message, type, body: traceback.text, ...streams(t, ['traceback']) }
      }
      const body = t.attachments.map((a) => `${a.name}:\n${a.text}`).join('\n')
      return { ...base, type: 'Failure', message: body ? lastLine(body) : 'failed', body }
    }
    case 'uxsuccess':
      return {
        ...base,
        type: 'unittest.case._UnexpectedSuccess',
        message: 'unexpected success: the test is marked as an expected failure but passed',
        body: reason?.text ?? '',
        ...streams(t, ['reason'])
      }
    case 'xfail': {
      const why = reason?.text ?? traceback?.text
      return { ...base, ...streams(t, []), out: `expected failure${why ? `: ${why}` : ''}` }
    }
    case 'skip':
      return {
        ...base,
        message: reason ? lastLine(reason.text) : 'skipped',
        body: reason?.text ?? '',
        ...streams(t, ['reason'])
      }
    case 'exists':
      return { ...base, message: 'not run: the test was listed but never started' }
    default:
      return {
        ...base,
        type: 'Incomplete',
        message: 'the test did not finish: the stream ended while it was running',
        body: traceback?.text ?? '',
        ...streams(t, ['traceback'])
      }
  }
}

function streamErrorCase(read: StreamRead, error: { message: string; offset: number }): Case {
  return {
    className: 'subunit',
    name: 'stream',
    kind: 'error',
    time: 0,
    type: 'StreamError',
    message: `the subunit stream is damaged at byte ${error.offset}: ${error.message}`,
    body: `The ${read.format} stream (${read.bytes} bytes) is damaged at byte ${error.offset}: ${error.message}\nThe tests read before and after the damage are reported.`
  }
}

/** Characters XML 1.0 cannot hold (lone surrogates included); XMLBuilder does not replace them. */
const INVALID = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu

function safe(_name: string, value: unknown): string {
  return String(value).replace(INVALID, '\ufffd')
}

// Attributes are the keys starting with '@_', text is '#text' (the builder's defaults).
const xml = new XMLBuilder({
  ignoreAttributes: false,
  format: true,
  suppressEmptyNode: true,
  processEntities: true,
  tagValueProcessor: safe,
  attributeValueProcessor: safe
})

type XmlElement = Record<string, unknown>

/** The tests/failures/errors/skipped/time attributes of a <testsuites> or <testsuite> holding `cases`. */
function counts(cases: Case[]): XmlElement {
  const of = (kind: Kind): number => cases.filter((c) => c.kind === kind).length
  return {
    '@_tests': cases.length,
    '@_failures': of('failure'),
    '@_errors': of('error'),
    '@_skipped': of('skipped'),
    '@_time': cases.reduce((sum, c) => sum + c.time, 0).toFixed(3)
  }
}

/** <testcase> with its <failure>/<error>/<skipped>, <system-out> and <system-err>. */
function caseElement(c: Case): XmlElement {
  const element: XmlElement = { '@_classname': c.className, '@_name': c.name, '@_time': c.time.toFixed(3) }
  if (c.kind !== 'pass')
    element[c.kind] = { '@_message': c.message, '@_type': c.type, '#text': c.body || undefined }
  if (c.out) element['system-out'] = c.out
  if (c.err) element['system-err'] = c.err
  return element
}

function suiteElement(className: string, cases: Case[]): XmlElement {
  const suite: XmlElement = { '@_name': className || '(no class)', ...counts(cases) }
  const start = cases.find((c) => c.start !== undefined)?.start
  if (start !== undefined) suite['@_timestamp'] = start.toISOString().replace(/\.\d{3}Z$/, '')
  suite.testcase = cases.map(caseElement)
  return suite
}

/** Stands for the suites in the built <testsuites> element: private-use characters, valid in XML. */
const SUITES = '\uE000suites\uE000'

/**
 * The JUnit XML of the subunit stream file `stream`, written to `file` (UTF-8, with declaration): suites in the
 * order of their classes' first tests, cases in the order of their ids' first events. Built and written a suite at
 * a time, so that only the stream's results and one suite's XML are in memory.
 */
export async function writeJUnitFile(stream: string, file: string, meta: JUnitMeta): Promise<void> {
  const read = await readSubunitFile(stream)
  const cases = read.tests.map(toCase)
  if (read.error) cases.push(streamErrorCase(read, read.error))
  const byClass = new Map<string, Case[]>()
  for (const c of cases) {
    const suite = byClass.get(c.className)
    if (suite) suite.push(c)
    else byClass.set(c.className, [c])
  }
  const root = xml.build({
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    testsuites: { '@_name': meta.name, ...counts(cases), '#text': SUITES }
  })
  const at = root.lastIndexOf(SUITES)
  const fd = openSync(file, 'w')
  try {
    writeSync(fd, `${root.slice(0, at)}\n`)
    for (const [className, suite] of byClass)
      writeSync(fd, xml.build({ testsuite: suiteElement(className, suite) }))
    writeSync(fd, root.slice(at + SUITES.length))
  } finally {
    closeSync(fd)
  }
}
