import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { ActionError } from '../../src/errors.js'
import { resolveGuideline, type ResolveGuidelineOptions } from '../../src/guideline/source.js'
import {
  BUNDLED_DIR,
  bundledGuidelineSet,
  jsonAnswer,
  startRefstackServer,
  textAnswer,
  type RefstackServer
} from '../helpers/refstack-server.js'
import { HANG_BOUND_MS } from '../helpers/wait-for.js'

let server: RefstackServer
let tmp: string

beforeAll(async () => {
  server = await startRefstackServer()
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'guideline-source-'))
})
afterAll(async () => {
  await server.stop()
  await fs.rm(tmp, { recursive: true, force: true })
})
beforeEach(() => {
  server.guidelines = bundledGuidelineSet()
  server.down = false
  server.delayMs = 0
  server.githubDown = false
  server.requests.length = 0
})

const opts = (over: Partial<ResolveGuidelineOptions>): ResolveGuidelineOptions => ({
  guideline: 'latest',
  source: 'server',
  server: server.url,
  bundledDir: BUNDLED_DIR,
  timeoutMs: 5000,
  // Ids neither bundled nor on the server are looked up here next: the test server answers 404 outside its API.
  interopGuidelinesUrl: `${server.url.replace(/\/api$/, '')}/interop/guidelines`,
  ...over
})

const rejection = async (promise: Promise<unknown>): Promise<ActionError> => {
  try {
    await promise
  } catch (error) {
    if (error instanceof ActionError) return error
    throw error
  }
  throw new Error('did not reject')
}

/** A copy of a bundled guideline with another status (and optionally releases). */
const variant = async (file: string, status: string): Promise<string> => {
  const json = JSON.parse(await fs.readFile(path.join(BUNDLED_DIR, file), 'utf8')) as {
    metadata: { os_trademark_approval: { status: string } }
  }
  json.metadata.os_trademark_approval.status = status
  return JSON.stringify(json)
}

