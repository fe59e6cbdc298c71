import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { ActionError } from '../../src/errors.js'
import type { Guideline } from '../../src/guideline/model.js'
import {
  guidelineContent,
  idFromFileName,
  locateJsonError,
  parseGuideline,
  parseGuidelineJson
} from '../../src/guideline/parse.js'
import { BUNDLED_DIR } from '../helpers/refstack-server.js'

const bundled = (file: string): Guideline =>
  parseGuideline(readFileSync(path.join(BUNDLED_DIR, file), 'utf8'), {
    source: `bundled ${file}`,
    fileName: file
  })

const thrown = (fn: () => unknown): ActionError => {
  try {
    fn()
  } catch (error) {
    if (error instanceof ActionError) return error
    throw error
  }
  throw new Error('did not throw')
}

describe('parseGuideline on the bundled files', () => {
  it.each([
    ['2015.03.json', '2015.03', '1.2', 'superseded', ['havana', 'icehouse']],
    ['2015.07.json', '2015.07', '1.5', 'superseded', ['icehouse', 'juno', 'kilo']],
    ['2016.08.json', '2016.08', '1.6', 'superseded', ['kilo', 'liberty', 'mitaka', 'newton']],
    ['2018.02.json', '2018.02', '2.0', 'superseded', ['newton', 'ocata', 'pike', 'queens']],
    ['2020.06.json', '2020.06', '2.0', 'approved', ['stein', 'train', 'ussuri', 'victoria']],
    ['next.json', 'next', '2.0', 'draft', ['ocata', 'pike', 'queens', 'rocky']],
    ['add-ons/dns.2020.06.json', 'dns.2020.06', '2.0', 'approved', ['stein', 'train', 'ussuri', 'victoria']],
    // metadata.id says orchestration.next: the file name wins.
    [
      'add-ons/orchestration.2018.02.json',
      'orchestration.2018.02',
      '2.0',
      'superseded',
      ['newton', 'ocata', 'pike', 'queens']
    ],
    ['add-ons/dns.next.json', 'dns.next', '2.0', 'draft', ['mitaka', 'newton', 'ocata', 'pike']]
  ])('%s → id %s, schema %s, %s', (file, id, schema, status, releases) => {
    const g = bundled(file)
    expect(g).toMatchObject({ id, schema, status, releases, source: `bundled ${file}` })
  })

  it('schema 1.2: test names, flagged from the capability list, no ids', () => {
    const content = guidelineContent(bundled('2015.03.json'))
    const tests = [...content.capabilities.values()].flatMap((c) => c.tests)
    expect(tests.length).toBeGreaterThan(0)
    expect(
      tests.every((t) => t.idempotentId === undefined && t.listId === null && t.aliases.length === 0)
    ).toBe(true)
    const raw = JSON.parse(readFileSync(path.join(BUNDLED_DIR, '2015.03.json'), 'utf8')) as {
      capabilities: Record<string, { flagged: string[] }>
    }
    const flaggedInFile = Object.values(raw.capabilities).flatMap((c) => c.flagged)
    expect(
      tests
        .filter((t) => t.flagged)
        .map((t) => t.name)
        .sort()
    ).toEqual([...flaggedInFile].sort())
  })

  it('schema 1.6: idempotent ids without "id-", flagged reasons, aliases', () => {
    const content = guidelineContent(bundled('2016.08.json'))
    const tests = [...content.capabilities.values()].flatMap((c) => c.tests)
    expect(
      tests.every(
        (t) => t.idempotentId && !t.idempotentId.startsWith('id-') && t.listId === `id-${t.idempotentId}`
      )
    ).toBe(true)
    const flagged = tests.filter((t) => t.flagged)
    expect(flagged.length).toBeGreaterThan(0)
    expect(flagged.every((t) => (t.flagged?.reason ?? '').length > 0)).toBe(true)
    expect(tests.some((t) => t.aliases.length > 0)).toBe(true)
  })

  it('2017.01: the empty idempotent id of NEED_TEST → no idempotentId, listed as name[]', () => {
    const content = guidelineContent(bundled('2017.01.json'))
    const test = content.capabilities
      .get('volumes-list-api-versions')
      ?.tests.find((t) => t.name === 'tempest.api.volume.NEED_TEST')
    expect(test).toMatchObject({ listId: '', aliases: [] })
    expect(test?.idempotentId).toBeUndefined()
  })

  it('add-ons: bare uuids kept, os_powered_<program> as the program component', () => {
    const g = bundled('add-ons/dns.2020.06.json')
    const content = guidelineContent(g)
    expect(content.kind).toBe('add-on')
    expect(content.targets.get('dns')).toEqual(['os_powered_dns'])
    const tests = [...content.capabilities.values()].flatMap((c) => c.tests)
    expect(tests).toHaveLength(10)
    expect(tests.every((t) => t.listId === t.idempotentId && /^[0-9a-f-]{36}$/.test(t.listId ?? ''))).toBe(
      true
    )
  })

  it('misspelt description key (descriptin) is still read', () => {
    const raw = JSON.parse(readFileSync(path.join(BUNDLED_DIR, '2020.06.json'), 'utf8')) as {
      capabilities: Record<string, Record<string, unknown>>
    }
    const [name, cap] = Object.entries(raw.capabilities).find(([, c]) => 'descriptin' in c) ?? []
    expect(name).toBeDefined()
    expect(guidelineContent(bundled('2020.06.json')).capabilities.get(name as string)?.description).toBe(
      cap?.descriptin
    )
  })

  it('core 2.0 targets are the platforms; schema 1.x targets are platform.required and the components', () => {
    expect(Object.fromEntries(guidelineContent(bundled('2020.06.json')).targets)).toEqual({
      platform: ['os_powered_compute', 'os_powered_storage'],
      compute: ['os_powered_compute'],
      object: ['os_powered_storage']
    })
    expect(Object.fromEntries(guidelineContent(bundled('2016.08.json')).targets)).toEqual({
      platform: ['compute', 'object'],
      compute: ['compute'],
      object: ['object']
    })
  })
})

