/**
 * Interop guideline files (schema 1.2, 1.3-1.6, 2.0 core and add-on) → the model. Read as published, never
 * validated against the JSON Schemas, whose quirks they have:
 * misspelt capability keys (`acheivements`, `descriptin`), `required-since` vs `required_since`, bare UUIDs as
 * idempotent ids in add-ons, an empty idempotent id (2017.01 `tempest.api.volume.NEED_TEST`), the schema's `flag`
 * where the data say `flagged`, components that name capabilities the file does not define, a wrong
 * `metadata.id` (orchestration.2018.02 says `orchestration.next`: guidelines are named by file name).
 */
import path from 'node:path'
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser'
import { ActionError } from '../errors.js'
import { ADDON_PROGRAMS, PROGRAMS, type Guideline, type GuidelineTest, type Program } from './model.js'

export interface ContentTest extends GuidelineTest {
  /**
   * The idempotent id as written (`id-<uuid>`, a bare uuid in add-ons, `""` when absent), as the RefStack server
   * puts it between the brackets of its test list; `null` for schema 1.2, whose lines are bare names.
   */
  listId: string | null
}

/** A capability as the file defines it, before a program gives it a status. */
export interface CapabilityDefinition {
  name: string
  description?: string
  tests: ContentTest[]
}

/** What selection and the test list work on. */
export interface GuidelineContent {
  kind: 'core' | 'add-on'
  /** Component name → status key (as written) → capability names. */
  components: Map<string, Map<string, string[]>>
  /**
   * Every `target` the RefStack server accepts for this file → its component names. 1.x: `platform`
   * (`platform.required`) and each component; 2.0: the programs of `platforms`, or the add-on's.
   */
  targets: Map<string, string[]>
  /** Every capability the file defines, in file order. */
  capabilities: Map<string, CapabilityDefinition>
}

/** Display names of the core programs in schema 2.0 `platforms`. */
const PLATFORM_NAMES: Readonly<Record<'platform' | 'compute' | 'object', string>> = {
  platform: 'OpenStack Powered Platform',
  compute: 'OpenStack Powered Compute',
  object: 'OpenStack Powered Storage'
}

/** `2020.06`, `next`, `dns.2020.06`, `orchestration.next` — the ids of the files in openstack/interop. */
export const GUIDELINE_ID = /^(?:([a-z]+)\.)?(\d{4}\.\d{2}|next)$/

export interface ParseOrigin {
  /** For messages and `Guideline.source`. */
  source: string
  /** File name (or URL path) the text was read from; names the guideline when it looks like `2020.06.json`. */
  fileName?: string
  /** Id to use regardless of the file name (the id the RefStack server listed). */
  id?: string
}

const contentCache = new WeakMap<object, GuidelineContent>()

/** Parse guideline JSON text. Malformed JSON → ActionError naming the file and the line and column. */
export function parseGuideline(text: string, origin: ParseOrigin): Guideline {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  let json: unknown
  try {
    json = JSON.parse(body)
  } catch (error) {
    const where = locateJsonError(body)
    const position = where ? ` at line ${where.line}, column ${where.column} (${where.reason})` : ''
    const detail = where ? '' : `: ${error instanceof Error ? error.message : String(error)}`
    throw new ActionError(
      `Guideline ${origin.source} is not valid JSON${position}${detail}`,
      "Fix the file, or set input 'guideline' to another guideline file, URL or id"
    )
  }
  return parseGuidelineJson(json, origin)
}

