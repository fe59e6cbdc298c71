// The notes of a release: the CHANGELOG.md section of a vX.Y.Z tag, after checking that the tag is
// package.json's version. Used by .github/workflows/release.yml:
//   node scripts/release-notes.mjs vX.Y.Z > notes.md
// Exits 1 with a message that says what to change when the tag, the version or the section does not match.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

/** The body of the `## [version] - YYYY-MM-DD` section of a Keep a Changelog text, without link definitions. */
export function releaseNotes(changelog, version) {
  const lines = changelog.split('\n')
  const start = lines.findIndex((line) => line.startsWith(`## [${version}]`))
  if (start < 0)
    throw new Error(
      `CHANGELOG.md has no section '## [${version}] - YYYY-MM-DD': rename Unreleased to it before tagging`
    )
  if (!/^## \[[^\]]+\] - \d{4}-\d{2}-\d{2}$/.test(lines[start]))
    throw new Error(`CHANGELOG.md: '${lines[start]}' must read '## [${version}] - YYYY-MM-DD'`)
  const end = lines.findIndex((line, i) => i > start && line.startsWith('## '))
  const body = lines
    .slice(start + 1, end < 0 ? lines.length : end)
    .filter((line) => !/^\[[^\]]+\]: /.test(line))
    .join('\n')
    .trim()
  if (body === '') throw new Error(`CHANGELOG.md: the section of ${version} is empty`)
  return `${body}\n`
}

/** The version a vX.Y.Z tag names, checked against package.json's. */
export function tagVersion(tag, packageVersion) {
  const match = /^v(\d+\.\d+\.\d+)$/.exec(tag)
  if (!match) throw new Error(`Tag '${tag}' is not a release tag: release tags read vX.Y.Z`)
  if (match[1] !== packageVersion)
    throw new Error(
      `Tag '${tag}' is not package.json's version (${packageVersion}): set "version": "${match[1]}" and tag that commit`
    )
  return match[1]
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'))
    const version = tagVersion(process.argv[2] ?? '', pkg.version)
    process.stdout.write(releaseNotes(readFileSync(path.join(ROOT, 'CHANGELOG.md'), 'utf8'), version))
  } catch (error) {
    console.error(error.message)
    process.exit(1)
  }
}
