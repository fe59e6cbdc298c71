import { describe, expect, it } from 'vitest'
import { capabilityAnnotations, flakyAnnotations } from '../../src/report/annotations.js'
import type { CapabilityVerdict, Compliance } from '../../src/results/model.js'

function cap(name: string, ok: boolean): CapabilityVerdict {
  return {
    name,
    status: ok ? 'passed' : 'failed',
    tests: [
      {
        name: `tempest.api.mod.${name}Test.test_it`,
        aliases: [],
        flagged: false,
        outcome: ok ? 'passed' : 'failed'
      }
    ],
    passed: ok ? 1 : 0,
    total: 1,
    flagged: 0
  }
}

const compliance = (caps: CapabilityVerdict[]) => ({ capabilities: caps }) as Compliance

describe('annotations', () => {
  it('gives one error per failing capability, naming its failing tests', () => {
    expect(capabilityAnnotations(compliance([cap('a', true), cap('b', false)]))).toEqual([
      { title: 'Capability b failed: 0/1 passed', message: 'bTest.test_it (failed)' }
    ])
  })

  it("stays within GitHub's 10 errors per step, folding the rest into the last", () => {
    const caps = Array.from({ length: 14 }, (_, i) => cap(`c${i}`, false))
    const annotations = capabilityAnnotations(compliance(caps))
    expect(annotations).toHaveLength(10)
    expect(annotations[9]).toEqual({
      title: '5 more capabilities failed',
      message: 'c9, c10, c11, c12, c13 (see the job summary)'
    })
  })
})

describe('flaky warnings', () => {
  it('warns once per test that passed only on a rerun', () => {
    const tests = [
      {
        name: 'tempest.a.B.test_flaky',
        aliases: [],
        flagged: false,
        outcome: 'passed' as const,
        flaky: true
      },
      { name: 'tempest.a.B.test_fine', aliases: [], flagged: false, outcome: 'passed' as const }
    ]
    expect(flakyAnnotations({ tests } as Compliance)).toEqual([
      {
        title: 'Flaky test: passed in one attempt, failed in another',
        message: 'tempest.a.B.test_flaky failed in one attempt and passed in another; it counts as passed'
      }
    ])
  })
})