describe('tolerated shapes', () => {
  const v2 = (tests: Record<string, unknown>): unknown => ({
    metadata: {
      id: 'x',
      schema: '2.0',
      os_trademark_approval: { status: 'approved', releases: ['Victoria'] }
    },
    platforms: { 'OpenStack Powered Storage': { components: [{ name: 'os_powered_storage' }] } },
    components: {
      os_powered_storage: {
        capabilities: { required: ['cap-a', 'cap-missing'], advisory: [], deprecated: [], removed: [] }
      }
    },
    capabilities: { 'cap-a': { acheivements: [], descriptin: 'A', required_since: '2020.06', tests } }
  })

  it('`flag` (the schema spelling) counts as flagged, like `flagged`', () => {
    const g = parseGuidelineJson(
      v2({
        't.one': { idempotent_id: 'id-1', flag: { reason: 'broken', action: 'remove', date: '2020-01-01' } },
        't.two': { idempotent_id: 'id-2', flagged: { reason: 'needs admin' } },
        't.three': { idempotent_id: 'id-3', aliases: 't.three.old' }
      }),
      { source: 'test', fileName: 'custom.json' }
    )
    const tests = guidelineContent(g).capabilities.get('cap-a')?.tests ?? []
    expect(tests.map((t) => t.flagged)).toEqual([
      { reason: 'broken', action: 'remove' },
      { reason: 'needs admin' },
      undefined
    ])
    expect(tests[2].aliases).toEqual(['t.three.old'])
    expect(g.programs).toEqual(['object'])
    expect(g.releases).toEqual(['victoria'])
    expect(g.id).toBe('x') // no guideline-like file name: metadata.id
  })

  it('schema 1.3/1.4 files (object tests, no metadata) parse like 1.5', () => {
    const g = parseGuidelineJson(
      {
        id: '2015.06',
        schema: '1.3',
        status: 'approved',
        releases: ['juno'],
        platform: { required: ['compute'] },
        components: { compute: { required: ['c'], advisory: [], deprecated: [], removed: [] } },
        capabilities: {
          c: { tests: { 't.x': { idempotent_id: 'id-9', flagged: { reason: 'r' } }, 't.y': {} } }
        }
      },
      { source: 'test' }
    )
    expect(g.id).toBe('2015.06')
    expect(g.programs).toEqual(['platform', 'compute'])
    expect(guidelineContent(g).capabilities.get('c')?.tests).toEqual([
      { name: 't.x', idempotentId: '9', aliases: [], listId: 'id-9', flagged: { reason: 'r' } },
      { name: 't.y', aliases: [], listId: '' }
    ])
  })

  it('a byte-order mark is ignored', () => {
    const text = `\uFEFF${readFileSync(path.join(BUNDLED_DIR, 'add-ons/dns.2020.06.json'), 'utf8')}`
    expect(parseGuideline(text, { source: 'bom', fileName: 'dns.2020.06.json' }).id).toBe('dns.2020.06')
  })

  it.each([
    ['an array', []],
    ['no schema', { components: {}, capabilities: {} }],
    ['no components', { schema: '1.6', capabilities: {} }],
    ['no capabilities', { metadata: { schema: '2.0' }, components: {} }]
  ])('%s → ActionError naming the source', (_what, json) => {
    const error = thrown(() => parseGuidelineJson(json, { source: '/tmp/x.json' }))
    expect(error.message).toMatch(/^\/tmp\/x\.json is not an interop guideline: /)
    expect(error.hint).toMatch(/input 'guideline'/)
  })
})

