/**
 * JUnit XML of every test in the stream (required or not, class-level pseudo-tests included), one testsuite
 * per test class, for the JUnit consumers CI systems have. Written with xmlbuilder2, which escapes text and
 * drops characters XML cannot hold.
 */
import { create } from 'xmlbuilder2'
import type { StreamRead, TestResult } from './model.js'

function seconds(test: TestResult): number {
  if (!test.start || !test.stop) return 0
  return Math.max(0, (test.stop.getTime() - test.start.getTime()) / 1000)
}

/** `a.b.Class.test_x[id-…]` → class `a.b.Class`, name `test_x[id-…]`; `setUpClass (a.b.Class)` → that class. */
export function splitId(id: string): { className: string; name: string } {
  const fixture = /^(\w+) \(([^)]+)\)$/.exec(id)
  if (fixture) return { className: fixture[2], name: fixture[1] }
  const bracket = id.indexOf('[')
  const base = bracket < 0 ? id : id.slice(0, bracket)
  const dot = base.lastIndexOf('.')
  return dot < 0 ? { className: '(root)', name: id } : { className: base.slice(0, dot), name: id.slice(dot + 1) }
}

/** XML 1.0 cannot carry most control characters: drop them rather than write an unreadable file. */
function clean(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
}

function detail(test: TestResult, preferred: string): string {
  const exact = test.attachments.find((a) => a.name === preferred)
  const chosen = exact ? [exact] : test.attachments
  return clean(chosen.map((a) => a.text + (a.truncated ? '\n… (truncated)' : '')).join('\n'))
}

function lastLine(text: string): string {
  return text.trimEnd().split('\n').pop() ?? ''
}

export function toJUnitXml(read: StreamRead, meta: { name: string }): string {
  const suites = new Map<string, TestResult[]>()
  for (const test of read.tests) {
    const { className } = splitId(test.id)
    const list = suites.get(className) ?? []
    list.push(test)
    suites.set(className, list)
  }
  const isFailure = (t: TestResult): boolean => t.status === 'fail' || t.status === 'uxsuccess' || t.status === 'inprogress'
  const isSkip = (t: TestResult): boolean => t.status === 'skip' || t.status === 'xfail' || t.status === 'exists'
  const root = create({ version: '1.0', encoding: 'UTF-8' }).ele('testsuites', {
    name: clean(meta.name),
    tests: read.tests.length,
    failures: read.tests.filter(isFailure).length,
    errors: 0,
    skipped: read.tests.filter(isSkip).length,
    time: read.tests.reduce((sum, t) => sum + seconds(t), 0).toFixed(3)
  })
  for (const [className, tests] of suites) {
    const suite = root.ele('testsuite', {
      name: clean(className),
      tests: tests.length,
      failures: tests.filter(isFailure).length,
      errors: 0,
      skipped: tests.filter(isSkip).length,
      time: tests.reduce((sum, t) => sum + seconds(t), 0).toFixed(3)
    })
    for (const test of tests) {
      const { name } = splitId(test.id)
      const testcase = suite.ele('testcase', { classname: clean(className), name: clean(name), time: seconds(test).toFixed(3) })
      if (isFailure(test)) {
        const text =
          test.status === 'inprogress' ? 'The test started but never finished.' : detail(test, 'traceback')
        testcase.ele('failure', { message: clean(lastLine(text)).slice(0, 500), type: test.status }).txt(text)
      } else if (isSkip(test)) {
        const reason = detail(test, 'reason')
        testcase.ele('skipped', { message: clean(lastLine(reason)).slice(0, 500) })
      }
    }
  }
  return root.end({ prettyPrint: true })
}
