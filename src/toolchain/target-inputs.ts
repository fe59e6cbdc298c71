/**
 * The inputs that name paths on the target, checked right after connecting and before anything long starts
 * (provisioning can take minutes, a run hours): each error names the input and what to change.
 */
import type { Config } from '../config.js'
import { Input } from '../constants.js'
import { ActionError } from '../errors.js'
import type { Target } from '../target/target.js'

export async function checkTargetInputs(target: Target, config: Config): Promise<void> {
  await checkWorkdir(target, config.workdir)
  if (config.tempestConf) {
    await checkReadable(
      target,
      Input.TempestConf,
      config.tempestConf,
      'Check the path (openstack-ansible puts it in /root/workspace/etc/tempest.conf or /opt/tempest_untagged/etc/tempest.conf) and that the SSH user may read it'
    )
  }
  if (config.openrc) {
    await checkReadable(
      target,
      Input.Openrc,
      config.openrc,
      'Check the path (openstack-ansible writes /root/openrc in the utility container, mode 0600: the user must be root)'
    )
  }
}

/** The workdir is created if absent (as provisioning would); it must end up a directory the user may write. */
async function checkWorkdir(target: Target, workdir: string): Promise<void> {
  const created = await target.exec(['mkdir', '-p', '--', workdir])
  const writable = created.code === 0 ? await target.exec(['test', '-w', workdir]) : undefined
  if (created.code === 0 && writable?.code === 0) return
  const why = created.code !== 0 ? created.stderr.trim() || `mkdir exited ${created.code}` : 'not writable'
  throw new ActionError(
    `Input '${Input.Workdir}': ${workdir} cannot be used as a directory on ${target.description} (${why})`,
    `Set '${Input.Workdir}' to a directory the user may create and write (e.g. /var/lib/refstack-action), not a file`
  )
}

async function checkReadable(target: Target, input: string, file: string, hint: string): Promise<void> {
  try {
    await target.readFile(file)
  } catch {
    throw new ActionError(`Input '${input}': cannot read ${file} on ${target.description}`, hint)
  }
}
