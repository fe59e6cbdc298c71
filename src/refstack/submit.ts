/** Step 5: upload the passed tests to a RefStack server, signed when a key is given. */
import * as core from '@actions/core'
import { readFile } from 'node:fs/promises'
import type { Config } from '../config.js'
import type { StreamRead } from '../results/model.js'
import { computeCpid } from './cpid.js'
import type { Execution } from './execute.js'
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

export async function submitResults(
  config: Config,
  execution: Execution,
  read: StreamRead
): Promise<UploadedResult> {
  const cpid = await cloudId(execution)
  const { body, passed } = uploadBody(read.tests, cpid, execution.durationSeconds)
  core.info(
    `Uploading ${passed} passed tests to ${config.refstackServer} (CPID ${cpid}, ${config.uploadKey ? 'signed' : 'unsigned'})`
  )
  const uploaded = await uploadResults({ server: config.refstackServer, body, signingKey: config.uploadKey })
  core.info(`RefStack result: ${uploaded.url}`)
  return uploaded
}
