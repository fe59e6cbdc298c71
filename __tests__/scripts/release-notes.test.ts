/**
 * scripts/release-notes.mjs as the release workflow runs it: the tag checked against package.json's version,
 * and the CHANGELOG.md section of that version printed as the GitHub release's notes. The release is made as
 * CHANGELOG.md says: its Unreleased section renamed to the version, in a copy of the repository's files.
 */
import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
// @ts-expect-error -- plain JavaScript script run by .github/workflows/release.yml
import { releaseNotes, tagVersion } from '../../scripts/release-notes.mjs'

const ROOT = path.join(import.meta.dirname, '..', '..')
const CHANGELOG = readFileSync(path.join(ROOT, 'CHANGELOG.md'), 'utf8')
const VERSION = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string })
  .version

/** CHANGELOG.md as the release commit of `version` has it: Unreleased renamed, a new empty one above. */
function released(version: string, date = '2026-12-07'): string {
  expect(CHANGELOG).toContain('\n## [Unreleased]\n')
  return CHANGELOG.replace('\n## [Unreleased]\n', `\n## [Unreleased]\n\n## [${version}] - ${date}\n`)
}

/** The script run from a copy of the repository's package.json, CHANGELOG.md (as given) and the script. */
function run(tag: string, changelog: string) {
  const dir = mkdtempSync(path.join(tmpdir(), 'release-notes-'))
  mkdirSync(path.join(dir, 'scripts'))
  copyFileSync(
    path.join(ROOT, 'scripts', 'release-notes.mjs'),
    path.join(dir, 'scripts', 'release-notes.mjs')
  )
  copyFileSync(path.join(ROOT, 'package.json'), path.join(dir, 'package.json'))
  writeFileSync(path.join(dir, 'CHANGELOG.md'), changelog)
  return spawnSync(process.execPath, [path.join('scripts', 'release-notes.mjs'), tag], {
    cwd: dir,
    encoding: 'utf8'
  })
}

describe('CHANGELOG.md', () => {
  it('keeps an Unreleased section, and no section yet of the unreleased package.json version', () => {
    expect(CHANGELOG).toMatch(/^## \[Unreleased\]$/m)
    expect(CHANGELOG).not.toContain(`## [${VERSION}]`)
  })

  it('states the release rule: semantic versions, vX.Y.Z tags, the major tag moved on release', () => {
    expect(CHANGELOG).toContain('[Semantic Versioning 2.0.0](https://semver.org/spec/v2.0.0.html)')
    expect(CHANGELOG).toContain('tagged\n  `vX.Y.Z`')
    expect(CHANGELOG).toContain('moves the major tag `vX`')
  })
})

describe('release notes of a tag', () => {
  it('print the released section, from its first entry to the next section, without the link definitions', () => {
    const result = run(`v${VERSION}`, released(VERSION))
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
    const unreleased = CHANGELOG.split('\n## [Unreleased]\n')[1].trim()
    expect(result.stdout).toBe(`${unreleased.replace(/\n\[Unreleased\]: \S+$/, '').trim()}\n`)
    expect(result.stdout).toMatch(/^Nothing is released yet[\s\S]*### Added\n/)
    expect(result.stdout).not.toContain('## [')
    expect(result.stdout).not.toContain('[Unreleased]:')
  })

  it.each([
    [
      'v0.0.1',
      `Tag 'v0.0.1' is not package.json's version (${VERSION}): set "version": "0.0.1" and tag that commit`
    ],
    ['v1', "Tag 'v1' is not a release tag: release tags read vX.Y.Z"],
    [`v${VERSION}-rc.1`, `Tag 'v${VERSION}-rc.1' is not a release tag: release tags read vX.Y.Z`]
  ])('refuse tag %s', (tag, message) => {
    const result = run(tag, released(VERSION))
    expect(result.status).toBe(1)
    expect(result.stderr).toBe(`${message}\n`)
    expect(result.stdout).toBe('')
  })

  it('refuse a version CHANGELOG.md has no section of (Unreleased not renamed)', () => {
    const result = run(`v${VERSION}`, CHANGELOG)
    expect(result.status).toBe(1)
    expect(result.stderr).toBe(
      `CHANGELOG.md has no section '## [${VERSION}] - YYYY-MM-DD': rename Unreleased to it before tagging\n`
    )
  })

  it('refuse a section without its date, and an empty one', () => {
    expect(() => releaseNotes('## [1.2.3]\n\n- x\n', '1.2.3')).toThrow(
      "CHANGELOG.md: '## [1.2.3]' must read '## [1.2.3] - YYYY-MM-DD'"
    )
    expect(() => releaseNotes('## [1.2.3] - 2026-12-07\n\n## [1.2.2] - 2026-12-01\n- y\n', '1.2.3')).toThrow(
      'CHANGELOG.md: the section of 1.2.3 is empty'
    )
  })

  it('take the section of the version asked for, not a neighbour', () => {
    const text = '## [Unreleased]\n\n## [1.10.0] - 2026-12-07\n\n- ten\n\n## [1.1.0] - 2026-11-01\n\n- one\n'
    expect(releaseNotes(text, '1.1.0')).toBe('- one\n')
    expect(releaseNotes(text, '1.10.0')).toBe('- ten\n')
    expect(tagVersion('v1.10.0', '1.10.0')).toBe('1.10.0')
  })
})
