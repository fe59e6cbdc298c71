/**
 * The post step (post-if: always()): when the job was cancelled or failed while Tempest was still running on
 * the target, stop that run so no half-run Tempest is left behind. Does nothing when main finished the run.
 */
import './esm-shim.js'
import * as core from '@actions/core'
import { readConfig } from './config.js'
import { State } from './constants.js'
import { describeError } from './errors.js'
import { stopDetached } from './run/detached.js'
import { connectTarget } from './target/connect.js'

export async function post(): Promise<void> {
  const dir = core.getState(State.RunDir)
  const pid = Number(core.getState(State.RunPid))
  if (dir === '' || !Number.isInteger(pid) || pid <= 1 || core.getState(State.RunFinished) === 'true') {
    core.debug('No Tempest run left to stop')
    return
  }
  try {
    const target = await connectTarget(readConfig())
    try {
      const stopped = await stopDetached(target, { dir, pid })
      core.info(
        stopped
          ? `Stopped the Tempest run left on ${target.description} (${dir})`
          : `The Tempest run in ${dir} had already ended (pid ${pid} is not its leader any more: left alone)`
      )
    } finally {
      await target.close()
    }
  } catch (error) {
    core.warning(`Could not stop the Tempest run in ${dir}: ${describeError(error)}`)
  }
}

await post()
process.exit(0)
