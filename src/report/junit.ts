/**
 * JUnit XML of a stream, for the test-report tools CI systems have: every test in the stream (required or not,
 * class-level pseudo-tests and tests that were only listed included), one <testsuite> per test class, failures
 * and skips with their messages and tracebacks, times from the stream's timestamps. Written with fast-xml-parser's
 * XMLBuilder, which escapes markup in attributes and text; characters XML 1.0 cannot hold become U+FFFD.
 *
 * Mapping (python's subunit2junitxml where it has one): success → pass; fail → <failure>; uxsuccess →
 * <failure> "unexpected success"; xfail → pass, its reason in <system-out>; skip → <skipped>; exists (listed,
 * never run) → <skipped>; inprogress/unknown (never finished) → <error>. A damaged stream adds an <error>
 * test case `subunit.stream` saying where it broke.
 *
 * Written streaming, a <testsuite> at a time, without building a document in memory, in two passes over the
 * stream: the first
 * finds, per distinct id, the record that decides it (as `readSubunit` folds: the weightiest, a pass in any
 * record first; see `recordWeight`), the cases of each class and the totals the <testsuites> element opens with; the second writes
 * each class's <testsuite> as soon as its last case is in (suites in the order they complete, cases in the order
 * of their ids' first events). Memory holds the classes still running and each test's id, not the stream's
 * results.
 */
import { closeSync, openSync, writeSync } from 'node:fs'
import { XMLBuilder } from 'fast-xml-parser'
import { lastLines } from '../errors.js'
import type { Attachment, TestStatus } from '../results/model.js'
import type { RecordSink, SubunitRecord } from '../results/records.js'
import { parseSubunitFile, recordWeight, type StreamInfo } from '../results/subunit.js'
import { splitTestId } from '../results/test-id.js'

export interface JUnitMeta {
  /** Name of the whole report (the <testsuites> element), e.g. "refstack 2020.06 object". */
  name: string
}

/** One pass over a stream, records to `sink` (e.g. `(sink) => parseSubunitFile(path, sink)`). */
type Replay = (sink: RecordSink<number>) => Promise<StreamInfo>

/** Totals of the document (the <testsuites> attributes). */
export interface Totals {
  tests: number
  failures: number
  errors: number
  skipped: number
  time: number
}

type Kind = 'pass' | 'failure' | 'error' | 'skipped'

/** What a case is built from: a record of the stream (times in ms since the epoch). */
interface Source {
  id: string
  status: TestStatus
  start: number | undefined
  stop: number | undefined
  attachments: Attachment[]
}

interface Case {
  className: string
  name: string
  kind: Kind
  time: number
  start?: number
  message?: string
  type?: string
  body?: string
  out?: string
  err?: string
}

/** A case with the rank of its id (the order of ids' first events). */
type Ranked = Case & { rank: number }

const MESSAGE_MAX = 500

function seconds(t: Source): number {
  if (t.start === undefined || t.stop === undefined) return 0
  return Math.max(0, (t.stop - t.start) / 1000)
}

/** The case kind of a status (the mapping in the header). */
function kindOf(status: TestStatus): Kind {
  switch (status) {
    case 'success':
    case 'xfail':
      return 'pass'
    case 'fail':
    case 'uxsuccess':
      return 'failure'
    case 'skip':
    case 'exists':
      return 'skipped'
    default:
      return 'error'
  }
}

const KINDS: readonly Kind[] = ['pass', 'failure', 'error', 'skipped']

