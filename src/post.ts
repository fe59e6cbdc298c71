/**
 * The post step (post-if: always()): ends this job's claim on the target (src/run/claim.ts). Its keepers stop
 * whatever attempt of the run is still running (the main run or a rerun, when the job was cancelled or failed
 * mid-run) and free the run's locks, so the next run need not wait for the deadline. Releasing a claim main
 * already released changes nothing.
 */
import './esm-shim.js'
import * as core from '@actions/core'
import { readConfig } from './config.js'
import { State } from './constants.js'
import { describeError } from './errors.js'
import { releaseClaim } from './run/claim.js'
import { connectTarget } from './target/connect.js'

export async function post(): Promise<void> {
  const dir = core.getState(State.ClaimDir)
  if (dir === '') {
    core.debug('No claim on the target to release')
    return
  }
  try {
    const target = await connectTarget(readConfig())
    try {
      const stopped = await releaseClaim(target, dir)
      core.info(
        stopped.length > 0
          ? `Stopped what was left running on ${target.description}: ${stopped.join(', ')}`
          : `Nothing of this run is left running on ${target.description} (${dir})`
      )
    } finally {
      await target.close()
    }
  } catch (error) {
    core.warning(`Could not stop the run in ${dir}: ${describeError(error)}`)
  }
}

await post()
process.exit(0)
