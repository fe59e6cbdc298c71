/**
 * Input `guideline` → a guideline: `latest` or an id (`2020.06`, `next`, `dns.2020.06`) looked up as
 * `guideline-source` says: `server` (GET {server}/v1/guidelines, then /v1/guidelines/{file}), `bundled`, or `auto`
 * (the server, else the bundled files with a warning saying why). `latest` is the newest approved guideline the
 * server lists, else 2022.11 from opendev (the final one), never a bundled file (see latest()). An id the action does not bundle (2020.11 …
 * 2022.11) comes from the server, else from the published interop repository, unless the source is `bundled`.
 * `scs-0128` is the bundled SCS-0128 list; a path or an `https://` URL (`http://` on loopback only) is read as a
 * guideline, or as a plain test list when its text does not start with `{`.
 *
 * `program` says which family `latest` and bare ids mean: the core guidelines, or an add-on's files (`latest` with
 * program `dns` is the newest approved `dns.*` guideline, `2020.06` is `dns.2020.06`).
 */
import { existsSync, promises as fs } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { ActionError, describeError } from '../errors.js'
import { isLoopbackHost } from '../input-checks.js'
import { describeAnswer, httpRequest, type HttpAnswer } from '../http.js'
import { ADDON_PROGRAMS, type Guideline, type Program } from './model.js'
import { GUIDELINE_ID, parseGuideline } from './parse.js'
import { looksLikeTestList, MAX_GUIDELINE_BYTES, parseTestList } from './plain-list.js'

export type GuidelineSourceKind = 'auto' | 'server' | 'bundled'

export interface ResolveGuidelineOptions {
  /** Input `guideline`: `latest`, an id, a file path, or a URL. Empty = `latest`. */
  guideline: string
  /** Input `guideline-source`: where `latest` and ids are looked up. */
  source: GuidelineSourceKind
  /** Input `refstack-server`: the RefStack API base, e.g. https://refstack.openstack.org/api. */
  server: string
  /** Directory of the bundled guidelines (the action's data/guidelines). */
  bundledDir: string
  /** Input `program` (default platform): which family `latest` and bare ids mean. */
  program?: Program
  /** Limit for each HTTP request (default 30 s). */
  timeoutMs?: number
  /** Where ids neither bundled nor on the RefStack server are fetched from, as `<base>/<id>.json`. */
  interopGuidelinesUrl: string
}

/** The published interop guidelines (openinfra/interop on opendev), for ids the RefStack server does not have. */
export const INTEROP_GUIDELINES_URL = 'https://opendev.org/openinfra/interop/raw/branch/master/guidelines'

export interface ResolvedGuideline {
  guideline: Guideline
  /** Non-fatal trouble for core.warning: fallback to the bundled files and why, a guideline not approved. */
  warnings: string[]
}

/** One guideline a catalog (the server's list or the bundled directory) offers. */
interface CatalogEntry {
  /** `2020.06`, `next`, `dns.2020.06`. */
  id: string
  /** `powered` for core guidelines, else the add-on prefix (`dns`, `orchestration`). */
  family: string
  /** `2020.06` or `next`. */
  version: string
  /** Server: the `file` it listed; bundled: the path relative to the directory. */
  file: string
}

const ID_HINT =
  "Set input 'guideline' to latest, a guideline id (e.g. 2020.06, 2022.11, dns.2020.06), scs-0128, a path to a guideline JSON file or Tempest test list, or an https:// URL of one"

type Request = { kind: 'latest'; family: string } | { kind: 'id'; id: string }

