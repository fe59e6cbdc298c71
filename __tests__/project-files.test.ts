/**
 * The files users look for before they pin the action: LICENSE, CHANGELOG.md, SECURITY.md and CONTRIBUTING.md
 * exist, the README links each, their own links lead to files and headings that exist, SECURITY.md's table has
 * a row for every secret input of action.yml, and CONTRIBUTING.md names only npm scripts that exist.
 */
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { marked } from 'marked'
import { describe, expect, it } from 'vitest'
import YAML from 'yaml'

const ROOT = path.join(import.meta.dirname, '..')
const read = (file: string): string => readFileSync(path.join(ROOT, file), 'utf8')
const pkg = JSON.parse(read('package.json')) as { license: string; scripts: Record<string, string> }
const DOCS = ['README.md', 'CHANGELOG.md', 'SECURITY.md', 'CONTRIBUTING.md']

/** The href of every link of a Markdown file, as GitHub renders it. */
function links(file: string): string[] {
  const html = marked.parse(read(file), { async: false })
  return [...html.matchAll(/<a href="([^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, '&'))
}

/** GitHub's anchor of a heading: lower case, punctuation but '-' dropped, spaces as '-'. */
function anchors(file: string): string[] {
  return [...read(file).matchAll(/^#{1,6} (.+)$/gm)].map((m) =>
    m[1]
      .toLowerCase()
      .replace(/[^\p{L}\p{N} _-]/gu, '')
      .replace(/ /g, '-')
  )
}

describe('project files', () => {
  it('the README links LICENSE, CHANGELOG.md, SECURITY.md and CONTRIBUTING.md', () => {
    expect(links('README.md')).toEqual(
      expect.arrayContaining(['LICENSE', 'CHANGELOG.md', 'SECURITY.md', 'CONTRIBUTING.md'])
    )
  })

  it.each(DOCS)('%s links only to files and headings that exist', (file) => {
    const local = links(file).filter((href) => !/^[a-z]+:/.test(href))
    expect(local.length).toBeGreaterThan(0)
    for (const href of local) {
      const [target, anchor] = href.split('#')
      const linked = target === '' ? file : target
      expect(existsSync(path.join(ROOT, linked)), `${file}: ${href}`).toBe(true)
      if (anchor) expect(anchors(linked), `${file}: ${href}`).toContain(anchor)
    }
  })

  it("the anchor rule is GitHub's (the link check can fail)", () => {
    expect(anchors('CHANGELOG.md')).toContain('how-versions-are-made')
    expect(anchors('SECURITY.md')).toContain('what-the-action-does-with-each-secret')
    expect(anchors('CONTRIBUTING.md')).not.toContain('how-versions-are-made')
  })

  it('LICENSE is the Apache License 2.0 that package.json names', () => {
    expect(pkg.license).toBe('Apache-2.0')
    const text = read('LICENSE')
    expect(text).toMatch(
      /^\s*Apache License\n\s*Version 2\.0, January 2004\n\s*http:\/\/www\.apache\.org\/licenses\/\n/
    )
    expect(text).toContain('TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION')
    expect(text).toContain('END OF TERMS AND CONDITIONS')
    // The whole text: its nine sections.
    for (let section = 1; section <= 9; section++)
      expect(text).toMatch(new RegExp(`^   ${section}\\. [A-Z]`, 'm'))
  })

  it('SECURITY.md has a row for every secret input of action.yml', () => {
    const action = YAML.parse(read('action.yml')) as { inputs: Record<string, { description: string }> }
    const secrets = Object.entries(action.inputs)
      .filter(([, input]) => /\(a secret\)/.test(input.description))
      .map(([name]) => name)
    expect(secrets.sort()).toEqual(['ssh-passphrase', 'ssh-private-key', 'upload-key'])
    const rows = [...read('SECURITY.md').matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1])
    expect(rows).toEqual(expect.arrayContaining(secrets))
    for (const row of ['passwords in tempest.conf', 'passwords of accounts files', 'openrc credentials'])
      expect(read('SECURITY.md')).toContain(`\n| ${row} `)
  })

  it('CONTRIBUTING.md names only npm scripts that exist', () => {
    const named = [...read('CONTRIBUTING.md').matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1])
    expect(named.length).toBeGreaterThan(3)
    for (const script of named) expect(Object.keys(pkg.scripts), script).toContain(script)
  })

  it("CONTRIBUTING.md carries the README's two commands", () => {
    const readme = read('README.md')
    for (const command of ['npm ci && npm run demo', 'npm ci && npm test']) {
      expect(readme).toContain(command)
      expect(read('CONTRIBUTING.md')).toContain(command)
    }
  })
})
