/**
 * A RefStack API server for tests, on 127.0.0.1 with a random port, answering as refstack.md §2 describes the
 * real one (openstack/refstack @ 0af3a46e): `GET /v1/guidelines`, `GET /v1/guidelines/{file}`,
 * `GET /v1/guidelines/{version}/tests`. The API is mounted under `/api` like refstack.openstack.org, so
 * `server.url` is the value of the `refstack-server` input.
 *
 * The test-list endpoint uses its own implementation of the server's selection rules (`referenceTestList`, a
 * line-by-line port of refstack/api/guidelines.py `get_target_capabilities` + `get_test_list` working on the raw
 * JSON), never the action's code, so tests can compare the two.
 *
 * Knobs (mutable while running): `down` (every connection is dropped without an answer), `delayMs` (each answer
 * waits), `githubDown` (the server cannot reach its guideline repository: the list is `{"powered": []}` and every
 * file a 500), `guidelines` (the file set, repository path → file text).
 *
 * Extension point: `server.route(method, pattern, handler)` adds or replaces a route (`:name` segments become
 * `params`), e.g. `POST /v1/results` later. Routes are matched in the order added; later ones win.
 */
import { readdirSync, readFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'

export interface RouteContext {
  method: string
  /** Path below the mount point, e.g. /v1/guidelines/2020.06. */
  path: string
  params: Record<string, string>
  query: URLSearchParams
  headers: http.IncomingHttpHeaders
  body: Buffer
  server: RefstackServer
}

export interface RouteAnswer {
  status: number
  headers?: Record<string, string>
  body?: string | Buffer
}

export type RouteHandler = (ctx: RouteContext) => RouteAnswer | Promise<RouteAnswer>

export interface RecordedRequest {
  method: string
  path: string
  query: string
  headers: http.IncomingHttpHeaders
  body: Buffer
}

export interface RefstackServerOptions {
  /** Repository path (`2020.06.json`, `add-ons/dns.2020.06.json`) → file text. Default: the bundled data. */
  guidelines?: Map<string, string>
  /** Mount point of the API (default `/api`, as on refstack.openstack.org). */
  prefix?: string
  delayMs?: number
  down?: boolean
  githubDown?: boolean
}

export interface RefstackServer {
  /** Base URL for the `refstack-server` input, e.g. http://127.0.0.1:41234/api */
  readonly url: string
  readonly port: number
  guidelines: Map<string, string>
  delayMs: number
  down: boolean
  githubDown: boolean
  /** Every request received (also while `down`), in order. */
  readonly requests: RecordedRequest[]
  route(method: string, pattern: string, handler: RouteHandler): void
  stop(): Promise<void>
}

export const BUNDLED_DIR = path.resolve(import.meta.dirname, '../../data/guidelines')

/** The bundled guideline files as a file set: top-level `*.json` and `add-ons/*.json`. */
export function bundledGuidelineSet(dir = BUNDLED_DIR): Map<string, string> {
  const set = new Map<string, string>()
  for (const name of readdirSync(dir).sort()) {
    if (name.endsWith('.json')) set.set(name, readFileSync(path.join(dir, name), 'utf8'))
  }
  for (const name of readdirSync(path.join(dir, 'add-ons')).sort()) {
    if (name.endsWith('.json'))
      set.set(`add-ons/${name}`, readFileSync(path.join(dir, 'add-ons', name), 'utf8'))
  }
  return set
}

/** §2.1: errors raised with an HTTP status → {"code", "title", "detail"} in that order. */
export function abortAnswer(status: number, detail: string | null): RouteAnswer {
  return {
    status,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code: status, title: http.STATUS_CODES[status] ?? 'Error', detail })
  }
}

/** §2.1: validation (400), not found (404), anything else (500) → {"title", "code"}. */
export function errorAnswer(status: number, title: string): RouteAnswer {
  return {
    status,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ title, code: status })
  }
}

export function jsonAnswer(status: number, value: unknown): RouteAnswer {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) }
}

export function textAnswer(status: number, text: string): RouteAnswer {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: text }
}

