/**
 * What the results artifact holds: every file of the results directory, and the stream and the JUnit file when
 * they are elsewhere (a `results-file` read in place, a `junit-file` outside the directory). The artifact service
 * takes files under one root only, so those are copied into the results directory first.
 */
import { promises as fs } from 'node:fs'
import * as path from 'node:path'

export interface ArtifactExtra {
  /** The input the file came from, prefixed to the copy's name when its own name is taken. */
  input: string
  file: string | undefined
}

function inside(dir: string, file: string): boolean {
  const relative = path.relative(path.resolve(dir), path.resolve(file))
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative)
}

/** The files to upload (absolute paths under `outputDir`), after copying `extras` that lie outside it. */
export async function artifactFiles(outputDir: string, extras: ArtifactExtra[]): Promise<string[]> {
  for (const { input, file } of extras) {
    if (file === undefined || inside(outputDir, file)) continue
    const taken = new Set(await fs.readdir(outputDir))
    const base = path.basename(file)
    const name = taken.has(base) ? `${input}-${base}` : base
    await fs.copyFile(file, path.join(outputDir, name))
  }
  const entries = await fs.readdir(outputDir, { withFileTypes: true })
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.join(outputDir, e.name))
    .sort()
}
