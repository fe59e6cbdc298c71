/** The target the config names: the runner, an SSH host (optionally through a bastion), and/or an LXC container. */
import * as core from '@actions/core'
import type { Config } from '../config.js'
import { LocalTarget } from './local.js'
import type { Target } from './target.js'

export async function connectTarget(config: Config): Promise<Target> {
  const target: Target = new LocalTarget()
  if (config.ssh || config.container) {
    throw new Error('unreachable: remote targets are wired in connectRemote')
  }
  core.info(`Running on ${target.description}`)
  return target
}