export async function startRefstackServer(options: RefstackServerOptions = {}): Promise<RefstackServer> {
  const prefix = (options.prefix ?? '/api').replace(/\/+$/, '')
  const routes: Array<{ method: string; regex: RegExp; names: string[]; handler: RouteHandler }> = []
  const requests: RecordedRequest[] = []
  const httpServer = http.createServer()

  const state = {
    guidelines: options.guidelines ?? bundledGuidelineSet(),
    delayMs: options.delayMs ?? 0,
    down: options.down ?? false,
    githubDown: options.githubDown ?? false
  }

  httpServer.on('request', (req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      void (async () => {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1')
        const body = Buffer.concat(chunks)
        requests.push({
          method: req.method ?? 'GET',
          path: url.pathname,
          query: url.search,
          headers: req.headers,
          body
        })
        if (state.down) {
          req.socket.destroy()
          return
        }
        if (state.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, state.delayMs))
        let answer: RouteAnswer
        try {
          answer = await dispatch(req.method ?? 'GET', url, req.headers, body)
        } catch {
          answer = errorAnswer(500, 'Internal Server Error')
        }
        if (res.destroyed || res.writableEnded) return
        res.writeHead(answer.status, answer.headers ?? {})
        res.end(answer.body ?? '')
      })()
    })
  })

  async function dispatch(
    method: string,
    url: URL,
    headers: http.IncomingHttpHeaders,
    body: Buffer
  ): Promise<RouteAnswer> {
    const pathname = decodeURIComponent(url.pathname)
    if (!pathname.startsWith(`${prefix}/`)) return abortAnswer(404, 'The resource could not be found.')
    const sub = pathname.slice(prefix.length).replace(/\/+$/, '') || '/'
    for (let i = routes.length - 1; i >= 0; i--) {
      const route = routes[i]
      if (route.method !== method) continue
      const match = route.regex.exec(sub)
      if (!match) continue
      const params: Record<string, string> = {}
      route.names.forEach((name, index) => (params[name] = match[index + 1]))
      return route.handler({ method, path: sub, params, query: url.searchParams, headers, body, server })
    }
    return abortAnswer(404, 'The resource could not be found.')
  }

  function route(method: string, pattern: string, handler: RouteHandler): void {
    const names: string[] = []
    const source = pattern
      .split('/')
      .map((segment) => {
        if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
        names.push(segment.slice(1))
        return '([^/]+)'
      })
      .join('/')
    routes.push({ method: method.toUpperCase(), regex: new RegExp(`^${source}$`), names, handler })
  }

  // --- the guideline routes (refstack.md §2.2 - §2.4) --------------------------------------------------------

  /** `get_guideline_contents`: append .json, `<letters>.<YYYY.MM|next>.json` lives in add-ons/. */
  function guidelineContents(name: string): unknown {
    if (state.githubDown) return undefined
    const file = name.endsWith('.json') ? name : `${name}.json`
    const repoPath = /[a-z]*\.([0-9]{4}\.[0-9]{2}|next)\.json/.test(file) ? `add-ons/${file}` : file
    const text = state.guidelines.get(repoPath)
    if (text === undefined) return undefined
    return JSON.parse(text) as unknown // malformed → exception → 500, like requests' response.json()
  }

  route('GET', '/v1/guidelines', () => {
    if (state.githubDown) return jsonAnswer(200, { powered: [] })
    const listed = /([0-9]{4}\.[0-9]{2}|next)\.json/
    const powered: Array<{ name: string; file: string }> = []
    const addons: string[] = []
    for (const repoPath of [...state.guidelines.keys()].sort()) {
      const slash = repoPath.lastIndexOf('/')
      const dir = repoPath.slice(0, Math.max(slash, 0))
      const name = repoPath.slice(slash + 1)
      if (!listed.test(name)) continue
      if (dir === 'add-ons') {
        if (!addons.includes(name)) addons.push(name)
      } else if (dir === '' && !powered.some((p) => p.name === name)) powered.push({ name, file: repoPath })
    }
    // itertools.groupby over the (sorted) add-on names by the text before the first dot; add-ons first.
    const result: Record<string, Array<{ name: string; file: string }>> = {}
    for (const name of addons) {
      const group = name.split('.')[0]
      const rest = name.slice(name.indexOf('.') + 1)
      ;(result[group] ??= []).push({ name: rest, file: name })
    }
    result.powered = powered
    return jsonAnswer(200, result)
  })

  route('GET', '/v1/guidelines/:file', ({ params }) => {
    const json = guidelineContents(params.file)
    if (!truthy(json))
      return abortAnswer(
        500,
        'The server was unable to get the JSON content for the specified guideline file.'
      )
    return jsonAnswer(200, json)
  })

  route('GET', '/v1/guidelines/:version/tests', ({ params, query }) => {
    const version = params.version
    let json: unknown
    try {
      json = guidelineContents(version)
    } catch {
      return errorAnswer(500, 'Internal Server Error')
    }
    if (!truthy(json)) return textAnswer(200, `Error getting JSON content for version: ${version}`)
    const typeParam = query.get('type')
    const types = typeParam ? typeParam.split(',') : null
    const aliasParam = query.get('alias')
    const alias = aliasParam ? strToBool(aliasParam) : true
    const flagParam = query.get('flag')
    const flag = flagParam ? strToBool(flagParam) : true
    const target = query.get('target') ?? 'platform'
    try {
      return textAnswer(200, referenceTestList(json, { target, types, alias, flag }).join('\n'))
    } catch (error) {
      if (error instanceof KeyError) return textAnswer(200, `Invalid target: ${target}`)
      throw error
    }
  })

  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve))
  const port = (httpServer.address() as AddressInfo).port

  const server: RefstackServer = {
    url: `http://127.0.0.1:${port}${prefix}`,
    port,
    get guidelines() {
      return state.guidelines
    },
    set guidelines(value) {
      state.guidelines = value
    },
    get delayMs() {
      return state.delayMs
    },
    set delayMs(value) {
      state.delayMs = value
    },
    get down() {
      return state.down
    },
    set down(value) {
      state.down = value
    },
    get githubDown() {
      return state.githubDown
    },
    set githubDown(value) {
      state.githubDown = value
    },
    requests,
    route,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        httpServer.close((error) => (error ? reject(error) : resolve()))
        httpServer.closeAllConnections()
      })
  }
  return server
}

