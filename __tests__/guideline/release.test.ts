import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { ActionError } from '../../src/errors.js'
import { parseGuideline } from '../../src/guideline/parse.js'
import { parseTestList } from '../../src/guideline/plain-list.js'
import { checkKnownReleaseCoverage, checkReleaseCoverage, parseRelease } from '../../src/guideline/release.js'
import { BUNDLED_DIR } from '../helpers/refstack-server.js'

const g2020 = parseGuideline(readFileSync(path.join(BUNDLED_DIR, '2020.06.json'), 'utf8'), {
  source: 'bundled 2020.06.json',
  fileName: '2020.06.json'
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

describe('parseRelease', () => {
  it.each([
    ['victoria', 'victoria', undefined],
    ['Victoria', 'victoria', undefined],
    ['stable/zed', 'zed', undefined],
    ['2023.1', 'antelope', '2023.1'],
    ['antelope', 'antelope', '2023.1'],
    ['2023.2', 'bobcat', '2023.2'],
    ['2024.1', 'caracal', '2024.1'],
    ['2024.2', 'dalmatian', '2024.2'],
    ['2025.1', 'epoxy', '2025.1'],
    ['stable/2025.2', 'flamingo', '2025.2'],
    ['2026.1', 'gazpacho', '2026.1'],
    ['2026.2', 'hibiscus', '2026.2'],
    ['2028.2', '2028.2', '2028.2']
  ])('%s → %s', (input, name, number) => {
    const release = parseRelease(input)
    expect(release.name).toBe(name)
    expect(release.number).toBe(number)
  })

  it('orders releases, unnamed numbers after the named ones', () => {
    expect(parseRelease('victoria').order).toBeLessThan(parseRelease('wallaby').order)
    expect(parseRelease('zed').order).toBeLessThan(parseRelease('2023.1').order)
    expect(parseRelease('2028.2').order).toBeGreaterThan(parseRelease('2027.1').order)
  })

  it.each(['victorio', '2022.1', '2023.3', 'latest', ''])(
    '%s → ActionError listing the accepted forms',
    (input) => {
      const error = thrown(() => parseRelease(input))
      expect(error.message).toBe(`Input 'openstack-release' is not an OpenStack release: '${input}'`)
      expect(error.hint).toContain('victoria')
      expect(error.hint).toContain('2023.1')
      expect(error.hint).toContain('stable/')
    }
  )
})

describe('checkReleaseCoverage', () => {
  it('covered', () => {
    expect(checkReleaseCoverage(g2020, 'ussuri', false)).toEqual({
      covered: true,
      message: 'Guideline 2020.06 covers OpenStack ussuri (stein, train, ussuri, victoria)'
    })
  })

  it('uncovered → ActionError naming the covered releases and the opt-out', () => {
    const error = thrown(() => checkReleaseCoverage(g2020, 'wallaby', false))
    expect(error.message).toBe(
      'Guideline 2020.06 does not cover OpenStack wallaby: it covers stein, train, ussuri, victoria'
    )
    expect(error.hint).toContain('allow-uncovered-release: true')
    expect(error.hint).toContain('openinfra/interop')
  })

  it('an older release → use an older guideline', () => {
    const error = thrown(() => checkReleaseCoverage(g2020, 'havana', false))
    expect(error.hint).toMatch(/older guideline whose releases include havana/)
  })

  it.each(['2023.1', 'antelope', 'stable/2023.1'])('%s → guideline 2022.11 or scs-0128', (release) => {
    const error = thrown(() => checkReleaseCoverage(g2020, release, false))
    expect(error.message).toMatch(
      /^Guideline 2020\.06 does not cover OpenStack 2023\.1 \(antelope\): it covers stein, train, ussuri, victoria$/
    )
    expect(error.hint).toContain('guideline: 2022.11 (fetched from the RefStack server or openinfra/interop)')
    expect(error.hint).toContain('guideline: scs-0128')
    expect(error.hint).toContain('allow-uncovered-release: true')
  })

  it.each(['stable/2024.1', '2025.2', '2026.1'])(
    '%s (after the last interop guideline) → the retirement, scs-0128 or an own list',
    (release) => {
      const error = thrown(() => checkReleaseCoverage(g2020, release, false))
      expect(error.message).toMatch(
        /^Guideline 2020\.06 does not cover OpenStack 20\d\d\.\d \(\w+\): it covers stein, train, ussuri, victoria$/
      )
      expect(error.hint).toMatch(
        /^No interop guideline covers 20\d\d\.\d \(\w+\): the interop program was retired/
      )
      expect(error.hint).toContain('2022.11, covers xena, yoga, zed, antelope')
      expect(error.hint).toContain('guideline: scs-0128')
      expect(error.hint).toContain('guideline: ./tempest-tests.lst')
      expect(error.hint).not.toContain('guideline: 2022.11')
      expect(error.hint).toContain('allow-uncovered-release: true')
    }
  )

  it.each([
    ['wallaby', '2020.11 or 2021.11 or 2022.06'],
    ['zed', '2022.06 or 2022.11']
  ])('%s → the unbundled guidelines that cover it (%s)', (release, ids) => {
    const error = thrown(() => checkReleaseCoverage(g2020, release, false))
    expect(error.hint).toContain(`guideline: ${ids} (fetched`)
  })

  it('the releases of 2022.11 are known before fetching it', () => {
    const error = thrown(() => checkKnownReleaseCoverage('2022.11', '2024.1', false))
    expect(error.message).toBe(
      'Guideline 2022.11 does not cover OpenStack 2024.1 (caracal): it covers xena, yoga, zed, antelope'
    )
    expect(checkKnownReleaseCoverage('2022.11', 'zed', false)?.covered).toBe(true)
    expect(checkKnownReleaseCoverage('2020.06', '2024.1', false)).toBeUndefined()
    expect(checkKnownReleaseCoverage('2022.11', '', false)).toBeUndefined()
  })

  it('a test list names no releases: not checked, covered', () => {
    const list = parseTestList('tempest.api.compute.a.B.test_c\n', { id: 'l', source: 'l' })
    expect(checkReleaseCoverage(list, '2025.2', false)).toEqual({
      covered: true,
      message: 'The test list l names no OpenStack releases: coverage of 2025.2 (flamingo) was not checked'
    })
  })

  it('allowUncovered → not covered, with a warning message', () => {
    const result = checkReleaseCoverage(g2020, '2024.1', true)
    expect(result.covered).toBe(false)
    expect(result.message).toContain('does not cover OpenStack 2024.1 (caracal)')
    expect(result.message).toContain("'allow-uncovered-release' is true")
  })

  it('an unknown release name → ActionError even with allowUncovered', () => {
    expect(() => checkReleaseCoverage(g2020, 'victorai', true)).toThrow(
      /not an OpenStack release: 'victorai'/
    )
  })
})
