import { readFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Guideline, Program } from '../../src/guideline/model.js'
import { parseGuideline } from '../../src/guideline/parse.js'
import { selectProgram } from '../../src/guideline/select.js'
import { runListFor, serverTestList } from '../../src/guideline/test-list.js'
import {
  BUNDLED_DIR,
  bundledGuidelineSet,
  referenceTestList,
  startRefstackServer,
  type RefstackServer
} from '../helpers/refstack-server.js'

/** Every bundled file: repository path → parsed guideline. */
const files = [...bundledGuidelineSet().keys()]
const guidelines = new Map<string, Guideline>(
  files.map((file) => [
    file,
    parseGuideline(readFileSync(path.join(BUNDLED_DIR, file), 'utf8'), {
      source: `bundled ${file}`,
      fileName: file
    })
  ])
)
const byId = (id: string): Guideline => {
  const g = [...guidelines.values()].find((x) => x.id === id)
  if (!g) throw new Error(`no bundled ${id}`)
  return g
}

describe('bundled data', () => {
  it('has 13 core guidelines, next and 12 add-on files (10 approved/superseded + 2 next)', () => {
    const core = files.filter((f) => /^\d{4}\.\d{2}\.json$/.test(f))
    const addons = files.filter((f) => f.startsWith('add-ons/') && !f.includes('.next.'))
    expect(core).toHaveLength(13)
    expect(addons).toHaveLength(10)
    expect(files).toContain('next.json')
    expect(files).toContain('add-ons/dns.next.json')
    expect(files).toContain('add-ons/orchestration.next.json')
  })

  it('finds the programs of each file', () => {
    expect(byId('2020.06').programs).toEqual(['platform', 'compute', 'object'])
    expect(byId('2015.03').programs).toEqual(['platform', 'compute', 'object'])
    expect(byId('dns.2020.06').programs).toEqual(['dns'])
    expect(byId('orchestration.2018.02').programs).toEqual(['orchestration'])
  })
})

describe('serverTestList equals the test server (an independent port of the RefStack server)', () => {
  let server: RefstackServer
  beforeAll(async () => {
    server = await startRefstackServer()
  })
  afterAll(async () => {
    await server.stop()
  })

  const cases: Array<[string, Program, string, boolean, boolean]> = []
  for (const [file, g] of guidelines) {
    for (const program of g.programs) {
      for (const type of ['required', 'required,advisory']) {
        for (const alias of [true, false])
          for (const flag of [true, false]) cases.push([file, program, type, alias, flag])
      }
    }
  }

  it('covers every bundled file × program × type × alias × flag', () => {
    // 13 core + next: 3 programs each; 12 add-on files: 1 each; × 2 types × 2 alias × 2 flag.
    expect(cases).toHaveLength((14 * 3 + 12) * 8)
  })

  it.each(cases)('%s target=%s type=%s alias=%s flag=%s', async (file, program, type, alias, flag) => {
    const g = guidelines.get(file) as Guideline
    const version = path.basename(file, '.json')
    const response = await fetch(
      `${server.url}/v1/guidelines/${version}/tests?target=${program}&type=${type}&alias=${alias}&flag=${flag}`
    )
    expect(response.status).toBe(200)
    const body = await response.text()
    const ours = serverTestList(g, { target: program, type: type.split(','), alias, flag })
    expect(ours.join('\n')).toBe(body)
    // Only the add-on drafts have no required capability (dns.next, orchestration.next: all advisory).
    if (!file.includes('.next.') || type !== 'required') expect(ours.length).toBeGreaterThan(0)
  })

  it('agrees on every status, all statuses and unknown words too', () => {
    for (const [file, g] of guidelines) {
      const raw: unknown = JSON.parse(readFileSync(path.join(BUNDLED_DIR, file), 'utf8'))
      for (const program of g.programs) {
        for (const types of [
          [],
          ['advisory'],
          ['deprecated'],
          ['removed'],
          ['bogus'],
          ['required', 'removed']
        ]) {
          const expected = referenceTestList(raw, {
            target: program,
            types: types.length ? types : null,
            alias: true,
            flag: true
          })
          expect(
            serverTestList(g, { target: program, type: types, alias: true, flag: true }),
            `${file} ${program} ${types.join(',')}`
          ).toEqual(expected)
        }
      }
    }
  })
})