/** Resolve input `guideline` to a parsed guideline. Anything the user can fix → ActionError. */
export async function resolveGuideline(options: ResolveGuidelineOptions): Promise<ResolvedGuideline> {
  const input = options.guideline.trim() || 'latest'
  const timeoutMs = options.timeoutMs ?? 30_000
  const program = options.program ?? 'platform'
  const family = ADDON_PROGRAMS.includes(program) ? program : 'powered'
  const warnings: string[] = []
  const done = (guideline: Guideline): ResolvedGuideline => {
    // A test list states no approval: its status is the standard's own (SCS-0128: Draft).
    if (guideline.list) return { guideline, warnings }
    const status = guideline.status.toLowerCase()
    if (status !== 'approved') {
      warnings.push(
        `Guideline ${guideline.id} is ${status ? `'${guideline.status}'` : 'without a status'}, not approved: ` +
          'its result does not show compliance with a current guideline'
      )
    }
    return { guideline, warnings }
  }

  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(input)) return done(await fromUrl(input, timeoutMs))
  const listed = await bundledList(input)
  if (listed) return done(listed)

  let request: Request | undefined
  if (input.toLowerCase() === 'latest') request = { kind: 'latest', family }
  else {
    const match = GUIDELINE_ID.exec(input)
    if (match) request = { kind: 'id', id: !match[1] && family !== 'powered' ? `${family}.${input}` : input }
  }
  if (!request) return done(await fromFile(input))

  const bundled = new BundledCatalog(options.bundledDir)
  if (request.kind === 'latest') return done(await latest(request.family, options, timeoutMs))
  if (options.source === 'bundled') return done(await resolveIn(bundled, request))
  const server = new ServerCatalog(options.server, timeoutMs)
  if (!(await bundled.list()).some((e) => e.id === request.id)) {
    return done(await serverThenInterop(server, request.id, options.interopGuidelinesUrl, timeoutMs))
  }
  try {
    return done(await resolveIn(server, request))
  } catch (error) {
    const what = request.id
    if (error instanceof Unavailable) {
      if (options.source === 'server') {
        throw new ActionError(
          `Could not get guideline '${what}' from the RefStack server ${server.base}: ${error.message}`,
          "Check input 'refstack-server' (the RefStack API base, e.g. https://refstack.openstack.org/api) and the " +
            "network or proxy settings, or set input 'guideline-source' to 'bundled' or 'auto' to use the guidelines bundled with the action"
        )
      }
      warnings.push(
        `RefStack server ${server.base} could not be used (${error.message}); ` +
          `using the guidelines bundled with the action for '${what}' ('guideline-source' is auto)`
      )
      return done(await resolveIn(bundled, request))
    }
    // Only a bundled id gets here (the others went to serverThenInterop): the bundled copy exists.
    if (error instanceof NotListed && options.source === 'auto') {
      warnings.push(
        `RefStack server ${server.base} does not list guideline '${what}'; using the copy bundled with the action`
      )
      return done(await resolveIn(bundled, request))
    }
    throw error
  }
}

/**
 * The newest approved core guideline since the interop program's retirement (September 2025): no newer one
 * will be approved, so `latest` is this one whenever the RefStack server cannot list its own.
 */
export const FINAL_CORE_GUIDELINE = '2022.11'

const LATEST_WAYS_OUT =
  "Make the RefStack server ('refstack-server') or opendev.org (the variable REFSTACK_ACTION_INTEROP_GUIDELINES_URL names a mirror) reachable, " +
  `or name the guideline: a file ('guideline: ./${FINAL_CORE_GUIDELINE}.json', downloaded from opendev.org/openinfra/interop), ` +
  "a bundled id ('guideline: 2020.06' with 'guideline-source: bundled'), or 'guideline: scs-0128' (the bundled SCS end-to-end test list)"

/**
 * `latest`: the newest approved guideline of the family the RefStack server lists; when the server cannot be
 * used, the core family's final guideline from opendev. Never a bundled file: the newest bundled one (2020.06)
 * is not the newest approved, so neither answering is an ActionError naming both and the ways out.
 */
