/**
 * Selection: the required capabilities of one program of a guideline, optionally narrowed by the
 * `capabilities` input (names and globs).
 */
import { minimatch } from 'minimatch'
import { ActionError } from '../errors.js'
import {
  ADDON_PROGRAMS,
  STATUSES,
  type Capability,
  type CapabilityStatus,
  type Guideline,
  type Program,
  type ProgramSelection
} from './model.js'
import { guidelineContent, type GuidelineContent } from './parse.js'

/**
 * Every capability of a program with the highest-priority status it has in any of the program's components
 * (required > advisory > deprecated > removed), as the RefStack UI files them. Capabilities a component names
 * but the file does not define are left out (they contribute nothing, as in the UI). Guideline order.
 */
export function programCapabilities(guideline: Guideline, program: Program): Capability[] {
  const content = guidelineContent(guideline)
  const components = programComponents(guideline, content, program)
  const status = new Map<string, CapabilityStatus>()
  for (const component of components) {
    for (const [key, names] of content.components.get(component) ?? []) {
      const rank = STATUSES.indexOf(key as CapabilityStatus)
      for (const name of names) {
        const current = status.get(name)
        if (rank >= 0 && (current === undefined || rank < STATUSES.indexOf(current))) {
          status.set(name, STATUSES[rank])
        }
      }
    }
  }
  return [...content.capabilities.values()].flatMap(({ name, description, tests }) => {
    const capabilityStatus = status.get(name)
    if (capabilityStatus === undefined) return []
    return {
      name,
      status: capabilityStatus,
      ...(description !== undefined ? { description } : {}),
      tests: tests.map(({ listId: _listId, ...test }) => test)
    }
  })
}

/**
 * The required capabilities of `program`, each with its tests (name, idempotent id, aliases, flagged + reason),
 * narrowed by `capabilityFilter` (capability names or globs such as `identity-*`; blank entries ignored).
 * A program the guideline lacks, or a filter that leaves nothing to run → ActionError.
 */
export function selectProgram(
  guideline: Guideline,
  program: Program,
  capabilityFilter: string[]
): ProgramSelection {
  const all = programCapabilities(guideline, program)
  const required = all.filter((c) => c.status === 'required')
  if (required.length === 0) {
    throw new ActionError(
      `Guideline ${guideline.id} has no required capability for program '${program}'`,
      "Set input 'program' or 'guideline' to a combination that has required capabilities"
    )
  }
  const empty = required.filter((c) => c.tests.length === 0)
  if (empty.length === required.length) {
    throw new ActionError(
      `Guideline ${guideline.id} (${guideline.source}) lists no test in any required capability of program '${program}' (\`capabilities.<name>.tests\` is empty for ${sample(empty.map((c) => c.name))})`,
      "Fix the file, or set input 'guideline' to a guideline whose required capabilities list tests"
    )
  }
  const narrowed = applyFilter(capabilityFilter, required, (filter, matches) => {
    const other = all.filter((c) => c.status !== 'required' && matches(c))
    const otherNote = other.length
      ? ` (it matches ${other.map((c) => `${c.name} (${c.status})`).join(', ')}, but only required capabilities run)`
      : ''
    return new ActionError(
      `Input 'capabilities' (${filter.join(', ')}) matches no required capability of ${guideline.id} program '${program}'${otherNote}`,
      `Use names or globs of its required capabilities, e.g. ${sample(required.map((c) => c.name))}, or leave 'capabilities' empty to run them all`
    )
  })
  return { guideline, program, ...narrowed }
}

/**
 * The `capabilities` input applied to named groups (capabilities, or a test list's services): each entry a name
 * or a glob such as `identity-*`, blank entries ignored. A filter that selects nothing → `noMatch`'s error.
 */
export function applyFilter<T extends { name: string }>(
  input: readonly string[],
  groups: T[],
  noMatch: (filter: string[], matches: (group: { name: string }) => boolean) => ActionError
): Pick<ProgramSelection, 'partial' | 'filter' | 'unmatchedFilter'> & { capabilities: T[] } {
  const filter = input.map((f) => f.trim()).filter((f) => f !== '')
  if (filter.length === 0) return { capabilities: groups, partial: false, filter }
  const hit = (pattern: string, name: string): boolean => pattern === name || minimatch(name, pattern)
  const matches = (group: { name: string }): boolean => filter.some((pattern) => hit(pattern, group.name))
  const selected = groups.filter(matches)
  if (selected.length === 0) throw noMatch(filter, matches)
  return {
    capabilities: selected,
    partial: selected.length < groups.length,
    filter,
    unmatchedFilter: filter.filter((pattern) => !groups.some((group) => hit(pattern, group.name)))
  }
}

/** The component names of a program, or an ActionError listing the programs the guideline has. */
function programComponents(guideline: Guideline, content: GuidelineContent, program: Program): string[] {
  const components = guideline.programs.includes(program) ? content.targets.get(program) : undefined
  if (components) return components
  const addon = ADDON_PROGRAMS.includes(program)
  const has = guideline.programs.length ? guideline.programs.join(', ') : 'none'
  const hint = addon
    ? `'${program}' is an add-on program: set input 'guideline' to an add-on guideline such as ${program}.2020.06 (or latest with program '${program}'), or set 'program' to one of: ${has}`
    : `Set input 'program' to one of: ${has}${content.kind === 'add-on' ? `, or set 'guideline' to a core guideline (e.g. 2020.06) for program '${program}'` : ''}`
  throw new ActionError(`Guideline ${guideline.id} has no program '${program}' (its programs: ${has})`, hint)
}

function sample(names: string[]): string {
  const shown = names.slice(0, 5).join(', ')
  return names.length > 5 ? `${shown}, … (${names.length} in all)` : shown
}
