/** Test ids: base names, and the fingerprinted set the streaming read asks once per test. */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { BaseNameSet, baseName, idempotentId, parseFixture, splitTestId } from '../../src/results/test-id.js'

const GUIDELINE = path.join(import.meta.dirname, '..', '..', 'data', 'guidelines', '2020.06.json')

describe('test ids', () => {
  it('base name, idempotent id, fixtures and class/method split', () => {
    expect(baseName('a.B.test_c[id-1234,smoke]')).toBe('a.B.test_c')
    expect(baseName('a.B.test_c')).toBe('a.B.test_c')
    expect(baseName('[x]')).toBe('[x]')
    expect(idempotentId('a.B.test_c[smoke,id-1234]')).toBe('1234')
    expect(parseFixture('setUpClass (a.b.C)')).toEqual({ kind: 'setUpClass', target: 'a.b.C' })
    expect(parseFixture('a.B.setUpClass')).toBeUndefined()
    expect(splitTestId('a.b.C.test_x[id-1]')).toEqual({ className: 'a.b.C', name: 'test_x[id-1]' })
  })
})

describe('BaseNameSet', () => {
  const names = new Set<string>()
  const g = JSON.parse(readFileSync(GUIDELINE, 'utf8')) as {
    capabilities: Record<string, { tests: Record<string, { aliases?: string[] }> }>
  }
  for (const cap of Object.values(g.capabilities)) {
    for (const [name, t] of Object.entries(cap.tests)) {
      names.add(name)
      for (const alias of t.aliases ?? []) names.add(alias)
    }
  }
  const set = new BaseNameSet(names)

  it('answers as Set.has(baseName(id)) for the names, their ids, and near misses', () => {
    expect(names.size).toBeGreaterThan(250)
    const asked: string[] = []
    for (const name of names) {
      asked.push(
        name,
        `${name}[id-0f1e,smoke]`,
        `${name}x`,
        `${name.slice(0, -1)}[id-1]`,
        `x${name}`,
        `${name}]`
      )
    }
    for (let i = 0; i < 20000; i++)
      asked.push(`tempest.api.compute.servers.test_module_${i}.TestCase.test_op_${i}[id-${i}]`)
    asked.push('', '[', ']', 'é[ü]', 'setUpClass (tempest.api.compute.servers.test_servers.ServersTestJSON)')
    let hits = 0
    for (const id of asked) {
      const want = names.has(baseName(id))
      if (want) hits++
      expect(set.hasBaseOf(id), id).toBe(want)
    }
    // Every name and every name with attributes, at least (a shortened name may be another name).
    expect(hits).toBeGreaterThanOrEqual(2 * names.size)
  })
})
