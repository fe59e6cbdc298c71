/**
 * Checks of inputs beyond their shape, each throwing one ActionError naming the input (config.ts runs them
 * before anything runs). A FIFO or device given as a file never ends or never answers (`results-file:
 * /dev/zero`); a file the action writes must be writable, else the run fails after its whole length, losing
 * its report; a kernel pseudo file system (/proc, /sys, /dev) cannot hold files; the RefStack server receives
 * the upload key's signature, so it is reached over TLS; a git argument starting with "-" is a git option.
 */
import { accessSync, constants, statSync, type Stats } from 'node:fs'
import { isIPv4 } from 'node:net'
import path from 'node:path'
import { Input } from './constants.js'
import { ActionError } from './errors.js'
import { GUIDELINE_ID } from './guideline/parse.js'

// --- files on the runner and the target ---

function statOf(file: string): Stats | undefined {
  try {
    return statSync(file)
  } catch {
    return undefined
  }
}

function writable(file: string): boolean {
  try {
    accessSync(file, constants.W_OK)
    return true
  } catch {
    return false
  }
}

/** What kind of file a stat names, for messages. */
export function kindOf(stat: Stats): string {
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
  const stat = statOf(file)
  if (stat === undefined || stat.isFile()) return
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

/**
 * `junit-file` must be a file the action may create or overwrite, and not the `results-file` it is written from
 * (the same path, or a link to the same file).
 */
export function checkJunitFile(junitFile: string, resultsFile: string | undefined): void {
  const file = path.resolve(junitFile)
  const fail = (what: string): never => {
    throw new ActionError(
      `Input '${Input.JunitFile}' (${junitFile}) ${what}`,
      `Set '${Input.JunitFile}' to the path of a new file in a writable directory, e.g. 'refstack-junit.xml'`
    )
  }
  const stat = statOf(file)
  if (resultsFile !== undefined) {
    const results = statOf(path.resolve(resultsFile))
    const same =
      path.resolve(resultsFile) === file ||
      (stat !== undefined && results !== undefined && stat.dev === results.dev && stat.ino === results.ino)
    if (same)
      fail(`is the '${Input.ResultsFile}': writing the JUnit file would overwrite the stream it reads`)
  }
  if (stat?.isDirectory()) fail('is a directory')
  if (stat !== undefined) {
    if (!writable(file)) fail('cannot be written (permission denied)')
    return
  }
  // The file is created, with its missing directories, under the nearest directory that exists.
  let parent = path.dirname(file)
  let parentStat = statOf(parent)
  while (parentStat === undefined && path.dirname(parent) !== parent) {
    parent = path.dirname(parent)
    parentStat = statOf(parent)
  }
  if (parentStat !== undefined && !parentStat.isDirectory())
    fail(`cannot be created: ${parent} is not a directory`)
  if (!writable(parent)) fail(`cannot be created: ${parent} is not writable`)
}

// --- network and command line ---

/** `localhost`, an IPv4 literal in 127.0.0.0/8, or `[::1]` (a URL's hostname): where plain http:// is accepted. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase()
  return (
    host === 'localhost' || (isIPv4(host) && host.startsWith('127.')) || host === '[::1]' || host === '::1'
  )
}

/** `refstack-server` must be https://, except on a loopback address (a test server on the runner). */
export function checkRefstackServerScheme(value: string): void {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return // the URL's shape is checked with the other rules of the input
  }
  if (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname))) return
  throw new ActionError(
    `Input '${Input.RefstackServer}' must be an https:// URL (got '${value}')`,
    `Guidelines and uploads travel to it: use https:// (plain http:// is accepted only for loopback addresses such as 127.0.0.1, for tests)`
  )
}

/** Git revisions and repository URLs never start with "-": one that does would be an option to git. */
export function checkGitArgument(name: string, value: string): void {
  if (!value.startsWith('-')) return
  throw new ActionError(
    `Input '${name}' cannot start with '-' (got '${value}')`,
    name === Input.RefstackClientRef
      ? `Give a commit, tag or branch of refstack-client, e.g. 'eb3c6d4957253cee8488e227a85863f2e58f6b77'`
      : `Give the repository's URL, e.g. 'https://opendev.org/openinfra/refstack-client'`
  )
}
