/**
 * Plain Tempest test lists as standards: an operator's list, or SCS-0128 "SCS end-to-end testing"
 * (https://docs.scs.community/standards/scs-0128-v1-e2e-testing), the Tempest tests of interop guideline 2022.11.
 *
 * One required test id per line, optional attributes (`[id-<uuid>,smoke]`, as `tempest run --list-tests` prints
 * them); `#` starts a comment (a whole line, or after whitespace); blank lines are ignored. Results are grouped by
 * service (`tempest.api.object_storage.…` → object-storage).
 */
import { ActionError } from '../errors.js'
import { applyFilter } from './select.js'
import type { Capability, Guideline, GuidelineTest, ProgramSelection, VerdictRule } from './model.js'

/** A Tempest test id: dotted Python identifiers, at least module.Class.method, optional `[attributes]`. */
const TEST_LINE = /^([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*){2,})(?:\[([^\][\s]*)\])?$/

/**
 * A test list's id (its file name, or the last part of its URL), also any guideline id (`2020.06`,
 * `dns.2020.06`): shown in summaries, stored in report.json, set as the `guideline` output.
 */
export const LIST_ID = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$/
export const LIST_ID_RULE = 'a letter or digit, then letters, digits and . _ - + (128 characters at most)'

/**
 * The largest guideline file or test list read (checked before reading, or while downloading): a guideline JSON
 * is about 1 MiB, a list of every Tempest test a few hundred KiB.
 */
export const MAX_GUIDELINE_BYTES = 16 * 1024 * 1024
/** The most tests a list may name (Tempest with its plugins has a few thousand). */
export const MAX_LIST_TESTS = 100_000

