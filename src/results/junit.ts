/**
 * JUnit XML of a stream, for the test-report tools CI systems have: every test in the stream (required or not,
 * class-level pseudo-tests and tests that were only listed included), one <testsuite> per test class, failures
 * and skips with their messages and tracebacks, times from the stream's timestamps. Written with xmlbuilder2,
 * which escapes everything; characters XML 1.0 cannot hold become U+FFFD.
 *
 * Mapping (python's subunit2junitxml where it has one): success → pass; fail → <failure>; uxsuccess →
 * <failure> "unexpected success"; xfail → pass, its reason in <system-out>; skip → <skipped>; exists (listed,
 * never run) → <skipped>; inprogress/unknown (never finished) → <error>. A damaged stream adds an <error>
 * test case `subunit.stream` saying where it broke.
 */
import { create } from 'xmlbuilder2'
import type { Attachment, StreamRead, TestResult } from './model.js'
import { splitTestId } from './test-id.js'

type XMLBuilder = ReturnType<typeof create>

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
  if (!t.start || !t.stop) return 0
  return Math.max(0, (t.stop.getTime() - t.start.getTime()) / 1000)
}

function find(t: TestResult, name: string): Attachment | undefined {
  return t.attachments.find((a) => a.name === name)
}

/** The exception line of a Python traceback: its last non-blank line. */
function lastLine(text: string): string {
  const lines = text.trimEnd().split('\n')
  const line = lines[lines.length - 1].trim()
  return line.length > MESSAGE_MAX ? line.slice(0, MESSAGE_MAX - 1) + '…' : line
}

/** `tempest.lib.exceptions.NotFound: Object not found` → `tempest.lib.exceptions.NotFound`. */
function exceptionType(line: string): string | undefined {
  const m = /^([A-Za-z_][\w.]*)(?::|$)/.exec(line)
  return m ? m[1] : undefined
}

function text(a: Attachment): string {
  return a.text
}

/** Attachments other than the ones shown in the failure/skip element, for <system-out> / <system-err>. */
function streams(t: TestResult, shown: string[]): { out?: string; err?: string } {
  const rest = t.attachments.filter((a) => !shown.includes(a.name))
  const err = rest.filter((a) => a.name === 'stderr')
  const out = rest.filter((a) => a.name !== 'stderr')
  const join = (list: Attachment[]): string | undefined =>
    list.length === 0
      ? undefined
      : list.map((a) => (list.length === 1 ? text(a) : `${a.name}:\n${text(a)}`)).join('\n')
  const result: { out?: string; err?: string } = {}
  const o = join(out)
  const e = join(err)
  if (o !== undefined) result.out = o
  if (e !== undefined) result.err = e
  return result
}

function toCase(t: TestResult): Case {
  const { className, name } = splitTestId(t.id)
  const base: Case = { className, name, kind: 'pass', time: seconds(t) }
  if (t.start) base.start = t.start
  const traceback = find(t, 'traceback')
  const reason = find(t, 'reason')
  switch (t.status) {
    case 'success':
      return base
    case 'fail': {
      if (traceback) {
        const message = lastLine(traceback.text)
        const type = exceptionType(message) ?? 'Failure'
        return { ...base, kind: 'failure', message, type, body: traceback.text, ...streams(t, ['traceback']) }
      }
      const body = t.attachments.map((a) => `${a.name}:\n${a.text}`).join('\n')
      return { ...base, kind: 'failure', type: 'Failure', message: body ? lastLine(body) : 'failed', body }
    }
    case 'uxsuccess':
      return {
        ...base,
        kind: 'failure',
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
        kind: 'skipped',
        message: reason ? lastLine(reason.text) : 'skipped',
        body: reason?.text ?? '',
        ...streams(t, ['reason'])
      }
    case 'exists':
      return { ...base, kind: 'skipped', message: 'not run: the test was listed but never started' }
    default:
      return {
        ...base,
        kind: 'error',
        type: 'Incomplete',
        message: 'the test did not finish: the stream ended while it was running',
        body: traceback?.text ?? '',
        ...streams(t, ['traceback'])
      }
  }
}

function addCase(suite: XMLBuilder, c: Case): void {
  const tc = suite.ele('testcase', { classname: c.className, name: c.name, time: c.time.toFixed(3) })
  if (c.kind !== 'pass') {
    const attrs: Record<string, string> = {}
    if (c.message !== undefined) attrs.message = c.message
    if (c.type !== undefined) attrs.type = c.type
    const el = tc.ele(c.kind, attrs)
    if (c.body) el.txt(c.body)
  }
  if (c.out) tc.ele('system-out').txt(c.out)
  if (c.err) tc.ele('system-err').txt(c.err)
}

interface Totals {
  tests: number
  failures: number
  errors: number
  skipped: number
  time: number
}

function totals(cases: Case[]): Totals {
  const t: Totals = { tests: cases.length, failures: 0, errors: 0, skipped: 0, time: 0 }
  for (const c of cases) {
    if (c.kind === 'failure') t.failures++
    else if (c.kind === 'error') t.errors++
    else if (c.kind === 'skipped') t.skipped++
    t.time += c.time
  }
  return t
}

function counts(t: Totals): Record<string, string> {
  return {
    tests: String(t.tests),
    failures: String(t.failures),
    errors: String(t.errors),
    skipped: String(t.skipped),
    time: t.time.toFixed(3)
  }
}

/** The whole stream as one JUnit XML document (UTF-8, with declaration). */
export function toJUnitXml(read: StreamRead, meta: JUnitMeta): string {
  const suites = new Map<string, Case[]>()
  const add = (c: Case): void => {
    const list = suites.get(c.className)
    if (list) list.push(c)
    else suites.set(c.className, [c])
  }
  for (const t of read.tests) add(toCase(t))
  if (read.error) {
    add({
      className: 'subunit',
      name: 'stream',
      kind: 'error',
      time: 0,
      type: 'StreamError',
      message: `the subunit stream is damaged at byte ${read.error.offset}: ${read.error.message}`,
      body: `The ${read.format} stream (${read.bytes} bytes) is damaged at byte ${read.error.offset}: ${read.error.message}\nThe tests read before and after the damage are reported.`
    })
  }

  const doc = create({ version: '1.0', encoding: 'UTF-8', invalidCharReplacement: '\ufffd' })
  const all = totals([...suites.values()].flat())
  const root = doc.ele('testsuites', { name: meta.name, ...counts(all) })
  for (const [className, cases] of suites) {
    const attrs: Record<string, string> = { name: className || '(no class)', ...counts(totals(cases)) }
    const start = cases.find((c) => c.start)?.start
    if (start) attrs.timestamp = start.toISOString().replace(/\.\d{3}Z$/, '')
    const suite = root.ele('testsuite', attrs)
    for (const c of cases) addCase(suite, c)
  }
  return doc.end({ prettyPrint: true }) + '\n'
}
