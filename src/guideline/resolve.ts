/** Step 2 glue: the config's guideline, program and capabilities → what runs, checked against the cloud's release. */
import * as core from '@actions/core'
import type { Config } from '../config.js'
import type { ProgramSelection } from './model.js'
import { describeRule, selectListedTests } from './plain-list.js'
import { checkKnownReleaseCoverage, checkReleaseCoverage } from './release.js'
import { selectProgram } from './select.js'
import { bundledDataDir, resolveGuideline } from './source.js'
import { runListFor } from './test-list.js'

export interface Resolved {
  selection: ProgramSelection
  /** The list handed to refstack-client (runListFor). */
  testList: string[]
  release?: { name: string; covered: boolean }
}

export async function resolveSelection(config: Config): Promise<Resolved> {
  // Ids whose releases are known (2020.11 … 2022.11): an uncovered release fails before any download.
  checkKnownReleaseCoverage(config.guideline, config.openstackRelease ?? '', config.allowUncoveredRelease)
  const { guideline, warnings } = await resolveGuideline({
    guideline: config.guideline,
    source: config.guidelineSource,
    server: config.refstackServer,
    bundledDir: bundledDataDir('guidelines'),
    program: config.program,
    interopGuidelinesUrl: config.interopGuidelinesUrl
  })
  for (const warning of warnings) core.warning(warning)
  core.info(
    `${guideline.list ? 'Test list' : 'Guideline'} ${guideline.id}${guideline.status ? ` (${guideline.status})` : ''} from ${guideline.source}`
  )

  let release: Resolved['release']
  if (config.openstackRelease) {
    // Throws when the release is not covered, unless allow-uncovered-release is set.
    const coverage = checkReleaseCoverage(guideline, config.openstackRelease, config.allowUncoveredRelease)
    if (!coverage.covered) core.warning(coverage.message)
    else core.info(coverage.message)
    release = { name: config.openstackRelease, covered: coverage.covered }
  }
  const list = guideline.list !== undefined
  const selection = list
    ? selectListedTests(guideline, config.capabilities, config.failOnSkipped)
    : selectProgram(guideline, config.program, config.capabilities)
  const testList = runListFor(selection)
  const selected = selection.partial ? ' (selected)' : ''
  if (selection.unmatchedFilter?.length) {
    const among = list ? 'service of the test list' : `required capability of ${config.program}`
    core.warning(`Input 'capabilities': ${selection.unmatchedFilter.join(', ')} matched no ${among}`)
  }
  core.info(
    list
      ? `Test list ${guideline.id}: ${testList.length} tests in ${selection.capabilities.length} services${selected}; rule: ${describeRule(selection.rule)}`
      : `Program ${config.program}: ${selection.capabilities.length} required capabilities${selected}, ${testList.length} test list lines`
  )
  return { selection, testList, release }
}
