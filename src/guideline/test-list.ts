/**
 * The test list in the RefStack server's format (RefStack API v1
 * `GET /v1/guidelines/{v}/tests?type=required&alias=true&flag=false`): one line per (capability, test) pair
 * `name[idempotent_id]` (schema 1.2: the bare name; no id: `name[]`), each alias an extra line carrying the main
 * test's id, sorted as plain strings, duplicates kept (a test in two selected capabilities is listed twice).
 */
import type { ProgramSelection } from './model.js'
import { guidelineContent } from './parse.js'

/**
 * The list the action hands refstack-client: the server's `type=required&alias=true&flag=false` list of the
 * selection's program, narrowed to the selection's capabilities; for a plain test list, its own lines of the
 * selected services.
 */
export function runListFor(selection: ProgramSelection): string[] {
  const { list } = selection.guideline
  if (list) {
    const wanted = new Set(selection.capabilities.flatMap((c) => c.tests.map((t) => t.name)))
    return list.lines.filter((_, i) => wanted.has(list.tests[i].name))
  }
  const content = guidelineContent(selection.guideline)
  const selected = new Set(selection.capabilities.map((c) => c.name))
  const lines: string[] = []
  for (const [name, capability] of content.capabilities) {
    if (!selected.has(name)) continue
    for (const test of capability.tests) {
      if (test.flagged) continue
      // Schema 1.2 (listId null): bare names, and no aliases.
      const suffix = test.listId === null ? '' : `[${test.listId}]`
      lines.push(test.name + suffix, ...test.aliases.map((alias) => alias + suffix))
    }
  }
  // Default sort order is UTF-16 code-unit order, as Python sorts the server's strings.
  return lines.sort()
}
