/** package.json declares exactly the packages the action's sources import, no more and no less. */
import { readFileSync, readdirSync } from 'node:fs'
import { builtinModules } from 'node:module'
import path from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

const ROOT = path.resolve(import.meta.dirname, '..')

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => path.join(e.parentPath, e.name))
}

/** The npm package of a module specifier: `@scope/name/sub` → `@scope/name`, `name/sub` → `name`. */
function packageOf(specifier: string): string {
  const parts = specifier.split('/')
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]
}

/** Packages of the imports and exports of `files` (type-only and dynamic ones included), as TypeScript reads them. */
function importedPackages(files: string[]): Set<string> {
  const packages = new Set<string>()
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true)
    for (const { fileName: specifier } of importedFiles) {
      if (specifier.startsWith('.') || specifier.startsWith('node:') || builtinModules.includes(specifier))
        continue
      packages.add(packageOf(specifier))
    }
  }
  return packages
}

describe('package.json', () => {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>
  }

  it('declares every package src/ imports, and nothing src/ does not import', () => {
    const imported = [...importedPackages(sources(path.join(ROOT, 'src')))].sort()
    expect(Object.keys(pkg.dependencies).sort()).toEqual(imported)
  })
})
