import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import YAML from 'yaml'

const ROOT = path.join(import.meta.dirname, '..')
const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8')
const action = YAML.parse(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { default?: string }>
  outputs: Record<string, unknown>
}
const DESIGN_DEFAULTS: Record<string, string> = {
  guideline: 'latest',
  'guideline-source': 'auto',
  program: 'platform',
  'refstack-server': 'https://refstack.openstack.org/api',
  'ssh-port': '22',
  'ssh-user': 'root',
  'ssh-strict-host-key-checking': 'true',
  install: 'auto',
  workdir: '/var/lib/refstack-action',
  'clean-test-accounts': 'true',
  parallel: 'false',
  'rerun-failures': '0',
  'timeout-minutes': '180',
  upload: 'false',
  'dry-run': 'false',
  'fail-on-noncompliance': 'true',
  'artifact-name': 'refstack-results'
}

function tableNames(heading: string): string[] {
  const section = readme.split(`## ${heading}\n`)[1].split('\n## ')[0]
  return [...section.matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1])
}

describe('README', () => {
  it('documents every input of action.yml, and no other', () => {
    expect(tableNames('Inputs').sort()).toEqual(Object.keys(action.inputs).sort())
  })

  it('documents every output of action.yml, and no other', () => {
    expect(tableNames('Outputs').sort()).toEqual(Object.keys(action.outputs).sort())
  })

  it("keeps DESIGN.md's defaults in action.yml", () => {
    for (const [name, value] of Object.entries(DESIGN_DEFAULTS))
      expect(action.inputs[name]?.default, name).toBe(value)
  })

  const examples = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1])
  it.each(examples.map((text, i) => [i + 1, text]))(
    'example %i is valid YAML using only real inputs',
    (_, text) => {
      const parsed = YAML.parse(text as string)
      const steps = Array.isArray(parsed)
        ? parsed
        : Object.values(parsed.jobs as Record<string, { steps: unknown[] }>).flatMap((j) => j.steps)
      const ours = (steps as Array<{ uses?: string; with?: Record<string, unknown> }>).filter((s) =>
        s.uses?.includes('refstack-action')
      )
      expect(ours.length).toBeGreaterThan(0)
      for (const step of ours) {
        for (const name of Object.keys(step.with ?? {}))
          expect(Object.keys(action.inputs), name).toContain(name)
      }
    }
  )
})

describe("README's Layout", () => {
  const start = readme.indexOf('<!-- layout:start -->')
  const end = readme.indexOf('<!-- layout:end -->')
  const layout = readme.slice(start, end)
  const named = [...layout.matchAll(/^- `src\/([^`]+)`/gm)].map((m) => m[1])
  const tree = readdirSync(path.join(ROOT, 'src'), { withFileTypes: true })

  it('names every folder of src/, and only paths that exist', () => {
    expect(start).toBeGreaterThan(0)
    const folders = tree.filter((e) => e.isDirectory()).map((e) => `${e.name}/`)
    expect(named.filter((n) => n.endsWith('/')).sort()).toEqual(folders.sort())
    for (const name of named) expect(existsSync(path.join(ROOT, 'src', name)), name).toBe(true)
  })

  it('is mirrored by __tests__/ (every folder of tests but e2e, helpers and the cross-cutting hostile tests is one of src/)', () => {
    const sourceFolders = new Set(tree.filter((e) => e.isDirectory()).map((e) => e.name))
    const testFolders = readdirSync(path.join(ROOT, '__tests__'), { withFileTypes: true })
      .filter((e) => e.isDirectory() && !['e2e', 'helpers', 'hostile', 'scripts'].includes(e.name))
      .map((e) => e.name)
    for (const folder of testFolders) expect(sourceFolders.has(folder), `__tests__/${folder}`).toBe(true)
  })
})
