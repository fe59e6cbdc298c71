import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { ActionError } from '../../src/errors.js'
import type { Guideline } from '../../src/guideline/model.js'
import { parseGuideline } from '../../src/guideline/parse.js'
import { programCapabilities, selectProgram } from '../../src/guideline/select.js'
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

const g2020 = bundled('2020.06.json')

describe('selectProgram', () => {
  it('2020.06 object: 20 required capabilities in guideline order, not partial', () => {
    const selection = selectProgram(g2020, 'object', [])
    expect(selection.capabilities).toHaveLength(20)
    expect(selection.partial).toBe(false)
    expect(selection.capabilities.every((c) => c.status === 'required')).toBe(true)
    const order = Object.keys((g2020.raw as { capabilities: object }).capabilities)
    const positions = selection.capabilities.map((c) => order.indexOf(c.name))
    expect([...positions].sort((a, b) => a - b)).toEqual(positions)
  })

  it('tests carry name, idempotent id, aliases and flagged reason', () => {
    const tests = selectProgram(g2020, 'platform', []).capabilities.flatMap((c) => c.tests)
    const flagged = tests.filter((t) => t.flagged)
    expect(flagged).toHaveLength(11)
    expect(flagged.every((t) => (t.flagged?.reason ?? '') !== '')).toBe(true)
    expect(tests.every((t) => /^[0-9a-f-]{36}$/.test(t.idempotentId ?? ''))).toBe(true)
    expect(tests.filter((t) => t.aliases.length > 0).length).toBeGreaterThan(0)
  })

  it('files each capability under its highest-priority status (2015.05 identity-auth)', () => {
    const g = bundled('2015.05.json')
    // required in compute, advisory in object
    expect(programCapabilities(g, 'platform').find((c) => c.name === 'identity-auth')?.status).toBe(
      'required'
    )
    expect(programCapabilities(g, 'object').find((c) => c.name === 'identity-auth')?.status).toBe('advisory')
    expect(selectProgram(g, 'platform', []).capabilities.some((c) => c.name === 'identity-auth')).toBe(true)
    expect(selectProgram(g, 'object', []).capabilities.some((c) => c.name === 'identity-auth')).toBe(false)
  })

  it('skips capabilities a component names but the file lacks (2018.02 removed volumes-v2-attach-detach)', () => {
    const names = programCapabilities(bundled('2018.02.json'), 'compute').map((c) => c.name)
    expect(names).not.toContain('volumes-v2-attach-detach')
  })

  it('add-on program of an add-on file', () => {
    expect(
      selectProgram(bundled('add-ons/orchestration.2020.06.json'), 'orchestration', []).capabilities
    ).toHaveLength(23)
  })

  it('a program the guideline lacks → ActionError listing its programs', () => {
    const error = thrown(() => selectProgram(g2020, 'dns', []))
    expect(error.message).toBe(
      "Guideline 2020.06 has no program 'dns' (its programs: platform, compute, object)"
    )
    expect(error.hint).toMatch(
      /add-on program: set input 'guideline' to an add-on guideline such as dns\.2020\.06/
    )
    const addon = thrown(() => selectProgram(bundled('add-ons/dns.2020.06.json'), 'platform', []))
    expect(addon.message).toBe("Guideline dns.2020.06 has no program 'platform' (its programs: dns)")
    expect(addon.hint).toMatch(/Set input 'program' to one of: dns, or set 'guideline' to a core guideline/)
  })

  it('the add-on drafts have nothing required', () => {
    expect(() => selectProgram(bundled('add-ons/dns.next.json'), 'dns', [])).toThrow(/no required capability/)
  })
})

describe('capability filter', () => {
  it('names and globs narrow the selection (partial)', () => {
    const selection = selectProgram(g2020, 'platform', ['identity-*', ' compute-servers-create ', ''])
    expect(selection.partial).toBe(true)
    expect(selection.filter).toEqual(['identity-*', 'compute-servers-create'])
    expect(selection.unmatchedFilter).toEqual([])
    const names = selection.capabilities.map((c) => c.name)
    expect(names).toContain('compute-servers-create')
    expect(names.filter((n) => n.startsWith('identity-')).length).toBeGreaterThan(1)
    expect(names.every((n) => n.startsWith('identity-') || n === 'compute-servers-create')).toBe(true)
  })

  it('a glob that matches everything is not partial', () => {
    const selection = selectProgram(g2020, 'object', ['*'])
    expect(selection.partial).toBe(false)
    expect(selection.capabilities).toHaveLength(20)
  })

  it('reports entries that matched nothing while others did', () => {
    const selection = selectProgram(g2020, 'object', ['objectstore-container-*', 'identiy-*'])
    expect(selection.unmatchedFilter).toEqual(['identiy-*'])
    expect(selection.capabilities.length).toBeGreaterThan(0)
  })

  it('a filter that matches no required capability → ActionError (never an empty run)', () => {
    const error = thrown(() => selectProgram(g2020, 'object', ['compute-*', 'nope']))
    expect(error.message).toBe(
      "Input 'capabilities' (compute-*, nope) matches no required capability of 2020.06 program 'object'"
    )
    expect(error.hint).toMatch(
      /^Use names or globs of its required capabilities, e\.g\. identity-v3-tokens-create, .*\(20 in all\)/
    )
  })

  it('says when the filter only matches non-required capabilities', () => {
    const g = bundled('2017.01.json')
    const error = thrown(() => selectProgram(g, 'platform', ['volumes-list-api-versions']))
    expect(error.message).toContain(
      'it matches volumes-list-api-versions (advisory), but only required capabilities run'
    )
  })
})