async function latest(
  family: string,
  options: ResolveGuidelineOptions,
  timeoutMs: number
): Promise<Guideline> {
  const kind = family === 'powered' ? 'core' : family
  if (options.source === 'bundled') {
    throw new ActionError(
      `Guideline 'latest' cannot come from the guidelines bundled with the action ('guideline-source' is bundled): the newest approved ${kind} guideline${family === 'powered' ? `, ${FINAL_CORE_GUIDELINE},` : ''} is not bundled`,
      LATEST_WAYS_OUT
    )
  }
  const server = new ServerCatalog(options.server, timeoutMs)
  try {
    return await resolveIn(server, { kind: 'latest', family })
  } catch (error) {
    if (!(error instanceof Unavailable)) throw error
    if (family !== 'powered') {
      throw new ActionError(
        `Could not get guideline 'latest' (the newest approved ${kind} guideline) from the RefStack server ${server.base}: ${error.message}`,
        LATEST_WAYS_OUT
      )
    }
    return serverThenInterop(server, FINAL_CORE_GUIDELINE, options.interopGuidelinesUrl, timeoutMs, {
      what: `'latest' (${FINAL_CORE_GUIDELINE}, the newest approved guideline since the interop program's retirement in September 2025)`,
      serverWhy: error.message,
      hint: LATEST_WAYS_OUT
    })
  }
}

/**
 * An id the action does not bundle (2020.11 … 2022.11): the RefStack server's copy, else the published file
 * `<interop>/<id>.json`; neither → ActionError naming both and why each failed. `latest` passes what the server
 * said already (it is not asked again), its name and its ways out.
 */
async function serverThenInterop(
  server: ServerCatalog,
  id: string,
  interopBase: string,
  timeoutMs: number,
  asked?: { what: string; serverWhy: string; hint: string }
): Promise<Guideline> {
  let serverWhy: string
  if (asked) serverWhy = asked.serverWhy
  else {
    try {
      return await resolveIn(server, { kind: 'id', id })
    } catch (error) {
      if (!(error instanceof Unavailable) && !(error instanceof NotListed)) throw error
      serverWhy = error instanceof NotListed ? `it has ${error.listed.join(', ') || 'none'}` : error.message
    }
  }
  const url = `${interopBase.replace(/\/+$/, '')}/${encodeURIComponent(id)}.json`
  let why: string
  try {
    const response = await httpGet(url, timeoutMs)
    if (response.status === 200) {
      return parseGuideline(response.body, { source: url, fileName: `${id}.json`, id })
    }
    why = `answered ${describeAnswer(response)}`
  } catch (error) {
    why = `failed: ${describeError(error)}`
  }
  throw new ActionError(
    `Guideline ${asked?.what ?? `'${id}'`} was found neither on the RefStack server ${server.base} (${serverWhy}) nor at ${url} (${why})`,
    asked?.hint ?? `${ID_HINT}; for a current cloud, 'scs-0128' (bundled) or your own Tempest test list`
  )
}

// --- resolution over a catalog --------------------------------------------------------------------------

interface Catalog {
  /** "the RefStack server https://…", "the guidelines bundled with the action" */
  readonly description: string
  list(): Promise<CatalogEntry[]>
  load(entry: CatalogEntry): Promise<Guideline>
}

/** The catalog cannot be used (unreachable, timeout, HTTP error, empty list): `auto` falls back. */
class Unavailable extends Error {}

/** The id is not in the catalog. */
class NotListed extends ActionError {
  constructor(
    message: string,
    hint: string,
    readonly listed: string[]
  ) {
    super(message, hint)
  }
}

async function resolveIn(catalog: Catalog, request: Request): Promise<Guideline> {
  const entries = await catalog.list()
  if (request.kind === 'id') {
    const entry = entries.find((e) => e.id === request.id)
    if (!entry) {
      throw new NotListed(
        `Guideline '${request.id}' is not among ${catalog.description}: it has ${entries.map((e) => e.id).join(', ') || 'none'}`,
        ID_HINT,
        entries.map((e) => e.id)
      )
    }
    return catalog.load(entry)
  }
  // latest: the newest approved guideline of the family, by file name; never `next`, never a draft.
  const candidates = entries
    .filter((e) => e.family === request.family && e.version !== 'next')
    .sort((a, b) => (a.version < b.version ? 1 : a.version > b.version ? -1 : 0))
  const skipped: string[] = []
  for (const entry of candidates) {
    const guideline = await catalog.load(entry)
    if (guideline.status.toLowerCase() === 'approved') return guideline
    skipped.push(`${entry.id} (${guideline.status || 'no status'})`)
  }
  const kind = request.family === 'powered' ? 'core' : request.family
  throw new ActionError(
    `There is no approved ${kind} guideline among ${catalog.description}` +
      (skipped.length ? ` (not approved: ${skipped.join(', ')})` : candidates.length ? '' : ' (it has none)'),
    `${ID_HINT}; 'latest' means the newest approved one`
  )
}