describe('from the RefStack server', () => {
  it('latest → the newest approved core guideline, via the list then the file', async () => {
    const { guideline, warnings } = await resolveGuideline(opts({}))
    expect(guideline.id).toBe('2020.06')
    expect(guideline.status).toBe('approved')
    expect(guideline.source).toBe(`RefStack server ${server.url}/v1/guidelines/2020.06.json`)
    expect(warnings).toEqual([])
    expect(server.requests.map((r) => r.path)).toEqual([
      '/api/v1/guidelines',
      '/api/v1/guidelines/2020.06.json'
    ])
  })

  it('latest skips newer drafts and next; a newer approved one wins', async () => {
    server.guidelines.set('2021.01.json', await variant('2020.06.json', 'draft'))
    expect((await resolveGuideline(opts({}))).guideline.id).toBe('2020.06')
    server.guidelines.set('2020.11.json', await variant('2020.06.json', 'approved'))
    expect((await resolveGuideline(opts({}))).guideline.id).toBe('2020.11')
  })

  it('latest with no approved guideline → ActionError saying which were skipped', async () => {
    server.guidelines = new Map([
      ['2021.01.json', await variant('2020.06.json', 'draft')],
      ['next.json', await variant('2020.06.json', 'draft')]
    ])
    const error = await rejection(resolveGuideline(opts({})))
    expect(error.message).toBe(
      `There is no approved core guideline among the guidelines of the RefStack server ${server.url} (not approved: 2021.01 (draft))`
    )
  })

  it.each([
    ['dns', 'dns.2020.06'],
    ['orchestration', 'orchestration.2020.06']
  ] as const)('latest with program %s → %s', async (program, id) => {
    const { guideline } = await resolveGuideline(opts({ program }))
    expect(guideline.id).toBe(id)
    expect(guideline.programs).toEqual([program])
    expect(server.requests.at(-1)?.path).toBe(`/api/v1/guidelines/${id}.json`)
  })

  it.each([
    ['2019.11', undefined, '2019.11'],
    ['dns.2019.06', undefined, 'dns.2019.06'],
    ['2019.06', 'orchestration', 'orchestration.2019.06'],
    ['next', undefined, 'next']
  ] as const)('id %s (program %s) → %s', async (input, program, id) => {
    const { guideline } = await resolveGuideline(opts({ guideline: input, ...(program ? { program } : {}) }))
    expect(guideline.id).toBe(id)
  })

  it('a guideline that is not approved is resolved with a warning', async () => {
    const { warnings } = await resolveGuideline(opts({ guideline: 'next' }))
    expect(warnings).toEqual([
      "Guideline next is 'draft', not approved: its result does not show compliance with a current guideline"
    ])
  })

  it('an unknown id → ActionError naming the server (with the ids it has) and the interop repository', async () => {
    const error = await rejection(resolveGuideline(opts({ guideline: '2099.01' })))
    expect(error.message).toMatch(
      /^Guideline '2099\.01' was found neither on the RefStack server http:\/\/127\.0\.0\.1:\d+\/api \(it has dns\.2018\.02, .*2015\.03, .*2020\.06, next\) nor at http:\/\/127\.0\.0\.1:\d+\/interop\/guidelines\/2099\.01\.json \(answered HTTP 404/
    )
    expect(error.hint).toMatch(/^Set input 'guideline' to latest, a guideline id/)
    expect(error.hint).toContain('scs-0128')
  })

  it('server down → latest is 2022.11 from the interop repository; neither answering → ActionError naming both and the ways out', async () => {
    server.down = true
    const error = await rejection(resolveGuideline(opts({})))
    expect(error.message).toMatch(
      new RegExp(
        `^Guideline 'latest' \\(2022\\.11, the newest approved guideline since the interop program's retirement in September 2025\\) was found neither on the RefStack server ${server.url} \\(GET ${server.url}/v1/guidelines failed: .+\\) nor at ${server.url.replace(/\/api$/, '')}/interop/guidelines/2022\\.11\\.json \\(failed: socket hang up\\)$`
      )
    )
    expect(error.hint).toContain("'refstack-server'")
    expect(error.hint).toContain("a file ('guideline: ./2022.11.json'")
    expect(error.hint).toContain("a bundled id ('guideline: 2020.06' with 'guideline-source: bundled')")
    expect(error.hint).toContain("'guideline: scs-0128'")

    const mirror = await startRefstackServer()
    mirror.guidelines.set('2022.11.json', await fs.readFile(path.join(BUNDLED_DIR, '2020.06.json'), 'utf8'))
    try {
      const { guideline } = await resolveGuideline(
        opts({ interopGuidelinesUrl: `${mirror.url}/v1/guidelines` })
      )
      expect(guideline).toMatchObject({ id: '2022.11', source: `${mirror.url}/v1/guidelines/2022.11.json` })
    } finally {
      await mirror.stop()
    }
  })

  it('server down with an add-on program → ActionError naming the server and the ways out', async () => {
    server.down = true
    const error = await rejection(resolveGuideline(opts({ program: 'dns' })))
    expect(error.message).toMatch(
      new RegExp(
        `^Could not get guideline 'latest' \\(the newest approved dns guideline\\) from the RefStack server ${server.url}: `
      )
    )
    expect(error.hint).toContain('scs-0128')
  })

  it('a server that cannot reach GitHub (empty list) is unavailable', async () => {
    server.githubDown = true
    const error = await rejection(resolveGuideline(opts({ guideline: '2020.06' })))
    expect(error.message).toContain(
      'lists no guidelines (the server could not read its guideline repository)'
    )
  })

  it('a 500 for the file is unavailable, with the server detail', async () => {
    const broken = await startRefstackServer()
    // The list still names 2020.06.json, but the file cannot be read (e.g. malformed upstream).
    broken.guidelines.set('2020.06.json', '{"metadata": ')
    try {
      const error = await rejection(resolveGuideline(opts({ guideline: '2020.06', server: broken.url })))
      expect(error.message).toContain(
        `GET ${broken.url}/v1/guidelines/2020.06.json answered HTTP 500 (Internal Server Error)`
      )
    } finally {
      await broken.stop()
    }
  })

  it('the exact 500 body of an unknown file is shown', async () => {
    const broken = await startRefstackServer()
    broken.route('GET', '/v1/guidelines', () =>
      jsonAnswer(200, { powered: [{ name: '2030.01.json', file: '2030.01.json' }] })
    )
    try {
      const error = await rejection(resolveGuideline(opts({ guideline: '2030.01', server: broken.url })))
      expect(error.message).toContain(
        `on the RefStack server ${broken.url} (GET ${broken.url}/v1/guidelines/2030.01.json answered HTTP 500 (Internal Server Error: The server was unable to get the JSON content for the specified guideline file.))`
      )
    } finally {
      await broken.stop()
    }
  })
})

describe('auto: the server, else the bundled files with a warning', () => {
  it('uses the server when it answers', async () => {
    const { guideline, warnings } = await resolveGuideline(opts({ source: 'auto' }))
    expect(guideline.source).toMatch(/^RefStack server /)
    expect(warnings).toEqual([])
  })

  it('server down → latest is never the bundled 2020.06', async () => {
    server.down = true
    const error = await rejection(resolveGuideline(opts({ source: 'auto' })))
    expect(error.message).toMatch(
      /^Guideline 'latest' \(2022\.11, .*\) was found neither on the RefStack server /
    )
  })

  it('server slow → timeout, then bundled', async () => {
    // The server would answer only after a bound a hang reaches: the bundled file proves the timeout cut it.
    server.delayMs = HANG_BOUND_MS
    const { guideline, warnings } = await resolveGuideline(
      opts({ source: 'auto', guideline: 'dns.2019.11', timeoutMs: 300 })
    )
    expect(guideline.id).toBe('dns.2019.11')
    expect(guideline.source).toBe('bundled add-ons/dns.2019.11.json')
    expect(warnings[0]).toContain('no answer within 300 ms')
  })

  it('nothing listening on the port → an id is bundled, latest is an error naming both', async () => {
    const gone = await startRefstackServer()
    const url = gone.url
    await gone.stop()
    const { guideline, warnings } = await resolveGuideline(
      opts({ source: 'auto', server: url, guideline: '2020.06' })
    )
    expect(guideline.source).toBe('bundled 2020.06.json')
    expect(warnings[0]).toContain(`RefStack server ${url} could not be used`)
    const error = await rejection(
      resolveGuideline(opts({ source: 'auto', server: url, interopGuidelinesUrl: `${url}/interop` }))
    )
    expect(error.message).toContain(
      `was found neither on the RefStack server ${url} (GET ${url}/v1/guidelines failed: `
    )
    expect(error.message).toContain(`nor at ${url}/interop/2022.11.json (failed: `)
  })

  it('an id the server does not list but the action bundles → bundled, with a warning', async () => {
    server.guidelines.delete('2015.03.json')
    const { guideline, warnings } = await resolveGuideline(opts({ source: 'auto', guideline: '2015.03' }))
    expect(guideline.source).toBe('bundled 2015.03.json')
    expect(warnings[0]).toBe(
      `RefStack server ${server.url} does not list guideline '2015.03'; using the copy bundled with the action`
    )
  })

  it('an id neither has → ActionError', async () => {
    await expect(resolveGuideline(opts({ source: 'auto', guideline: '2022.11' }))).rejects.toThrow(
      /Guideline '2022\.11' was found neither on the RefStack server .* nor at .*\/2022\.11\.json/
    )
  })
})

describe('bundled', () => {
  it.each([
    ['2015.03', '2015.03.json'],
    ['next', 'next.json'],
    ['dns.2020.06', 'add-ons/dns.2020.06.json'],
    ['orchestration.2019.11', 'add-ons/orchestration.2019.11.json'],
    ['dns.next', 'add-ons/dns.next.json']
  ])('finds %s among the core guidelines, next and the add-ons', async (id, file) => {
    server.down = true
    const { guideline } = await resolveGuideline(opts({ guideline: id, source: 'bundled' }))
    expect(guideline).toMatchObject({ id, source: `bundled ${file}` })
  })

  it('latest → an ActionError without touching the server: 2022.11 is not bundled', async () => {
    server.down = true
    const error = await rejection(resolveGuideline(opts({ source: 'bundled' })))
    expect(error.message).toBe(
      "Guideline 'latest' cannot come from the guidelines bundled with the action ('guideline-source' is bundled): the newest approved core guideline, 2022.11, is not bundled"
    )
    expect(server.requests).toHaveLength(0)
  })

  it('an unknown id → ActionError listing the bundled ids', async () => {
    const error = await rejection(resolveGuideline(opts({ source: 'bundled', guideline: 'dns.2015.03' })))
    expect(error.message).toMatch(
      /^Guideline 'dns\.2015\.03' is not among the guidelines bundled with the action: it has 2015\.03, 2015\.04, .*dns\.2018\.02/
    )
  })

  it('a missing directory → ActionError', async () => {
    await expect(
      resolveGuideline(opts({ guideline: '2020.06', source: 'bundled', bundledDir: path.join(tmp, 'nope') }))
    ).rejects.toThrow(/bundled guideline directory .* cannot be read/)
  })
})

describe('a local file', () => {
  it('by path, id from the file name', async () => {
    const file = path.join(tmp, '2020.11.json')
    await fs.writeFile(file, await variant('2020.06.json', 'approved'))
    const { guideline } = await resolveGuideline(opts({ guideline: file }))
    expect(guideline).toMatchObject({ id: '2020.11', source: file })
  })

  it('a relative path resolves against the working directory', async () => {
    const rel = path.relative(process.cwd(), path.join(BUNDLED_DIR, 'add-ons', 'dns.2020.06.json'))
    const { guideline } = await resolveGuideline(opts({ guideline: rel }))
    expect(guideline.id).toBe('dns.2020.06')
    expect(guideline.source).toBe(`${rel} (${path.resolve(rel)})`)
  })

  it('a missing file → ActionError with the path; a file name that looks like an id says how to write the id', async () => {
    const error = await rejection(resolveGuideline(opts({ guideline: '2020.06.json' })))
    expect(error.message).toBe(
      `Input 'guideline': the file ${path.resolve('2020.06.json')} does not exist (for the id, write 2020.06)`
    )
    expect(error.hint).toMatch(/a path to a guideline JSON file or Tempest test list, or an https:\/\/ URL/)
  })

  it('a malformed file → ActionError naming the file, line and column', async () => {
    const file = path.join(tmp, 'broken.json')
    await fs.writeFile(file, '{\n  "metadata": {\n    "schema": "2.0",\n  }\n}\n')
    const error = await rejection(resolveGuideline(opts({ guideline: file })))
    expect(error.message).toBe(
      `Guideline ${file} is not valid JSON at line 4, column 3 (property name expected, unexpected "}")`
    )
  })
})

describe('a URL', () => {
  beforeAll(() => {
    server.route('GET', '/files/:name', ({ params }) => {
      if (params.name === 'bad.json') return textAnswer(200, '{"metadata": [1, 2,]}')
      const text = bundledGuidelineSet().get(params.name)
      return text
        ? { status: 200, headers: { 'content-type': 'application/json' }, body: text }
        : textAnswer(404, 'Not Found')
    })
  })
  afterEach(() => {
    server.delayMs = 0
  })

  const base = (): string => `${server.url}/files`

  it('http:// on loopback is accepted; the id comes from the file name', async () => {
    const url = `${base()}/2019.06.json`
    const { guideline } = await resolveGuideline(opts({ guideline: url, source: 'bundled' }))
    expect(guideline).toMatchObject({ id: '2019.06', source: url })
  })

  it('404 → ActionError naming the URL', async () => {
    const url = `${base()}/2099.01.json`
    const error = await rejection(resolveGuideline(opts({ guideline: url })))
    expect(error.message).toBe(`Could not download guideline ${url}: HTTP 404 (Not Found)`)
  })

  it('malformed → ActionError with position', async () => {
    const url = `${base()}/bad.json`
    const error = await rejection(resolveGuideline(opts({ guideline: url })))
    expect(error.message).toBe(
      `Guideline ${url} is not valid JSON at line 1, column 20 (value expected, unexpected "]")`
    )
  })

  it('times out', async () => {
    server.delayMs = 3000
    const error = await rejection(
      resolveGuideline(opts({ guideline: `${base()}/2019.06.json`, timeoutMs: 200 }))
    )
    expect(error.message).toContain('no answer within 200 ms')
  })

  it.each(['http://example.com/2020.06.json', 'ftp://127.0.0.1/2020.06.json'])(
    '%s is refused',
    async (url) => {
      const error = await rejection(resolveGuideline(opts({ guideline: url })))
      expect(error.message).toMatch(/URLs are not accepted/)
      expect(error.hint).toMatch(/https:\/\//)
    }
  )
})
