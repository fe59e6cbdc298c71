/**
 * The expensive Tempest runs of the end-to-end tests, made once per test run and shared by every file that
 * asserts on them — the way a user's nightly run feeds a baseline, or one stream is judged by several
 * standards with `results-file`.
 *
 * The loopback compute cloud gets ONE real run: the 2020.06 platform program's test list joined with the
 * SCS-0128 list, as a plain test list with `parallel: true`. platform.test.ts, scs-0128.test.ts and
 * preflight.test.ts judge its stream report-only (`results-file`) by the 2020.06 platform program and by
 * SCS-0128, and hold the `preflight: only` prediction for the cloud's tempest.conf to the platform outcome.
 *
 * Vitest runs each test file in its own module context (isolate), so a module variable does not outlive a file:
 * the runs are kept under build/e2e-runs/, keyed by everything that decides them — dist/, the inputs, the
 * files they name, the cloud's env file and its Keystone's pid (a restarted cloud is another cloud), and the
 * test run (an id from the global setup). A later test run makes its own runs, unless
 * REFSTACK_E2E_REUSE_RUNS=1 (for working on the assertions: the same dist/ on the same cloud state).
 */
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { inject } from 'vitest'
import type { Report } from '../../src/report/report.js'
// @ts-expect-error -- plain JavaScript helper shared with npm run demo
import { ROOT, devCloudEnv, runAction } from '../../scripts/lib/run-action.mjs'

export interface ActionResult {
  code: number | null
  stdout: string
  stderr: string
  summary: string
  outputs: Record<string, string>
  state: Record<string, string>
  post?: { code: number | null; stdout: string; stderr: string }
  dir: string
}

const STORE = path.join(ROOT, 'build', 'e2e-runs')
const STATE_DIR = process.env.DEV_CLOUD_DIR || '/var/lib/refstack-dev-cloud'
/** Inputs that name files on the runner whose content decides the run. */
const FILE_INPUTS = ['guideline', 'tempest-conf', 'results-file', 'baseline']

export function readReport(result: { outputs: Record<string, string> }): Report {
  return JSON.parse(readFileSync(result.outputs['report-file'] as string, 'utf8')) as Report
}

function hashOf(parts: Array<string | Buffer>): string {
  const hash = createHash('sha256')
  for (const part of parts) hash.update(createHash('sha256').update(part).digest())
  return hash.digest('hex').slice(0, 16)
}

function cloudState(): string[] {
  const env = path.join(STATE_DIR, 'env')
  const keystone = path.join(STATE_DIR, 'run', 'keystone.pid')
  return [
    existsSync(env) ? readFileSync(env, 'utf8') : '',
    existsSync(keystone) ? readFileSync(keystone, 'utf8') : ''
  ]
}

function keyOf(inputs: Record<string, string>): string {
  const files = FILE_INPUTS.map((name) => inputs[name])
    .filter((file): file is string => file !== undefined && existsSync(file))
    .map((file) => readFileSync(file))
  const testRun = process.env.REFSTACK_E2E_REUSE_RUNS === '1' ? '' : inject('e2eRunId')
  return hashOf([
    readFileSync(path.join(ROOT, 'dist', 'index.js')),
    readFileSync(path.join(ROOT, 'dist', 'post', 'index.js')),
    JSON.stringify(Object.entries(inputs).sort()),
    ...files,
    ...cloudState(),
    testRun
  ])
}

/**
 * runAction(inputs), made once per key: a later call (from any file of this test run) gets the kept result,
 * whose files (report, stream) are still where the outputs say. Prints what the run cost, or that it was reused.
 */
export async function sharedRun(name: string, inputs: Record<string, string>): Promise<ActionResult> {
  mkdirSync(STORE, { recursive: true })
  const file = path.join(STORE, `${name}-${keyOf(inputs)}.json`)
  if (existsSync(file)) {
    const kept = JSON.parse(readFileSync(file, 'utf8')) as ActionResult
    const files = ['report-file', 'results-file']
      .map((o) => kept.outputs[o])
      .filter((f) => f !== undefined && f !== '')
    if (files.every((f) => existsSync(f as string))) {
      console.log(`${name}: the run made earlier in this test run (${path.relative(ROOT, file)})`)
      return kept
    }
  }
  const started = process.hrtime.bigint()
  const result = (await runAction(inputs)) as ActionResult
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  console.log(
    `${name}: ran in ${seconds.toFixed(0)} s, kept for the other files as ${path.relative(ROOT, file)}`
  )
  writeFileSync(file, JSON.stringify(result))
  return result
}

