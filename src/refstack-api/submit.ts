/** Step 5: upload the passed tests to a RefStack server, signed when a key is given. */
import * as core from '@actions/core'
import { readFile } from 'node:fs/promises'
import type { Config } from '../config.js'
import { echoForeign } from '../log/foreign.js'
import type { StreamRead } from '../results/model.js'
import { computeCpid } from './cpid.js'
import type { Execution } from '../run/tests.js'
import { uploadBody, uploadResults, type UploadedResult } from './upload.js'

/**
 * The CPID refstack-client computed on the target (which reaches Keystone) is in its JSON results; the runner
 * may not reach Keystone at all. Only without that file is the CPID asked from Keystone here.
 */
async function cloudId(execution: Execution): Promise<string> {
  if (execution.jsonFile) {
    try {
      const json = JSON.parse(await readFile(execution.jsonFile, 'utf8')) as { cpid?: unknown }
      if (typeof json.cpid === 'string' && json.cpid !== '') return json.cpid
    } catch (error) {
      core.debug(`refstack-client's JSON results unreadable: ${(error as Error).message}`)
    }
  }
  const { cpid, warning } = await computeCpid(execution.conf.conf, execution.conf.accounts)
  if (warning) core.warning(warning)
  return cpid
}

/** The upload's result, and the uploaded tests that passed only on a rerun. */
export interface Submitted extends UploadedResult {
  passedOnRerun: string[]
}

/** Uploads every passed test of every attempt (`reruns`: the rerun-failures streams), as the verdict counts them. */
export async function submitResults(
  config: Config,
  execution: Execution,
  read: StreamRead,
  reruns: StreamRead[] = []
): Promise<Submitted> {
  const cpid = await cloudId(execution)
  const { body, passed, passedOnRerun } = uploadBody(
    read.tests,
    cpid,
    execution.durationSeconds,
    reruns.map((r) => r.tests)
  )
  const fromReruns = passedOnRerun.length > 0 ? `; ${passedOnRerun.length} of them passed on a rerun` : ''
  core.info(
    `Uploading ${passed} passed tests to ${config.refstackServer} (CPID ${cpid}, ${config.uploadKey ? 'signed' : 'unsigned'}${fromReruns})`
  )
  // Test names come from the stream: echoed as text, never as workflow commands.
  echoForeign(passedOnRerun.map((name) => `  passed on a rerun: ${name}`).join('\n'))
  const uploaded = await uploadResults({ server: config.refstackServer, body, signingKey: config.uploadKey })
  core.info(`RefStack result: ${uploaded.url}`)
  return { ...uploaded, passedOnRerun }
}