describe('malformed JSON', () => {
  it.each([
    ['trailing comma', '{\n  "a": 1,\n}', 3, 1],
    ['bad literal', '{\n  "a": tru\n}', 2, 8],
    ['missing comma', '{\n  "a": 1\n  "b": 2\n}', 3, 3],
    ['truncated', '{\n  "a": [1, 2', 2, 13],
    ['empty file', '', 1, 1],
    ['garbage after the value', '{}\n}', 2, 1],
    ['control character in a string', '{"a": "x\ty"}', 1, 9]
  ])('%s → ActionError with file, line and column', (_what, text, line, column) => {
    const error = thrown(() => parseGuideline(text, { source: '/work/bad.json', fileName: 'bad.json' }))
    expect(error.message).toContain(
      `Guideline /work/bad.json is not valid JSON at line ${line}, column ${column}`
    )
    expect(error.hint).toMatch(/input 'guideline'/)
  })

  it('the scanner accepts what JSON.parse accepts', () => {
    for (const file of ['2015.03.json', '2020.06.json', 'add-ons/orchestration.2020.06.json']) {
      expect(locateJsonError(readFileSync(path.join(BUNDLED_DIR, file), 'utf8'))).toBeUndefined()
    }
    expect(locateJsonError('[1, -2.5e3, "\\u00e9\\n", true, false, null, {}]')).toBeUndefined()
  })

  it('a real file cut in the middle', () => {
    const text = readFileSync(path.join(BUNDLED_DIR, '2020.06.json'), 'utf8')
    const cut = text.slice(0, 5000)
    const lines = cut.split('\n')
    const error = thrown(() => parseGuideline(cut, { source: 'cut.json' }))
    expect(error.message).toContain(`at line ${lines.length}, column ${(lines.at(-1)?.length ?? 0) + 1}`)
  })
})

describe('idFromFileName', () => {
  it.each([
    ['2020.06.json', '2020.06'],
    ['/x/y/next.json', 'next'],
    ['add-ons/dns.2020.06.json', 'dns.2020.06'],
    ['C:\\data\\orchestration.next.json', 'orchestration.next'],
    ['my-guideline.json', undefined],
    ['2020.06', undefined],
    [undefined, undefined]
  ])('%s → %s', (file, id) => {
    expect(idFromFileName(file)).toBe(id)
  })
})
