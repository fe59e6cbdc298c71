/** Test ids: base names, fixtures, the class/method split. */
import { describe, expect, it } from 'vitest'
import { baseName, parseFixture, splitTestId } from '../../src/results/test-id.js'

describe('test ids', () => {
  it('base name, fixtures and class/method split', () => {
    expect(baseName('a.B.test_c[id-1234,smoke]')).toBe('a.B.test_c')
    expect(baseName('a.B.test_c')).toBe('a.B.test_c')
    expect(baseName('[x]')).toBe('[x]')
    expect(baseName('a.B.test_c]')).toBe('a.B.test_c]')
    expect(baseName('a.B.test_c[id-1')).toBe('a.B.test_c[id-1')
    expect(baseName('é[ü]')).toBe('é')
    expect(parseFixture('setUpClass (a.b.C)')).toEqual({ kind: 'setUpClass', target: 'a.b.C' })
    expect(parseFixture('a.B.setUpClass')).toBeUndefined()
    expect(splitTestId('a.b.C.test_x[id-1]')).toEqual({ className: 'a.b.C', name: 'test_x[id-1]' })
  })
})
