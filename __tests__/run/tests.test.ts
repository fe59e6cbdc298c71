import { describe, expect, it } from 'vitest'
import { rerunList } from '../../src/run/tests.js'

describe('rerunList', () => {
  const list = [
    'tempest.api.a.B.test_one[id-1]',
    'tempest.api.a.B.test_one_alias[id-1]',
    'tempest.api.a.B.test_two[id-2,smoke]',
    'tempest.api.c.D.test_three[id-3]'
  ]
  const tests = [
    { name: 'tempest.api.a.B.test_one', aliases: ['tempest.api.a.B.test_one_alias'] },
    { name: 'tempest.api.a.B.test_two', aliases: [] },
    { name: 'tempest.api.c.D.test_three', aliases: [] }
  ]

  it('keeps the list lines of the tests to retry, aliases included, in list order', () => {
    expect(
      rerunList(list, new Set(['tempest.api.a.B.test_one', 'tempest.api.c.D.test_three']), tests)
    ).toEqual([
      'tempest.api.a.B.test_one[id-1]',
      'tempest.api.a.B.test_one_alias[id-1]',
      'tempest.api.c.D.test_three[id-3]'
    ])
  })

  it('is empty when nothing is to be retried', () => {
    expect(rerunList(list, new Set(), tests)).toEqual([])
  })
})