function find(t: Source, name: string): Attachment | undefined {
  return t.attachments.find((a) => a.name === name)
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
function streams(t: Source, shown: string[]): { out?: string; err?: string } {
  const rest = t.attachments.filter((a) => !shown.includes(a.name))
  const err = rest.filter((a) => a.name === 'stderr')
  const out = rest.filter((a) => a.name !== 'stderr')
  const join = (list: Attachment[]): string | undefined =>
    list.length === 0
      ? undefined
      : list.map((a) => (list.length === 1 ? a.text : `${a.name}:\n${a.text}`)).join('\n')
  const result: { out?: string; err?: string } = {}
  const o = join(out)
  const e = join(err)
  if (o !== undefined) result.out = o
  if (e !== undefined) result.err = e
  return result
}

function toCase(t: Source): Case {
  const { className, name } = splitTestId(t.id)
  const base: Case = { className, name, kind: kindOf(t.status), time: seconds(t) }
  if (t.start !== undefined) base.start = t.start
  if (t.status === 'success') return base
  const traceback = find(t, 'traceback')
  const reason = find(t, 'reason')
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

function streamErrorCase(info: StreamInfo, error: { message: string; offset: number }): Case {
  return {
    className: 'subunit',
    name: 'stream',
    kind: 'error',
    time: 0,
    type: 'StreamError',
    message: `the subunit stream is damaged at byte ${error.offset}: ${error.message}`,
    body: `The ${info.format} stream (${info.bytes} bytes) is damaged at byte ${error.offset}: ${error.message}\nThe tests read before and after the damage are reported.`
  }
}

function emptyTotals(): Totals {
  return { tests: 0, failures: 0, errors: 0, skipped: 0, time: 0 }
}

function count(t: Totals, kind: Kind, time: number): void {
  t.tests++
  if (kind === 'failure') t.failures++
  else if (kind === 'error') t.errors++
  else if (kind === 'skipped') t.skipped++
  t.time += time
}

/** Characters XML 1.0 cannot hold (lone surrogates included); the callback builder does not replace them. */
const INVALID = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u
const INVALID_ALL = new RegExp(INVALID.source, 'gu')

function safe(text: string): string {
  return INVALID.test(text) ? text.replace(INVALID_ALL, '\ufffd') : text
}

const xml = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  textNodeName: '#text',
  format: true,
  indentBy: '  ',
  suppressEmptyNode: true,
  processEntities: true
})

type XmlElement = Record<string, unknown>

function attributes(pairs: Array<[string, string]>): XmlElement {
  const element: XmlElement = {}
  for (const [name, value] of pairs) element[`@_${name}`] = safe(value)
  return element
}

/** <testcase> with its <failure>/<error>/<skipped>, <system-out> and <system-err>. */
function caseElement(c: Case): XmlElement {
  const element = attributes([
    ['classname', c.className],
    ['name', c.name],
    ['time', c.time.toFixed(3)]
  ])
  if (c.kind !== 'pass') {
    const outcome: XmlElement = {}
    if (c.message !== undefined) outcome['@_message'] = safe(c.message)
    if (c.type !== undefined) outcome['@_type'] = safe(c.type)
    if (c.body) outcome['#text'] = safe(c.body)
    element[c.kind] = outcome
  }
  if (c.out) element['system-out'] = safe(c.out)
  if (c.err) element['system-err'] = safe(c.err)
  return element
}

/** What the first pass learns: the deciding record of every id, cases per class, the document's totals. */
interface Plan {
  /**
   * By sequence number of a record (the order records open): for the record that decides its id, the id's rank
   * (the order of ids' first events, which orders the cases of a suite as `readSubunit` orders tests); else -1.
   */
  rank: Int32Array
  /** Cases each class will hold. */
  perClass: Map<string, number>
  totals: Totals
  info: StreamInfo
}

async function plan(replay: Replay): Promise<Plan> {
  // Each distinct id → its rank (the order of ids' first events).
  const ids = new Map<string, number>()
  // Per rank: the id's deciding record, that record's kind and time.
  const decidingSeq: number[] = []
  const kinds: number[] = []
  const times: number[] = []
  const weights: number[] = []
  const perClass = new Map<string, number>()
  let seq = 0
  const info = await replay({
    onOpen(id: string): number {
      if (!ids.has(id)) ids.set(id, ids.size)
      return seq++
    },
    // The plan needs statuses and times only: no attachment is copied in this pass.
    keepsAttachments: () => false,
    onRecord(r: SubunitRecord, at: number | undefined): void {
      if (at === undefined) return
      const n = ids.get(r.id) as number
      if (decidingSeq[n] === undefined) {
        const { className } = splitTestId(r.id)
        perClass.set(className, (perClass.get(className) ?? 0) + 1)
      } else if (recordWeight(r.status) <= weights[n]) return
      decidingSeq[n] = at
      weights[n] = recordWeight(r.status)
      kinds[n] = KINDS.indexOf(kindOf(r.status))
      times[n] = seconds(r)
    }
  })
  const rank = new Int32Array(seq).fill(-1)
  const totals = emptyTotals()
  for (let n = 0; n < ids.size; n++) {
    if (decidingSeq[n] === undefined) continue
    rank[decidingSeq[n]] = n
    count(totals, KINDS[kinds[n]], times[n])
  }
  if (info.error) {
    count(totals, 'error', 0)
    perClass.set('subunit', (perClass.get('subunit') ?? 0) + 1)
  }
  return { rank, perClass, totals, info }
}

