/**
 * Checks of the inputs that name files on the runner, made when the inputs are read: a path that cannot be
 * written would otherwise fail after the whole run, losing its report.
 */
import { accessSync, constants, statSync, type Stats } from 'node:fs'
import path from 'node:path'
import { Input } from './constants.js'
import { ActionError } from './errors.js'

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
