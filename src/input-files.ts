/**
 * Paths given as inputs that the action opens: each must be what it claims to be. A FIFO or a device as a
 * file never ends or never answers (`results-file: /dev/zero` would be read forever), and a workdir on a
 * kernel pseudo file system (/proc, /sys, /dev) cannot hold files — Node's recursive mkdir even spins
 * there for ever. Checked when the inputs are read, before anything runs.
 */
import { statSync } from 'node:fs'
import * as path from 'node:path'
import { Input } from './constants.js'
import { ActionError } from './errors.js'
import { GUIDELINE_ID } from './guideline/parse.js'

/** What kind of file a stat names, for messages. */
function kindOf(stat: import('node:fs').Stats): string {
  if (stat.isDirectory()) return 'a directory'
  if (stat.isFIFO()) return 'a FIFO (named pipe)'
  if (stat.isCharacterDevice()) return 'a character device'
  if (stat.isBlockDevice()) return 'a block device'
  if (stat.isSocket()) return 'a socket'
  return 'not a regular file'
}

/**
 * An input naming a file on the runner: when something exists there, it must be a regular file (symbolic
 * links followed). A missing file is left to the code that reads it, which says so with the path.
 */
export function checkRegularFile(input: string, file: string): void {
  let stat: import('node:fs').Stats
  try {
    stat = statSync(file)
  } catch {
    return
  }
  if (stat.isFile()) return
  throw new ActionError(
    `Input '${input}': ${file} is ${kindOf(stat)}, not a regular file`,
    `Give the path of a file written to disk (copy a stream or download into a file first)`
  )
}

/** Kernel pseudo file systems: nothing the action writes belongs there. */
const PSEUDO_FILE_SYSTEMS = ['/proc', '/sys', '/dev']

/** An input naming a directory the action writes to on the target: not on a kernel pseudo file system. */
export function checkWritableDirectory(input: string, dir: string): void {
  const normal = path.posix.normalize(dir)
  const under = PSEUDO_FILE_SYSTEMS.find((root) => normal === root || normal.startsWith(`${root}/`))
  if (under === undefined) return
  throw new ActionError(
    `Input '${input}' cannot be under ${under} (got '${dir}'): it is a kernel pseudo file system`,
    `Give a directory on a disk, e.g. '/var/lib/refstack-action'`
  )
}

/** `guideline` when it names a file (not a URL, `latest` or an id, as guideline/source.ts tells them apart). */
export function checkGuidelineFile(value: string): void {
  const url = /^[a-z][a-z0-9+.-]*:\/\//i.test(value)
  if (url || value.toLowerCase() === 'latest' || GUIDELINE_ID.test(value)) return
  checkRegularFile(Input.Guideline, value)
}