function counts(t: Totals): Array<[string, string]> {
  return [
    ['tests', String(t.tests)],
    ['failures', String(t.failures)],
    ['errors', String(t.errors)],
    ['skipped', String(t.skipped)],
    ['time', t.time.toFixed(3)]
  ]
}

/**
 * The stream as one JUnit XML document (UTF-8, with declaration), handed to `write` in pieces as it is built.
 * `replay` is called twice and must give the same records both times (a file that does not change).
 */
export async function streamJUnit(
  replay: Replay,
  meta: JUnitMeta,
  write: (chunk: string) => void
): Promise<Totals> {
  const { rank, perClass, totals, info } = await plan(replay)
  write(xml.build({ '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' } }))
  // The root is opened here and closed at the end, with the suites written in between as they complete.
  const root = xml.build({ testsuites: attributes([['name', meta.name], ...counts(totals)]) }).trimEnd()
  if (!root.endsWith('/>')) throw new Error(`unexpected XML for the <testsuites> element: ${root}`)
  write(`${root.slice(0, -2)}>\n`)

  const writeSuite = (className: string, cases: Ranked[]): void => {
    cases.sort((a, b) => a.rank - b.rank)
    const suite = emptyTotals()
    for (const c of cases) count(suite, c.kind, c.time)
    const head: Array<[string, string]> = [['name', className || '(no class)'], ...counts(suite)]
    const start = cases.find((c) => c.start !== undefined)?.start
    if (start !== undefined) head.push(['timestamp', new Date(start).toISOString().replace(/\.\d{3}Z$/, '')])
    write(xml.build({ testsuite: { ...attributes(head), testcase: cases.map(caseElement) } }))
  }

  // Classes whose cases are not all in yet.
  const open = new Map<string, Ranked[]>()
  const add = (c: Ranked): void => {
    let cases = open.get(c.className)
    if (cases === undefined) open.set(c.className, (cases = []))
    cases.push(c)
    if (cases.length >= (perClass.get(c.className) ?? 0)) {
      open.delete(c.className)
      writeSuite(c.className, cases)
    }
  }
  let seq = 0
  await replay({
    onOpen: () => seq++,
    onRecord(r: SubunitRecord, at: number | undefined): void {
      const n = at === undefined || at >= rank.length ? -1 : rank[at]
      if (n >= 0) add({ ...toCase(r), rank: n })
    }
  })
  if (info.error) add({ ...streamErrorCase(info, info.error), rank: Number.MAX_SAFE_INTEGER })
  // Only if the second pass saw other records than the first (the file changed in between).
  for (const [className, cases] of open) writeSuite(className, cases)
  write('</testsuites>\n')
  return totals
}

/** Size of the pieces written to the file. */
const FLUSH_AT = 256 * 1024

/** The JUnit XML of the subunit stream `stream`, written to `file` as it is built (two passes over the stream). */
export async function writeJUnitFile(stream: string, file: string, meta: JUnitMeta): Promise<Totals> {
  const fd = openSync(file, 'w')
  try {
    let pending: string[] = []
    let size = 0
    const flush = (): void => {
      if (size === 0) return
      writeSync(fd, pending.join(''))
      pending = []
      size = 0
    }
    const totals = await streamJUnit(
      (sink) => parseSubunitFile(stream, sink),
      meta,
      (chunk) => {
        pending.push(chunk)
        size += chunk.length
        if (size >= FLUSH_AT) flush()
      }
    )
    flush()
    return totals
  } finally {
    closeSync(fd)
  }
}
