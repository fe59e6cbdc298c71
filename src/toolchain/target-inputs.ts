/**
 * The inputs that name paths on the target, checked right after connecting and before anything long starts
 * (provisioning can take minutes, a run hours): each error names the input and what to change.
 */
import type { Config } from '../config.js'
import { Input } from '../constants.js'
import { ActionError } from '../errors.js'
import type { Target } from '../target/target.js'

type FileInput = typeof Input.TempestConf | typeof Input.Openrc

const READ_HINTS: Record<FileInput, string> = {
  [Input.TempestConf]:
    'Check the path (openstack-ansible since Stein writes /etc/tempest/tempest.conf and /root/workspace/etc/tempest.conf; Mitaka /opt/tempest_untagged/etc/tempest.conf) and that the SSH user may read it',
  [Input.Openrc]:
    'Check the path (openstack-ansible writes /root/openrc in the utility container, mode 0600: the user must be root)'
}

export async function checkTargetInputs(target: Target, config: Config): Promise<void> {
  await checkWorkdir(target, config.workdir)
  if (config.tempestConf) await readInputFile(target, Input.TempestConf, config.tempestConf)
  if (config.openrc) await readInputFile(target, Input.Openrc, config.openrc)
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

/** The text of the file an input names on the target; an error naming the input when it cannot be read. */
export async function readInputFile(target: Target, input: FileInput, file: string): Promise<string> {
  try {
    return (await target.readFile(file)).toString('utf8')
  } catch {
    throw new ActionError(`Input '${input}': cannot read ${file} on ${target.description}`, READ_HINTS[input])
  }
}