class BundledCatalog implements Catalog {
  readonly description = 'the guidelines bundled with the action'
  constructor(private readonly dir: string) {}

  async list(): Promise<CatalogEntry[]> {
    const names = await fs.readdir(this.dir).catch(() => undefined)
    if (!names) throw new ActionError(`The bundled guideline directory ${this.dir} cannot be read`, ID_HINT)
    const addOns = await fs.readdir(path.join(this.dir, 'add-ons')).catch(() => [])
    return [...names.sort(), ...addOns.sort().map((name) => `add-ons/${name}`)].flatMap((file) => {
      const match = /^(?:add-ons\/([a-z]+)\.)?(\d{4}\.\d{2}|next)\.json$/.exec(file)
      if (!match) return []
      const [, addOn, version] = match
      return { id: addOn ? `${addOn}.${version}` : version, family: addOn ?? 'powered', version, file }
    })
  }

  async load(entry: CatalogEntry): Promise<Guideline> {
    const text = await fs.readFile(path.join(this.dir, entry.file), 'utf8')
    return parseGuideline(text, { source: `bundled ${entry.file}`, fileName: entry.file, id: entry.id })
  }
}

class ServerCatalog implements Catalog {
  readonly base: string
  readonly description: string

  /** `server`: input `refstack-server`, an http(s) URL (config.ts checks it). */
  constructor(
    server: string,
    private readonly timeoutMs: number
  ) {
    this.base = new URL(server).href.replace(/\/+$/, '')
    this.description = `the guidelines of the RefStack server ${this.base}`
  }

  async list(): Promise<CatalogEntry[]> {
    const url = `${this.base}/v1/guidelines`
    const body = await this.get(url)
    let json: unknown
    try {
      json = JSON.parse(body)
    } catch {
      throw new Unavailable(`GET ${url} did not answer JSON`)
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      throw new Unavailable(`GET ${url} did not answer a guideline list`)
    }
    const entries: CatalogEntry[] = []
    for (const [family, list] of Object.entries(json)) {
      if (!Array.isArray(list)) continue
      for (const item of list as unknown[]) {
        if (typeof item !== 'object' || item === null) continue
        const { name, file } = item as { name?: unknown; file?: unknown }
        if (typeof name !== 'string' || typeof file !== 'string') continue
        const version = name.replace(/\.json$/, '')
        const id = family === 'powered' ? version : `${family}.${version}`
        if (GUIDELINE_ID.test(id)) entries.push({ id, family, version, file })
      }
    }
    if (!entries.some((e) => e.family === 'powered')) {
      throw new Unavailable(
        `GET ${url} lists no guidelines (the server could not read its guideline repository)`
      )
    }
    return entries
  }

  async load(entry: CatalogEntry): Promise<Guideline> {
    const url = `${this.base}/v1/guidelines/${encodeURIComponent(path.posix.basename(entry.file))}`
    const text = await this.get(url)
    return parseGuideline(text, { source: `RefStack server ${url}`, fileName: entry.file, id: entry.id })
  }

  private async get(url: string): Promise<string> {
    let response: HttpAnswer
    try {
      response = await httpGet(url, this.timeoutMs)
    } catch (error) {
      throw new Unavailable(`GET ${url} failed: ${describeError(error)}`)
    }
    if (response.status !== 200) throw new Unavailable(`GET ${url} answered ${describeAnswer(response)}`)
    return response.body
  }
}

// --- bundled data ---

/** `data/<name>` next to dist/ (the bundle) or two levels up from src/guideline/ (tests). */
export function bundledDataDir(name: 'guidelines' | 'scs'): string {
  const here = path.dirname(fileURLToPath(import.meta.url))
  const candidates = [path.resolve(here, '..', 'data', name), path.resolve(here, '..', '..', 'data', name)]
  return candidates.find((dir) => existsSync(dir)) ?? candidates[0]
}

