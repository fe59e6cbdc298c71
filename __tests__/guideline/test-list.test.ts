import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Guideline, Program } from '../../src/guideline/model.js'
import { parseGuideline } from '../../src/guideline/parse.js'
import { selectProgram } from '../../src/guideline/select.js'
import { runListFor } from '../../src/guideline/test-list.js'
import { BUNDLED_DIR, bundledGuidelineSet, referenceTestList } from '../helpers/refstack-server.js'

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

  it('writes an empty idempotent id as name[] (2017.01 NEED_TEST) and bare names for schema 1.2', () => {
    // NEED_TEST is advisory in 2017.01: made required here, as the server lists it then.
    const raw = JSON.parse(readFileSync(path.join(BUNDLED_DIR, '2017.01.json'), 'utf8')) as {
      components: Record<string, Record<string, string[]>>
    }
    raw.components.compute.required.push('volumes-list-api-versions')
    const needTest = parseGuideline(JSON.stringify(raw), {
      source: 'edited 2017.01',
      fileName: '2017.01.json'
    })
    expect(runListFor(selectProgram(needTest, 'platform', ['volumes-list-api-versions']))).toEqual([
      'tempest.api.volume.NEED_TEST[]'
    ])
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
    const lines = runListFor(selection)
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

  it('2019.11 and 2020.06 lists are byte-identical', () => {
    for (const program of ['platform', 'compute', 'object'] as const) {
      expect(runListFor(selectProgram(byId('2019.11'), program, []))).toEqual(
        runListFor(selectProgram(byId('2020.06'), program, []))
      )
    }
  })
})