describe('runListFor', () => {
  it.each(
    [...guidelines.keys()].flatMap((file) =>
      (guidelines.get(file) as Guideline).programs.map((p) => [file, p] as const)
    )
  )('%s %s: the type=required&alias=true&flag=false list', (file, program) => {
    const g = guidelines.get(file) as Guideline
    const raw: unknown = JSON.parse(readFileSync(path.join(BUNDLED_DIR, file), 'utf8'))
    if (file.startsWith('add-ons/') && file.includes('.next.')) {
      // The add-on drafts have advisory capabilities only: nothing to run.
      expect(() => selectProgram(g, program, [])).toThrow(/has no required capability for program/)
      return
    }
    expect(runListFor(selectProgram(g, program, []))).toEqual(
      referenceTestList(raw, { target: program, types: ['required'], alias: true, flag: false })
    )
  })

  it('narrows to the selected capabilities, duplicates and aliases kept', () => {
    const selection = selectProgram(byId('2020.06'), 'object', ['objectstore-account-*'])
    const lines = runListFor(selection)
    const names = new Set(
      selection.capabilities.flatMap((c) => c.tests.flatMap((t) => [t.name, ...t.aliases]))
    )
    expect(lines.length).toBeGreaterThan(0)
    for (const line of lines) expect(names.has(line.replace(/\[.*\]$/, ''))).toBe(true)
    const full = runListFor(selectProgram(byId('2020.06'), 'object', []))
    expect(lines.every((l) => full.includes(l))).toBe(true)
  })

  it('writes the empty idempotent id of 2017.01 NEED_TEST as name[] and bare names for schema 1.2', () => {
    const advisory = serverTestList(byId('2017.01'), {
      target: 'platform',
      type: ['advisory'],
      alias: false,
      flag: true
    })
    expect(advisory).toContain('tempest.api.volume.NEED_TEST[]')
    const old = runListFor(selectProgram(byId('2015.03'), 'platform', []))
    expect(old.every((l) => !l.includes('['))).toBe(true)
  })

  it('keeps bare uuids of add-ons as the server does', () => {
    const lines = runListFor(selectProgram(byId('dns.2020.06'), 'dns', []))
    expect(lines).toHaveLength(10)
    for (const line of lines)
      expect(line).toMatch(/\[[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\]$/)
  })
})

describe('documented counts (refstack.md §1.5)', () => {
  interface Row {
    caps: number
    tests: number
    unique: number
    flagged: number
    nonFlagged: number
    nonFlaggedUnique: number
    aliases: number
    lines: number
    linesDistinct: number
  }
  const row = (id: string, program: Program): Row => {
    const g = byId(id)
    const selection = selectProgram(g, program, [])
    const pairs = selection.capabilities.flatMap((c) => c.tests)
    const nonFlagged = pairs.filter((t) => !t.flagged)
    const lines = serverTestList(g, { target: program, type: ['required'], alias: true, flag: false })
    return {
      caps: selection.capabilities.length,
      tests: pairs.length,
      unique: new Set(pairs.map((t) => t.name)).size,
      flagged: pairs.length - nonFlagged.length,
      nonFlagged: nonFlagged.length,
      nonFlaggedUnique: new Set(nonFlagged.map((t) => t.name)).size,
      aliases: pairs.reduce((n, t) => n + t.aliases.length, 0),
      lines: lines.length,
      linesDistinct: new Set(lines).size
    }
  }
  const r = (...n: number[]): Row => ({
    caps: n[0],
    tests: n[1],
    unique: n[2],
    flagged: n[3],
    nonFlagged: n[4],
    nonFlaggedUnique: n[5],
    aliases: n[6],
    lines: n[7],
    linesDistinct: n[8]
  })
  it.each([
    ['2020.06', 'platform', r(78, 286, 284, 11, 275, 273, 104, 377, 375)],
    ['2020.06', 'compute', r(60, 228, 228, 11, 217, 217, 103, 318, 318)],
    ['2020.06', 'object', r(20, 60, 58, 0, 60, 58, 1, 61, 59)],
    ['2019.11', 'platform', r(78, 286, 284, 11, 275, 273, 104, 377, 375)],
    ['2019.11', 'compute', r(60, 228, 228, 11, 217, 217, 103, 318, 318)],
    ['2019.11', 'object', r(20, 60, 58, 0, 60, 58, 1, 61, 59)],
    ['2016.08', 'platform', r(56, 228, 228, 17, 211, 211, 97, 308, 308)],
    ['2016.08', 'compute', r(48, 215, 215, 17, 198, 198, 97, 295, 295)],
    ['2016.08', 'object', r(9, 14, 14, 0, 14, 14, 0, 14, 14)],
    ['dns.2020.06', 'dns', r(2, 10, 10, 0, 10, 10, 0, 10, 10)],
    ['dns.2019.11', 'dns', r(2, 10, 10, 0, 10, 10, 0, 10, 10)],
    ['orchestration.2020.06', 'orchestration', r(23, 60, 60, 0, 60, 60, 0, 60, 60)],
    ['orchestration.2019.11', 'orchestration', r(23, 60, 60, 0, 60, 60, 0, 60, 60)]
  ] as const)('%s %s', (id, program, expected) => {
    expect(row(id, program)).toEqual(expected)
  })

  it('2020.06 platform with flag=true has 390 lines', () => {
    expect(
      serverTestList(byId('2020.06'), { target: 'platform', type: ['required'], alias: true, flag: true })
    ).toHaveLength(390)
  })

  it('2019.11 and 2020.06 lists are byte-identical', () => {
    for (const program of ['platform', 'compute', 'object'] as const) {
      const opts = { target: program, type: ['required'], alias: true, flag: false }
      expect(serverTestList(byId('2019.11'), opts)).toEqual(serverTestList(byId('2020.06'), opts))
    }
  })
})

describe('serverTestList errors', () => {
  it('a target the file lacks → ActionError listing its programs', () => {
    expect(() =>
      serverTestList(byId('2020.06'), { target: 'dns', type: [], alias: true, flag: true })
    ).toThrow(/no program 'dns' \(its programs: platform, compute, object\)/)
    expect(() =>
      serverTestList(byId('dns.2020.06'), { target: 'platform', type: [], alias: true, flag: true })
    ).toThrow(/its programs: dns/)
  })

  it('schema 1.x accepts a component name as target, like the server', () => {
    const g = byId('2016.08')
    expect(
      serverTestList(g, { target: 'compute', type: ['required'], alias: true, flag: false })
    ).toHaveLength(295)
  })
})