/** oslo `str_to_bool` as the server uses it: true iff the lower-cased value is true, yes or 1. */
function strToBool(value: string): boolean {
  return ['true', 'yes', '1'].includes(value.toLowerCase())
}

// --- reference implementation of the server's test list ----------------------------------------------------

/** Python's KeyError: the server turns it into "Invalid target: <target>". */
export class KeyError extends Error {}

type Json = Record<string, unknown>

function key(obj: unknown, name: string): unknown {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj) || !(name in obj))
    throw new KeyError(name)
  return (obj as Json)[name]
}

function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0
  if (typeof value === 'object' && value !== null) return Object.keys(value).length > 0
  return Boolean(value)
}

const PLATFORMS_MAP: Record<string, string> = {
  platform: 'OpenStack Powered Platform',
  compute: 'OpenStack Powered Compute',
  object: 'OpenStack Powered Storage'
}

/**
 * `Guidelines.get_target_capabilities` + `get_test_list` of refstack/api/guidelines.py on the raw JSON.
 * `types` null = every status. Throws KeyError where Python would.
 */
export function referenceTestList(
  guideline: unknown,
  opts: { target: string; types: string[] | null; alias: boolean; flag: boolean }
): string[] {
  // get_target_capabilities
  const components = key(guideline, 'components') as Json
  let schema: string
  let targets: string[]
  const metadata =
    typeof guideline === 'object' && guideline !== null ? (guideline as Json).metadata : undefined
  if (metadata !== undefined && (key(metadata, 'schema') as string) >= '2.0') {
    schema = key(metadata, 'schema') as string
    if (opts.target === 'dns' || opts.target === 'orchestration') {
      targets = [`os_powered_${opts.target}`]
    } else {
      const platform = PLATFORMS_MAP[opts.target]
      if (platform === undefined) throw new KeyError(opts.target)
      const comps = key(key(key(guideline, 'platforms'), platform), 'components') as Json[]
      targets = comps.map((c) => key(c, 'name') as string)
    }
  } else {
    schema = key(guideline, 'schema') as string
    targets =
      opts.target !== 'platform'
        ? [opts.target]
        : [...new Set(key(key(guideline, 'platform'), 'required') as string[])]
  }
  const targetCaps = new Set<string>()
  for (const component of targets) {
    let complist = key(components, component)
    if (schema >= '2.0') complist = key(complist, 'capabilities')
    for (const [status, capabilities] of Object.entries(complist as Json)) {
      if (opts.types === null || opts.types.includes(status))
        for (const c of capabilities as string[]) targetCaps.add(c)
    }
  }

  // get_test_list
  const caps = key(guideline, 'capabilities') as Json
  const testList: string[] = []
  for (const [cap, capDetails] of Object.entries(caps)) {
    if (!targetCaps.has(cap)) continue
    if (schema === '1.2') {
      for (const test of key(capDetails, 'tests') as string[]) {
        if (opts.flag) testList.push(test)
        else if (!(key(capDetails, 'flagged') as string[]).includes(test)) testList.push(test)
      }
    } else {
      for (const [test, details] of Object.entries(key(capDetails, 'tests') as Json)) {
        const testDetails = details as Json
        const id = 'idempotent_id' in testDetails ? String(testDetails.idempotent_id) : ''
        let added = false
        if (truthy(testDetails.flagged)) {
          if (opts.flag) {
            testList.push(`${test}[${id}]`)
            added = true
          }
        } else {
          testList.push(`${test}[${id}]`)
          added = true
        }
        if (opts.alias && truthy(testDetails.aliases) && added) {
          for (const a of testDetails.aliases as string[]) testList.push(`${a}[${id}]`)
        }
      }
    }
  }
  // Python's list.sort() on str: code point order.
  return testList.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
}
