/** The target the config names: the runner, an SSH host (optionally through a bastion), and/or an LXC container. */
import * as core from '@actions/core'
import type { Config } from '../config.js'
import { Input } from '../constants.js'
import { LocalTarget } from './local.js'
import { findUtilityContainer, LxcTarget } from './lxc.js'
import { SshTarget } from './ssh.js'
import type { Target } from './target.js'

async function hostTarget(config: Config): Promise<Target> {
  if (!config.ssh) return new LocalTarget()
  const target = new SshTarget({
    ...config.ssh,
    keepaliveIntervalMs: 15_000,
    readyTimeoutMs: 30_000,
    onUnverifiedHostKey: (key) =>
      core.warning(
        `Host key of ${key.role} ${key.host}:${key.port} was NOT verified (${Input.SshStrictHostKeyChecking}: false): it offered ${key.keyType} ${key.fingerprint}. Anyone in the path could impersonate it. Pin it with '${Input.SshKnownHosts}': ${key.knownHostsLine}`,
        { title: 'Insecure SSH host key setting' }
      )
  })
  await target.connect()
  return target
}

export async function connectTarget(config: Config): Promise<Target> {
  const host = await hostTarget(config)
  if (!config.container) {
    core.info(`Running on ${host.description}`)
    return host
  }
  let target: Target
  try {
    const name = config.container === 'utility' ? await findUtilityContainer(host) : config.container
    target = new LxcTarget(host, name)
  } catch (error) {
    await host.close()
    throw error
  }
  core.info(`Running on ${target.description}`)
  return target
}