/** Build the model from already parsed JSON. Anything that is not a guideline → ActionError naming the source. */
export function parseGuidelineJson(json: unknown, origin: ParseOrigin): Guideline {
  const notGuideline = (what: string): ActionError =>
    new ActionError(
      `${origin.source} is not an interop guideline: ${what}`,
      "Set input 'guideline' to a guideline JSON file of openstack/interop (e.g. 2020.06.json), its URL, or an id"
    )
  if (!isObject(json)) throw notGuideline('the JSON is not an object')
  const control = findControlCharacter(json)
  if (control !== undefined)
    throw notGuideline(`${control} holds a control character (a newline, tab, escape …)`)
  const metadata = isObject(json.metadata) ? json.metadata : undefined
  const schema = str(metadata?.schema) ?? str(json.schema)
  if (schema === undefined) throw notGuideline('it has no schema version (`metadata.schema` or `schema`)')
  if (!isObject(json.components)) throw notGuideline('it has no `components` object')
  if (!isObject(json.capabilities)) throw notGuideline('it has no `capabilities` object')
  // 2.0 files: `metadata` present and schema >= "2.0", compared as strings like the RefStack server.
  const v2 = metadata !== undefined && schema >= '2.0'

  const components = new Map<string, Map<string, string[]>>()
  for (const [name, value] of Object.entries(json.components)) {
    if (!isObject(value)) continue
    const lists = v2 ? value.capabilities : value
    const byStatus = new Map<string, string[]>()
    if (isObject(lists)) {
      for (const [status, caps] of Object.entries(lists)) byStatus.set(status, strings(caps))
    }
    components.set(name, byStatus)
  }

  const targets = new Map<string, string[]>()
  const known = (names: string[]): boolean => names.every((n) => components.has(n))
  // A 2.0 file without `platforms` is an add-on.
  const platforms = v2 && isObject(json.platforms) ? json.platforms : undefined
  const kind = v2 && !platforms ? 'add-on' : 'core'
  if (v2) {
    for (const [program, display] of platforms ? Object.entries(PLATFORM_NAMES) : []) {
      const platform = platforms?.[display]
      if (!isObject(platform) || !Array.isArray(platform.components)) continue
      const names = platform.components.map((c) => (isObject(c) ? str(c.name) : undefined))
      if (names.every((n): n is string => n !== undefined) && known(names)) targets.set(program, names)
    }
    for (const program of ADDON_PROGRAMS) {
      const component = `os_powered_${program}`
      if (components.has(component)) targets.set(program, [component])
    }
  } else {
    const platform = isObject(json.platform) ? json.platform : undefined
    if (platform && Array.isArray(platform.required)) {
      const required = strings(platform.required)
      if (known(required)) targets.set('platform', required)
    }
    for (const name of components.keys()) if (name !== 'platform') targets.set(name, [name])
  }

  const capabilities = new Map<string, CapabilityDefinition>()
  for (const [name, value] of Object.entries(json.capabilities)) {
    if (!isObject(value)) continue
    capabilities.set(name, parseCapability(name, value, origin.source))
  }

  const approval = isObject(metadata?.os_trademark_approval) ? metadata.os_trademark_approval : undefined
  const releases = strings(v2 ? approval?.releases : json.releases).map((r) => r.trim().toLowerCase())
  const status = (str(v2 ? approval?.status : json.status) ?? '').trim()
  const programs = PROGRAMS.filter((p: Program) => targets.has(p))
  const guideline: Guideline = {
    id: origin.id ?? idFromFileName(origin.fileName) ?? str(metadata?.id) ?? str(json.id) ?? 'unknown',
    source: origin.source,
    schema,
    status,
    releases,
    programs,
    raw: json
  }
  contentCache.set(json, { kind, components, targets, capabilities })
  return guideline
}

/** The content parseGuideline found in a guideline's JSON. */
export function guidelineContent(guideline: Guideline): GuidelineContent {
  const content = isObject(guideline.raw) ? contentCache.get(guideline.raw) : undefined
  if (content === undefined) throw new Error(`Guideline ${guideline.id} was not made by parseGuideline`)
  return content
}

/** `2020.06.json` → `2020.06`, `add-ons/dns.2020.06.json` → `dns.2020.06`; other names → undefined. */
export function idFromFileName(fileName: string | undefined): string | undefined {
  if (!fileName) return undefined
  const base = path.posix.basename(fileName.replace(/\\/g, '/'))
  const match = /^(.*)\.json$/i.exec(base)
  return match && GUIDELINE_ID.test(match[1]) ? match[1] : undefined
}

/** A field of a capability that holds no usable tests → ActionError naming the file and the field. */
function malformed(source: string, field: string, what: string): ActionError {
  return new ActionError(
    `Guideline ${source} is malformed: \`${field}\` ${what}`,
    "Fix the file (each capability's `tests` is a list of test names (schema 1.x) or an object keyed by test name (schema 2.0)), or set input 'guideline' to another guideline"
  )
}

/** The JSON type of `value` as a message names it. */
function jsonType(value: unknown): string {
  if (value === null) return 'null'
  if (value === undefined) return 'nothing'
  return Array.isArray(value) ? 'a list' : `a ${typeof value}`
}

