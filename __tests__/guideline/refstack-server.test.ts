/** The test RefStack server answers as refstack.md §2 says (it is the reference other tests compare with). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { jsonAnswer, startRefstackServer, type RefstackServer } from '../helpers/refstack-server.js'

let server: RefstackServer
beforeAll(async () => {
  server = await startRefstackServer()
})
afterAll(async () => {
  await server.stop()
})

const get = async (path: string): Promise<{ status: number; type: string; body: string }> => {
  const response = await fetch(`${server.url}${path}`)
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    body: await response.text()
  }
}

describe('GET /v1/guidelines (§2.2)', () => {
  it('add-on groups first, then powered; names and files as the server gives them', async () => {
    const answer = await get('/v1/guidelines')
    expect(answer.status).toBe(200)
    const json = JSON.parse(answer.body) as Record<string, Array<{ name: string; file: string }>>
    expect(Object.keys(json)).toEqual(['dns', 'orchestration', 'powered'])
    expect(json.powered).toHaveLength(14)
    expect(json.powered).toContainEqual({ name: '2020.06.json', file: '2020.06.json' })
    expect(json.powered).toContainEqual({ name: 'next.json', file: 'next.json' })
    expect(json.dns).toContainEqual({ name: '2020.06.json', file: 'dns.2020.06.json' })
    expect(json.orchestration).toContainEqual({ name: 'next.json', file: 'orchestration.next.json' })
  })

  it('GitHub unreachable → 200 {"powered": []}', async () => {
    server.githubDown = true
    try {
      expect(await get('/v1/guidelines')).toMatchObject({ status: 200, body: '{"powered":[]}' })
    } finally {
      server.githubDown = false
    }
  })
})

describe('GET /v1/guidelines/{file} (§2.3)', () => {
  it.each(['2020.06', '2020.06.json', 'dns.2020.06', 'orchestration.next.json'])(
    '%s → the JSON',
    async (name) => {
      const answer = await get(`/v1/guidelines/${name}`)
      expect(answer.status).toBe(200)
      expect(answer.type).toBe('application/json')
      const json = JSON.parse(answer.body) as { metadata: { id: string } }
      expect(json.metadata.id).toMatch(/^(dns\.)?(2020\.06|orchestration\.next)$/)
    }
  )

  it('unknown → 500 with the exact body', async () => {
    const answer = await get('/v1/guidelines/2099.01')
    expect(answer.status).toBe(500)
    expect(answer.body).toBe(
      '{"code":500,"title":"Internal Server Error","detail":"The server was unable to get the JSON content for the specified guideline file."}'
    )
  })
})

describe('GET /v1/guidelines/{version}/tests (§2.4)', () => {
  it('text/plain, sorted, no trailing newline', async () => {
    const answer = await get('/v1/guidelines/2020.06/tests?target=object&type=required&alias=true&flag=false')
    expect(answer.type).toMatch(/^text\/plain/)
    const lines = answer.body.split('\n')
    expect(lines).toHaveLength(61)
    expect([...lines].sort()).toEqual(lines)
    expect(answer.body.endsWith('\n')).toBe(false)
  })

  it('defaults: platform, every status, aliases and flagged included (also for empty values)', async () => {
    const all = await get('/v1/guidelines/2020.06/tests')
    const explicit = await get(
      '/v1/guidelines/2020.06/tests?target=platform&type=required,advisory,deprecated,removed&alias=true&flag=true'
    )
    const empty = await get('/v1/guidelines/2020.06/tests?type=&alias=&flag=')
    expect(all.body).toBe(explicit.body)
    expect(empty.body).toBe(all.body)
  })

  it('alias/flag: only true, yes, 1 (any case) are true', async () => {
    const yes = await get('/v1/guidelines/2020.06/tests?target=platform&type=required&alias=YES&flag=1')
    const no = await get('/v1/guidelines/2020.06/tests?target=platform&type=required&alias=on&flag=0')
    expect(yes.body.split('\n')).toHaveLength(390)
    expect(no.body.split('\n')).toHaveLength(275)
  })

  it('unknown version and invalid targets are 200 text errors', async () => {
    expect(await get('/v1/guidelines/2099.01/tests')).toMatchObject({
      status: 200,
      body: 'Error getting JSON content for version: 2099.01'
    })
    for (const [version, target] of [
      ['2020.06', 'dns'],
      ['dns.2020.06', 'platform'],
      ['2020.06', 'bogus'],
      ['2016.08', 'bogus']
    ]) {
      expect(await get(`/v1/guidelines/${version}/tests?target=${target}`)).toMatchObject({
        status: 200,
        body: `Invalid target: ${target}`
      })
    }
  })

  it('unknown type words match nothing → empty body', async () => {
    expect(await get('/v1/guidelines/2020.06/tests?type=bogus')).toMatchObject({ status: 200, body: '' })
  })
})

describe('knobs and extension point', () => {
  it('routes can be added (e.g. POST /v1/results later) and requests are recorded', async () => {
    server.route('POST', '/v1/results', ({ body }) => jsonAnswer(201, { test_id: 'x', length: body.length }))
    const response = await fetch(`${server.url}/v1/results`, { method: 'POST', body: '{"a":1}' })
    expect(response.status).toBe(201)
    expect(await response.json()).toEqual({ test_id: 'x', length: 7 })
    expect(server.requests.at(-1)).toMatchObject({ method: 'POST', path: '/api/v1/results' })
  })

  it('unknown paths → 404 JSON', async () => {
    expect((await get('/v1/nothing')).status).toBe(404)
  })

  it('down drops the connection', async () => {
    server.down = true
    try {
      await expect(fetch(`${server.url}/v1/guidelines`)).rejects.toThrow()
    } finally {
      server.down = false
    }
  })
})