/** What SCS-0128 says decides its verdict (section "Conformance Tests" of the standard). */
const SCS_0128_RULE = 'SCS-0128: "Tempest MUST NOT report any failed test cases"'

/** The bundled SCS-0128 list (data/scs/) for the id `scs-0128` (any case), else undefined. */
export async function bundledList(id: string): Promise<Guideline | undefined> {
  if (id.trim().toLowerCase() !== 'scs-0128') return undefined
  const file = 'scs-0128-tempest-tests-non-admin.lst'
  const text = await fs.readFile(path.join(bundledDataDir('scs'), file), 'utf8')
  return parseTestList(text, {
    id: 'scs-0128',
    source: `bundled ${file} (SCS-0128 SCS end-to-end testing)`,
    status: 'Draft',
    rule: 'no-test-failed',
    ruleSource: SCS_0128_RULE
  })
}

// --- file and URL ------------------------------------------------------------------------------------------

async function fromFile(input: string): Promise<Guideline> {
  const absolute = path.resolve(input)
  let text: string
  try {
    // Refused before reading: a file larger than any guideline or list would only fill the memory.
    const { size } = await fs.stat(absolute)
    if (size > MAX_GUIDELINE_BYTES) {
      throw new ActionError(
        `Input 'guideline': the file ${absolute} has ${size} bytes, more than a guideline or test list holds (at most ${MAX_GUIDELINE_BYTES})`,
        'Give a guideline JSON file or a test list with one Tempest test id per line'
      )
    }
    text = await fs.readFile(absolute, 'utf8')
  } catch (error) {
    if (error instanceof ActionError) throw error
    const code = (error as NodeJS.ErrnoException).code
    const why =
      code === 'ENOENT'
        ? 'does not exist'
        : code === 'EISDIR'
          ? 'is a directory'
          : `cannot be read (${code ?? String(error)})`
    const id = input.replace(/\.json$/i, '')
    const idNote = id !== input && GUIDELINE_ID.test(id) ? ` (for the id, write ${id})` : ''
    throw new ActionError(`Input 'guideline': the file ${absolute} ${why}${idNote}`, ID_HINT)
  }
  const source = absolute === input ? input : `${input} (${absolute})`
  if (looksLikeTestList(text)) return parseTestList(text, { id: path.basename(absolute), source })
  return parseGuideline(text, { source, fileName: absolute })
}

async function fromUrl(input: string, timeoutMs: number): Promise<Guideline> {
  let url: URL
  try {
    url = new URL(input)
  } catch {
    throw new ActionError(`Input 'guideline' is not a valid URL: '${input}'`, ID_HINT)
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    throw new ActionError(
      `Input 'guideline': ${url.protocol}// URLs are not accepted (${input})`,
      'Use an https:// URL (plain http:// is accepted only for loopback addresses, for tests)'
    )
  }
  let response: HttpAnswer
  try {
    response = await httpGet(url.href, timeoutMs)
  } catch (error) {
    throw new ActionError(
      `Could not download guideline ${url.href}: ${describeError(error)}`,
      "Check the URL in input 'guideline' and the network or proxy settings (HTTPS_PROXY, NO_PROXY)"
    )
  }
  if (response.status !== 200) {
    throw new ActionError(
      `Could not download guideline ${url.href}: ${describeAnswer(response)}`,
      "Check the URL in input 'guideline'"
    )
  }
  if (looksLikeTestList(response.body)) {
    return parseTestList(response.body, {
      id: path.posix.basename(url.pathname) || url.host,
      source: url.href
    })
  }
  return parseGuideline(response.body, { source: url.href, fileName: decodeURIComponent(url.pathname) })
}

// --- HTTP ----------------------------------------------------------------------------------------------------

function httpGet(url: string, timeoutMs: number): Promise<HttpAnswer> {
  return httpRequest({
    method: 'GET',
    url,
    headers: { accept: 'application/json, text/plain, */*' },
    timeoutMs,
    maxBytes: MAX_GUIDELINE_BYTES
  })
}
