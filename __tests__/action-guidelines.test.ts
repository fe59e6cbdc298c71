/**
 * The bundled action with dry-run: for every bundled guideline and program, the list it writes is the RefStack
 * server's `type=required&alias=true&flag=false` list, computed here by the test server's independent port of
 * the server's Python; and `latest` against a RefStack API server, with it down, and offline.
 */
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
// @ts-expect-error -- plain JavaScript helper shared with npm run demo
import { runAction } from '../scripts/lib/run-action.mjs'
import { parseGuideline } from '../src/guideline/parse.js'
import {
  bundledGuidelineSet,
  referenceTestList,
  type RefstackServer,
  startRefstackServer
} from './helpers/refstack-server.js'

const cases: Array<[string, string, string[]]> = []
for (const [file, text] of bundledGuidelineSet()) {
  const id = file.replace(/^add-ons\//, '').replace(/\.json$/, '')
  const raw = JSON.parse(text) as unknown
  for (const program of parseGuideline(text, { source: file, fileName: file.replace(/^add-ons\//, '') })
    .programs) {
    const expected = referenceTestList(raw, {
      target: program,
      types: ['required'],
      alias: true,
      flag: false
    })
    if (expected.length > 0) cases.push([id, program, expected])
  }
}

describe('dry run of every bundled guideline and program', () => {
  it('covers the 13 core guidelines, next and the dated add-ons', () => {
    expect(new Set(cases.map(([id]) => id)).size).toBeGreaterThanOrEqual(24)
  })

  it.each(cases)('%s %s: the server list', async (id, program, expected) => {
    const result = await runAction({
      guideline: id,
      'guideline-source': 'bundled',
      program,
      'dry-run': 'true',
      'artifact-name': ''
    })
    expect(result.code, result.stdout).toBe(0)
    expect(result.outputs.guideline).toBe(id)
    expect(readFileSync(result.outputs['test-list'], 'utf8')).toBe(expected.join('\n'))
  })
})

describe('latest', () => {
  let server: RefstackServer
  beforeAll(async () => {
    server = await startRefstackServer()
  })
  afterAll(async () => {
    await server.stop()
  })
  const dry = { program: 'object', 'dry-run': 'true', 'artifact-name': '' }

  it('is the newest approved guideline on the RefStack server', async () => {
    const result = await runAction({
      ...dry,
      guideline: 'latest',
      'guideline-source': 'server',
      'refstack-server': server.url
    })
    expect(result.code, result.stdout).toBe(0)
    expect(result.outputs.guideline).toBe('2020.06')
    expect(server.requests.map((r) => r.path)).toContain('/api/v1/guidelines')
  })

  it('with the server and opendev unreachable (auto) fails naming both and the ways out, before any connection, never 2020.06', async () => {
    // Port 9 (discard) refuses connections here: nothing listens on it.
    const refused = 'http://127.0.0.1:9'
    const refusedTls = 'https://127.0.0.1:9'
    const result = await runAction(
      {
        ...dry,
        'dry-run': 'false',
        guideline: 'latest',
        'guideline-source': 'auto',
        'refstack-server': `${refused}/api`,
        'ssh-host': '127.0.0.1',
        'ssh-port': '9',
        'ssh-strict-host-key-checking': 'false',
        'ssh-private-key': 'not-a-key',
        'tempest-conf': '/nonexistent/tempest.conf'
      },
      { env: { REFSTACK_ACTION_INTEROP_GUIDELINES_URL: `${refusedTls}/interop/guidelines` } }
    )
    expect(result.code).toBe(1)
    const errors = result.stdout.split('\n').filter((l: string) => l.startsWith('::error::'))
    expect(errors).toHaveLength(1)
    expect(errors[0]).toContain(
      `Guideline 'latest' (2022.11, the newest approved guideline since the interop program's retirement in September 2025) was found neither on the RefStack server ${refused}/api (GET ${refused}/api/v1/guidelines failed: `
    )
    expect(errors[0]).toContain(`nor at ${refusedTls}/interop/guidelines/2022.11.json (failed: `)
    expect(errors[0]).toContain("a bundled id ('guideline: 2020.06' with 'guideline-source: bundled')")
    expect(errors[0]).toContain("'guideline: scs-0128'")
    expect(result.stdout).not.toContain('2020.06.json')
    expect(result.outputs.guideline ?? '').toBe('')
    // Nothing was provisioned: the run stopped in its first step.
    const groups = result.stdout.split('\n').filter((l: string) => l.startsWith('::group::'))
    expect(groups).toEqual(['::group::Resolve the guideline'])
  })

  it('offline (nothing listening) with guideline-source server is one error naming the inputs', async () => {
    const result = await runAction({
      ...dry,
      guideline: 'latest',
      'guideline-source': 'server',
      'refstack-server': 'http://127.0.0.1:9/api'
    })
    expect(result.code).toBe(1)
    const errors = result.stdout.split('\n').filter((l: string) => l.startsWith('::error::'))
    expect(errors).toHaveLength(1)
    expect(errors[0]).toContain('refstack-server')
    expect(errors[0]).toContain('guideline-source')
  })
})