/** True when text is a test list rather than guideline JSON (which starts with `{`). */
export function looksLikeTestList(text: string): boolean {
  return !/^\uFEFF?\s*\{/.test(text)
}

/**
 * Parse a test list. A line that is not a test id, or any control character, → ActionError naming the line.
 * Duplicate tests (same name) are kept once. An empty list → ActionError.
 */
export function parseTestList(
  text: string,
  origin: { id: string; source: string; status?: string; rule?: VerdictRule; ruleSource?: string }
): Guideline {
  if (!LIST_ID.test(origin.id)) {
    const shown = JSON.stringify(origin.id.length > 100 ? `${origin.id.slice(0, 100)}…` : origin.id)
    throw new ActionError(
      `Input 'guideline': the test list's name ${shown} (of ${origin.source}) is not a list id`,
      `Name the file (or the URL's last part) with ${LIST_ID_RULE}, e.g. 'my-cloud-tests.txt'`
    )
  }
  const lines: string[] = []
  const tests: GuidelineTest[] = []
  const seen = new Set<string>()
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  body.split(/\r?\n/).forEach((raw, index) => {
    const where = `${origin.source}, line ${index + 1}`
    // C0 controls but tab, DEL, C1 controls and the Unicode line/paragraph separators (as in guideline files).
    // eslint-disable-next-line no-control-regex -- control characters are what is looked for
    const control = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/.exec(raw)
    if (control) {
      throw new ActionError(
        `Input 'guideline': ${where} holds the control character U+${control[0].charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}`,
        'A test list is plain text: one Tempest test id per line, # comments, blank lines'
      )
    }
    const line = raw.replace(/(^|\s)#.*$/, '').trim()
    if (line === '') return
    const match = TEST_LINE.exec(line)
    if (!match) {
      throw new ActionError(
        `Input 'guideline': ${where} is not a Tempest test id: '${line.slice(0, 200)}'`,
        'Write one test id per line, e.g. tempest.api.compute.flavors.test_flavors.FlavorsV2TestJSON.test_list_flavors[id-e36c0eaa-dff5-4082-ad1f-3f9a80aa3f59,smoke] (attributes optional), or # comments'
      )
    }
    const name = match[1]
    if (seen.has(name)) return
    if (seen.size >= MAX_LIST_TESTS) {
      throw new ActionError(
        `Input 'guideline': the test list ${origin.source} names more than ${MAX_LIST_TESTS} tests (${where})`,
        `A list of every Tempest test holds a few thousand: give the tests of the standard, one per line`
      )
    }
    seen.add(name)
    lines.push(line)
    const idempotentId = /(?:^|,)id-([0-9a-f-]{36})(?:,|$)/i.exec(match[2] ?? '')?.[1]
    tests.push({ name, aliases: [], ...(idempotentId ? { idempotentId } : {}) })
  })
  if (tests.length === 0) {
    throw new ActionError(
      `Input 'guideline': the test list ${origin.source} names no test`,
      'Give a list with one Tempest test id per line'
    )
  }
  return {
    id: origin.id,
    source: origin.source,
    schema: 'test list',
    status: origin.status ?? '',
    releases: [],
    programs: [],
    raw: undefined,
    list: {
      lines,
      tests,
      rule: origin.rule ?? 'no-test-failed',
      ...(origin.ruleSource ? { ruleSource: origin.ruleSource } : {})
    }
  }
}

/** The service a test belongs to: `tempest.api.object_storage.…` → object-storage; scenario tests → scenario. */
export function serviceOf(testName: string): string {
  const service = /^(?:tempest\.(?:api\.)?)?([^.]*)\./.exec(testName)?.[1] ?? ''
  return service.replace(/_/g, '-')
}

/**
 * The selection of a test list: one synthetic required "capability" per service (in order of first appearance),
 * so compliance and the summary table work per service; narrowed by `serviceFilter` (the `capabilities` input:
 * service names or globs). `failOnSkipped` makes skips fail whatever the list's rule.
 */
export function selectListedTests(
  guideline: Guideline,
  serviceFilter: string[],
  failOnSkipped: boolean
): ProgramSelection {
  const list = guideline.list
  if (!list) throw new Error(`selectListedTests: ${guideline.id} is not a test list`)
  const groups = new Map<string, Capability>()
  for (const test of list.tests) {
    const service = serviceOf(test.name)
    const group = groups.get(service)
    if (group) group.tests.push(test)
    else groups.set(service, { name: service, status: 'required', tests: [test] })
  }
  const all = [...groups.values()]
  const narrowed = applyFilter(
    serviceFilter,
    all,
    (filter) =>
      new ActionError(
        `Input 'capabilities' (${filter.join(', ')}) matches no service of the test list ${guideline.id}`,
        `For a test list, 'capabilities' selects services: ${all.map((g) => g.name).join(', ')}; or leave it empty to run the whole list`
      )
  )
  const rule: VerdictRule = failOnSkipped ? 'every-test-passed' : list.rule
  return { guideline, program: 'platform', rule, groupedBy: 'service', ...narrowed }
}

/** What the report says of the standard: its kind and the verdict rule that applied. */
export function standardFacts(selection: ProgramSelection): {
  kind: 'interop-guideline' | 'test-list'
  rule: { id: VerdictRule; text: string; source?: string }
} {
  const id = selection.rule ?? 'every-test-passed'
  const ruleSource = selection.guideline.list?.ruleSource
  const source =
    selection.guideline.list === undefined
      ? 'RefStack interop guidelines'
      : id !== selection.guideline.list.rule
        ? "input 'fail-on-skipped'"
        : ruleSource
  return {
    kind: selection.guideline.list ? 'test-list' : 'interop-guideline',
    rule: { id, text: describeRule(id), ...(source ? { source } : {}) }
  }
}

/** The rule in words, for the summary and the log. */
export function describeRule(rule: VerdictRule | undefined): string {
  return rule === 'no-test-failed'
    ? 'a listed test that failed or did not run fails the run; skipped tests are reported and do not'
    : 'every required test must pass: a failed, skipped or missing test fails the run'
}
