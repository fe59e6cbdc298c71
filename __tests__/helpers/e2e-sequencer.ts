/**
 * The order of the test files: vitest's own (files that failed last time first, then the slowest), except that
 * the end-to-end files that wait for the compute runs the global setup starts in the background come last —
 * those that judge them (pre-flight, platform, SCS-0128) and those that need the cloud to themselves
 * (clean-accounts releases allocation files no account of its own names, many-runs-exclusive and rerun remove
 * SLO from the Swift proxy, baseline-fleet stops its object server). The
 * other end-to-end files run while the compute runs go on (__tests__/e2e/shared-runs.ts).
 */
import { BaseSequencer, type TestSpecification } from 'vitest/node'

const LAST = [
  'preflight',
  'platform',
  'scs-0128',
  'clean-accounts',
  'many-runs-exclusive',
  'rerun',
  'baseline-fleet'
].map((name) => `/__tests__/e2e/${name}.test.ts`)

export default class E2ESequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files)
    const late = (file: TestSpecification) => LAST.findIndex((end) => file.moduleId.endsWith(end))
    return [
      ...sorted.filter((file) => late(file) < 0),
      ...sorted.filter((file) => late(file) >= 0).sort((a, b) => late(a) - late(b))
    ]
  }
}
