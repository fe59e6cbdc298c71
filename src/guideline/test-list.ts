/**
 * Test lists in the RefStack server's format (RefStack API v1 `GET /v1/guidelines/{v}/tests`): one line per
 * (capability, test) pair `name[idempotent_id]` (schema 1.2: the bare name; no id: `name[]`), each alias an extra
 * line carrying the main test's id, sorted as plain strings, duplicates kept (a test in two selected
 * capabilities is listed twice).
 */
import { ActionError } from '../errors.js'
import type { Guideline, ProgramSelection } from './model.js'
import { guidelineContent, type GuidelineContent } from './parse.js'

export interface ServerListOptions {
  /** `platform`, `compute`, `object`, `dns`, `orchestration`; schema 1.x also accepts a component name. */
  target: string
  /** Statuses to include (`required`, `advisory`, …); unknown words match nothing; empty = all, like no `type`. */
  type: string[]
  /** Add each alias as an extra line. */
  alias: boolean
  /** Include flagged tests. */
  flag: boolean
}

/**
 * Exactly what `GET /v1/guidelines/{v}/tests?target=&type=&alias=&flag=` returns for this guideline, as lines.
 * A target the file does not have (the server's "Invalid target") → ActionError listing its programs.
 */
export function serverTestList(guideline: Guideline, options: ServerListOptions): string[] {
  const content = guidelineContent(guideline)
  const components = content.targets.get(options.target)
  if (!components) {
    throw new ActionError(
      `Guideline ${guideline.id} has no program '${options.target}' (its programs: ${guideline.programs.join(', ') || 'none'})`,
      `Set input 'program' to one of: ${guideline.programs.join(', ') || 'none'}`
    )
  }
  const types = options.type.length ? new Set(options.type) : undefined
  const capabilities = new Set<string>()
  for (const component of components) {
    for (const [status, names] of content.components.get(component) ?? []) {
      if (!types || types.has(status)) for (const name of names) capabilities.add(name)
    }
  }
  return listLines(content, capabilities, options.alias, options.flag)
}

/**
 * The list the action hands refstack-client: the server's `type=required&alias=true&flag=false` list of the
 * selection's program, narrowed to the selection's capabilities (all of them when the selection is not partial).
 */
export function runListFor(selection: ProgramSelection): string[] {
  const content = guidelineContent(selection.guideline)
  return listLines(content, new Set(selection.capabilities.map((c) => c.name)), true, false)
}

/** The server's `get_test_list`: every test of every selected capability the file defines, formatted, sorted. */
function listLines(
  content: GuidelineContent,
  capabilities: Set<string>,
  alias: boolean,
  flag: boolean
): string[] {
  const lines: string[] = []
  for (const [name, capability] of content.capabilities) {
    if (!capabilities.has(name)) continue
    for (const test of capability.tests) {
      if (test.flagged && !flag) continue
      if (test.listId === null) {
        lines.push(test.name)
        continue
      }
      const suffix = `[${test.listId}]`
      lines.push(test.name + suffix)
      if (alias) for (const a of test.aliases) lines.push(a + suffix)
    }
  }
  return lines.sort(compareStrings)
}

/** Plain code-unit order, as Python sorts the server's strings. */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