function parseCapability(name: string, value: Record<string, unknown>, source: string): CapabilityDefinition {
  const tests: ContentTest[] = []
  const field = `capabilities.${name}.tests`
  if (Array.isArray(value.tests)) {
    const bad = value.tests.findIndex((t) => typeof t !== 'string' || t.trim() === '')
    if (bad >= 0) {
      throw malformed(source, `${field}[${bad}]`, `must be a test name (got ${jsonType(value.tests[bad])})`)
    }
    // Schema 1.2: a list of names; `flagged` a list of names, no ids, no aliases, no reasons.
    const flagged = new Set(strings(value.flagged))
    for (const test of strings(value.tests)) {
      tests.push({
        name: test,
        aliases: [],
        listId: null,
        ...(flagged.has(test)
          ? { flagged: { reason: 'flagged in the guideline (schema 1.2 gives no reason)' } }
          : {})
      })
    }
  } else if (isObject(value.tests)) {
    for (const [test, details] of Object.entries(value.tests)) {
      if (!isObject(details)) {
        throw malformed(source, `${field}["${test}"]`, `must be an object (got ${jsonType(details)})`)
      }
      const rawId = str(details.idempotent_id) ?? ''
      const id = rawId.startsWith('id-') ? rawId.slice(3) : rawId
      const flag = parseFlag(details.flagged) ?? parseFlag(details.flag)
      tests.push({
        name: test,
        ...(id ? { idempotentId: id } : {}),
        aliases: typeof details.aliases === 'string' ? [details.aliases] : strings(details.aliases),
        listId: rawId,
        ...(flag ? { flagged: flag } : {})
      })
    }
  } else {
    throw malformed(source, field, `must be a list or an object of tests (got ${jsonType(value.tests)})`)
  }
  const description = str(value.description) ?? str(value.descriptin)
  return {
    name,
    ...(description !== undefined ? { description } : {}),
    tests
  }
}

/** A truthy `flagged`/`flag` value (what the server tests) → reason and action. */
function parseFlag(value: unknown): { reason: string; action?: string } | undefined {
  if (!value) return undefined
  if (typeof value === 'string') return { reason: value }
  if (isObject(value)) {
    if (Object.keys(value).length === 0) return undefined
    const action = str(value.action)
    return { reason: str(value.reason) ?? '', ...(action !== undefined ? { action } : {}) }
  }
  return { reason: '' }
}

/** C0 controls, DEL, C1 controls and the Unicode line/paragraph separators. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/

/**
 * The JSON path (`capabilities["x"].tests`) of the first key or string value holding a control character, or
 * undefined. A guideline's strings end up in the log, the job summary, annotations and the test list file written
 * to the target, one name per line: a newline in a test name would split the list, and one in `metadata.id` would
 * start a line of its own in the log, i.e. a workflow command. No published guideline holds a control character.
 */
function findControlCharacter(value: unknown, at = ''): string | undefined {
  if (typeof value === 'string') return CONTROL.test(value) ? at || '(top level)' : undefined
  if (value === null || typeof value !== 'object') return undefined
  for (const [key, item] of Object.entries(value)) {
    const here = Array.isArray(value)
      ? `${at}[${key}]`
      : /^[A-Za-z_]\w*$/.test(key)
        ? `${at}${at ? '.' : ''}${key}`
        : `${at}[${JSON.stringify(key)}]`
    if (CONTROL.test(key)) return `${here} (the key)`
    const found = findControlCharacter(item, here)
    if (found !== undefined) return found
  }
  return undefined
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
}

/**
 * Where JSON.parse failed: the first error jsonc-parser finds in strict JSON mode (Node's messages carry a
 * position only sometimes). Line and column are 1-based; undefined when it finds no error.
 */
export function locateJsonError(text: string): { line: number; column: number; reason: string } | undefined {
  const errors: ParseError[] = []
  try {
    parseJsonc(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false })
  } catch {
    return undefined // e.g. too deeply nested for the stack
  }
  const first = errors[0]
  if (first === undefined) return undefined
  // jsonc-parser places a control character in a string, or its missing end, at the string's start: point at
  // the character (a line break ends the string too), or at the end of the file.
  const code = printParseErrorCode(first.error)
  const inString = code === 'InvalidCharacter' || code === 'UnexpectedEndOfString'
  // eslint-disable-next-line no-control-regex -- finding the control character is the point
  const offset = first.offset + (inString ? text.slice(first.offset).search(/[\u0000-\u001f]|$/) : 0)
  const before = text.slice(0, offset)
  return {
    line: before.split('\n').length,
    column: offset - before.lastIndexOf('\n'),
    // PropertyNameExpected → 'property name expected, unexpected "}"'
    reason: `${code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()}, ${offset < text.length ? `unexpected ${JSON.stringify(text[offset])}` : 'at the end of the file'}`
  }
}
