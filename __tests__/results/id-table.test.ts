/** IdTable: dense numbers for distinct ids without keeping the ids. */
import { describe, expect, it } from 'vitest'
import { ByteArray, IdTable } from '../../src/results/id-table.js'

describe('IdTable', () => {
  it('numbers distinct ids densely in order and finds them again', () => {
    const table = new IdTable()
    const ids: string[] = []
    for (let i = 0; i < 30000; i++) ids.push(`tempest.api.x.Test.test_${i}[id-${i}]`)
    // Ids one code unit apart, of odd and even lengths, empty, non-ASCII, and the same id in two encodings' worth.
    ids.push(
      '',
      'a',
      'b',
      'ab',
      'ba',
      'abc',
      'acb',
      'é',
      'e\u0301',
      'a\u0000b',
      'a\u0000c',
      'ü[ß]',
      'x'.repeat(1001)
    )
    ids.forEach((id, n) => {
      expect(table.add(id)).toBe(n)
      expect(table.added).toBe(true)
    })
    expect(table.size).toBe(ids.length)
    for (let n = ids.length - 1; n >= 0; n--) {
      expect(table.add(ids[n])).toBe(n)
      expect(table.added).toBe(false)
    }
    expect(table.size).toBe(ids.length)
  })

  it('ByteArray grows and reads 0 past its end', () => {
    const flags = new ByteArray()
    expect(flags.get(1e6)).toBe(0)
    flags.set(5000, 3)
    expect([flags.get(5000), flags.get(4999)]).toEqual([3, 0])
  })
})
