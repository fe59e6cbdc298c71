/**
 * The upload matches the verdict: every test that passed in any attempt (the first run or a rerun) is uploaded,
 * and the ones that passed only on a rerun are named. Against the test RefStack server.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Config } from '../../src/config.js'
import type { Execution } from '../../src/run/tests.js'
import { submitResults } from '../../src/refstack-api/submit.js'
import { uploadBody } from '../../src/refstack-api/upload.js'
import type { TestResult } from '../../src/results/model.js'
import { readSubunitFile } from '../../src/results/subunit.js'
import {
  addResultsApi,
  startRefstackServer,
  type RefstackServer,
  type ResultsApi
} from '../helpers/refstack-server.js'

const REAL_RUN = path.join(import.meta.dirname, '..', '..', '__fixtures__', 'subunit', 'real-run')
const FLAKY = 'tempest.api.object_storage.test_account_services.AccountTest.test_list_no_containers'

function test(id: string, status: TestResult['status'] = 'success'): TestResult {
  return { id, status, tags: [], attachments: [] }
}

describe('uploadBody with reruns', () => {
  it('adds the passes of later attempts that did not pass before, and names them', () => {
    const { body, passed, passedOnRerun } = uploadBody(
      [test('t.A.test_1[id-1111]'), test('t.A.test_2[id-2222]', 'fail'), test('t.A.test_3', 'fail')],
      'abc',
      5,
      [
        [test('t.A.test_2[id-2222]'), test('t.A.test_3', 'fail')],
        [test('t.A.test_1[id-1111]'), test('t.A.test_3')]
      ]
    )
    expect(passed).toBe(3)
    expect(passedOnRerun).toEqual(['t.A.test_2', 't.A.test_3'])
    expect(JSON.parse(body).results).toEqual([
      { name: 't.A.test_1', uuid: '1111' },
      { name: 't.A.test_2', uuid: '2222' },
      { name: 't.A.test_3' }
    ])
  })
})

describe('submitResults', () => {
  let server: RefstackServer
  let api: ResultsApi
  beforeAll(async () => {
    server = await startRefstackServer()
    api = addResultsApi(server, { knownKeys: [] })
  })
  afterAll(async () => {
    await server.stop()
  })

  it('a test that failed in the run and passed on its rerun is uploaded, and said to come from the rerun', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'submit-'))
    const jsonFile = path.join(dir, 'results.json')
    writeFileSync(jsonFile, JSON.stringify({ cpid: 'a1b2c3', duration_seconds: 10, results: [] }))
    const first = await readSubunitFile(path.join(REAL_RUN, 'object-2020.06-reused-accounts-failed.v1'))
    const rerun = await readSubunitFile(path.join(REAL_RUN, 'object-2020.06-local.v1'))
    const config = { refstackServer: server.url } as Config
    const execution = { jsonFile, durationSeconds: 10 } as Execution

    const submitted = await submitResults(config, execution, first, [rerun])

    expect(submitted.passedOnRerun).toEqual([FLAKY])
    expect(api.received).toHaveLength(1)
    const names = (
      JSON.parse(api.received[0].toString()) as { results: Array<{ name: string }> }
    ).results.map((r) => r.name)
    expect(names).toContain(FLAKY)
    expect(names).toHaveLength(new Set(names).size)
    expect(names).toHaveLength(
      new Set(rerun.tests.filter((t) => t.status === 'success').map((t) => t.id.replace(/\[.*$/, ''))).size
    )
  })
})