/** Test names without their attributes (`[id-…,smoke]`). */
export function bareName(line: string): string {
  return line.replace(/\[.*$/, '').trim()
}

function listLines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
}

export const SCS_LIST = path.join(ROOT, 'data', 'scs', 'scs-0128-tempest-tests-non-admin.lst')

/** The 2020.06 platform program's required test list as the action writes it (a dry run). */
export async function platformList(): Promise<string[]> {
  const dry = (await runAction(
    {
      guideline: '2020.06',
      'guideline-source': 'bundled',
      program: 'platform',
      'dry-run': 'true',
      'artifact-name': ''
    },
    { post: false }
  )) as ActionResult
  if (dry.code !== 0)
    throw new Error(`the dry run of the platform program failed:\n${dry.stdout.slice(-2000)}`)
  return listLines(readFileSync(dry.outputs['test-list'] as string, 'utf8'))
}

export interface ComputeRun {
  /** The real run of the joined list. */
  result: ActionResult
  /** The list it ran: SCS-0128's lines, then the platform lines SCS-0128 lacks. */
  list: string[]
  platform: string[]
  scs: string[]
}

/**
 * The one real Tempest run on the loopback compute cloud: the platform program's list and SCS-0128's in one
 * plain list, `parallel: true` (the worker count from the accounts file: 6 here; SCS_E2E_PARALLEL sets a
 * count). The platform list names a few tests also by an older alias that Tempest 33 no longer has:
 * refstack-client drops those, and the run reports them as not in Tempest.
 */
export async function computeRun(): Promise<ComputeRun> {
  const cloud = devCloudEnv() as Record<string, string>
  if (!cloud.PLATFORM_TEMPEST_CONF) {
    throw new Error(
      'The compute side is not up: scripts/dev-cloud/up.sh --compute (the e2e global setup runs it)'
    )
  }
  const scs = listLines(readFileSync(SCS_LIST, 'utf8'))
  const platform = await platformList()
  const inScs = new Set(scs.map(bareName))
  const list = [...scs, ...platform.filter((line) => !inScs.has(bareName(line)))]
  mkdirSync(STORE, { recursive: true })
  const listFile = path.join(STORE, `platform-and-scs-0128-${hashOf([list.join('\n')])}.lst`)
  writeFileSync(
    listFile,
    `# 2020.06 platform program + SCS-0128, for the shared e2e run\n${list.join('\n')}\n`
  )
  const result = await sharedRun('platform+scs-0128', {
    guideline: listFile,
    'tempest-conf': cloud.PLATFORM_TEMPEST_CONF,
    parallel: process.env.SCS_E2E_PARALLEL ?? 'true',
    'timeout-minutes': '60',
    'artifact-name': ''
  })
  return { result, list, platform, scs }
}

/** A report-only judgement of the shared run's stream (`results-file`) with these inputs. */
export async function judgeComputeRun(name: string, inputs: Record<string, string>): Promise<ActionResult> {
  const { result } = await computeRun()
  return sharedRun(name, {
    ...inputs,
    'results-file': result.outputs['results-file'] as string,
    'artifact-name': ''
  })
}

/** The 2020.06 platform program judged on the shared run. */
export function platformVerdict(): Promise<ActionResult> {
  return judgeComputeRun('platform-on-shared-run', {
    guideline: '2020.06',
    'guideline-source': 'bundled',
    program: 'platform'
  })
}

/** SCS-0128 judged on the shared run. */
export function scsVerdict(): Promise<ActionResult> {
  return judgeComputeRun('scs-0128-on-shared-run', { guideline: 'scs-0128' })
}

/** `preflight: only` for the 2020.06 platform program with the cloud's tempest.conf (Tempest does not run). */
export function platformPreflight(): Promise<ActionResult> {
  const workdir = path.join(tmpdir(), 'refstack-e2e-preflight-workdir')
  const cloud = devCloudEnv() as Record<string, string>
  return sharedRun('platform-preflight-only', {
    guideline: '2020.06',
    'guideline-source': 'bundled',
    program: 'platform',
    preflight: 'only',
    workdir,
    'tempest-conf': cloud.PLATFORM_TEMPEST_CONF as string,
    'artifact-name': ''
  })
}
