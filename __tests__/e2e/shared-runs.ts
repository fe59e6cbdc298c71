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
 *
 * The compute runs take the longest (Debian's Tempest sleeps 10 s before every subnet delete, and SCS-0128's
 * DHCPv6 tests delete dozens), so the global setup starts them in the background as soon as the cloud is up
 * (startComputeRuns): they go on while the unit tests and the end-to-end files that leave the cloud as it is
 * run. They have a workdir and a Tempest workspace of their own, so the other runs do not queue behind their
 * claims. A file that needs one of them waits for it (its marker file says it is under way); a file that breaks
 * the cloud on purpose (stops a Swift server, removes a middleware) first waits for all of them
 * (computeRunsSettled), and the e2e sequencer puts those files last.
 */
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
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

function keyOf(inputs: Record<string, string>, runId: string): string {
  const files = FILE_INPUTS.map((name) => inputs[name])
    .filter((file): file is string => file !== undefined && existsSync(file))
    .map((file) => readFileSync(file))
  const testRun = process.env.REFSTACK_E2E_REUSE_RUNS === '1' ? '' : runId
  return hashOf([
    readFileSync(path.join(ROOT, 'dist', 'index.js')),
    readFileSync(path.join(ROOT, 'dist', 'post', 'index.js')),
    JSON.stringify(Object.entries(inputs).sort()),
    ...files,
    ...cloudState(),
    testRun
  ])
}

/** The id of this test run: given by the global setup to the test files; the global setup passes its own. */
const testRunId = (runId?: string): string => runId ?? inject('e2eRunId')

/** Whether `pid` is a live process. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** A pid written to `marker`, if the file is there and that process lives. */
function liveWriter(marker: string): number | undefined {
  if (!existsSync(marker)) return undefined
  const pid = Number(readFileSync(marker, 'utf8').trim())
  return Number.isInteger(pid) && pid > 0 && alive(pid) ? pid : undefined
}

/** A bound only a hang reaches: the longest shared run took 15 min on 2 busy cores. */
const HANG_BOUND_MS = 90 * 60_000

/** Waits until `done()` holds or the writer of `marker` is gone (polling; the bound is one only a hang reaches). */
async function waitWhileRunning(marker: string, what: string, done: () => boolean): Promise<void> {
  const bound = Date.now() + HANG_BOUND_MS
  let said = false
  while (!done() && liveWriter(marker) !== undefined) {
    if (!said)
      console.log(`waiting for ${what}, under way in the background (${path.relative(ROOT, marker)})`)
    said = true
    if (Date.now() > bound) throw new Error(`${what} is still under way after ${HANG_BOUND_MS / 60_000} min`)
    await sleep(2000)
  }
}

/**
 * runAction(inputs), made once per key: a later call (from any file of this test run) gets the kept result,
 * whose files (report, stream) are still where the outputs say; a call while another process makes it waits
 * for that run. Prints what the run cost, or that it was reused. `runId`: the global setup's own id (test
 * files get it from the setup).
 */
export async function sharedRun(
  name: string,
  inputs: Record<string, string>,
  runId?: string
): Promise<ActionResult> {
  mkdirSync(STORE, { recursive: true })
  const file = path.join(STORE, `${name}-${keyOf(inputs, testRunId(runId))}.json`)
  const marker = `${file}.running`
  await waitWhileRunning(marker, `the ${name} run`, () => existsSync(file))
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
  writeFileSync(marker, String(process.pid))
  try {
    const started = process.hrtime.bigint()
    const result = (await runAction(inputs)) as ActionResult
    const seconds = Number(process.hrtime.bigint() - started) / 1e9
    console.log(
      `${name}: ran in ${seconds.toFixed(0)} s, kept for the other files as ${path.relative(ROOT, file)}`
    )
    writeFileSync(file, JSON.stringify(result))
    return result
  } finally {
    rmSync(marker, { force: true })
  }
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
 * Where the compute runs keep their files on the runner (the runner is the target): a workdir and a Tempest
 * workspace (`tempest init`, once per machine) of their own, so that their claims (one run at a time per
 * workdir, workspace and accounts) leave the object runs of the other files free to go side by side.
 */
const COMPUTE_DIR = path.join(tmpdir(), 'refstack-e2e-compute')
function computePlace(): { workdir: string; 'tempest-workspace': string } {
  const workspace = path.join(COMPUTE_DIR, 'workspace')
  if (!existsSync(path.join(workspace, '.stestr.conf'))) {
    mkdirSync(COMPUTE_DIR, { recursive: true })
    execFileSync('tempest', ['init', workspace], { stdio: 'ignore' })
  }
  return { workdir: path.join(COMPUTE_DIR, 'workdir'), 'tempest-workspace': workspace }
}

/** The loopback cloud's compute tempest.conf (PLATFORM_TEMPEST_CONF), or an error naming how to get it. */
function platformConf(): string {
  const cloud = devCloudEnv() as Record<string, string>
  if (!cloud.PLATFORM_TEMPEST_CONF) {
    throw new Error(
      'The compute side is not up: scripts/dev-cloud/up.sh --compute (the e2e global setup runs it)'
    )
  }
  return cloud.PLATFORM_TEMPEST_CONF
}

/**
 * The one real Tempest run on the loopback compute cloud: the platform program's list and SCS-0128's in one
 * plain list, `parallel: true` (the worker count from the accounts file: 6 here; SCS_E2E_PARALLEL sets a
 * count). The platform list names a few tests also by an older alias that Tempest 33 no longer has:
 * refstack-client drops those, and the run reports them as not in Tempest.
 */
export async function computeRun(runId?: string): Promise<ComputeRun> {
  const conf = platformConf()
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
  const result = await sharedRun(
    'platform+scs-0128',
    {
      guideline: listFile,
      'tempest-conf': conf,
      ...computePlace(),
      parallel: process.env.SCS_E2E_PARALLEL ?? 'true',
      'timeout-minutes': '60',
      'artifact-name': ''
    },
    runId
  )
  return { result, list, platform, scs }
}

/** The cloud's compute tempest.conf without the two options Tempest 33 needs for 2020.06's metadata and router tests. */
export function strippedConf(): string {
  const text = readFileSync(platformConf(), 'utf8')
  for (const option of [/^xenapi_apis = true$/m, /^public_network_id = \S+$/m]) {
    if (!option.test(text)) throw new Error(`the compute tempest.conf has no ${option.source}`)
  }
  const without = text.replace(/^xenapi_apis\s*=.*$/m, '').replace(/^public_network_id\s*=.*$/m, '')
  mkdirSync(COMPUTE_DIR, { recursive: true })
  const file = path.join(COMPUTE_DIR, `tempest-stripped-${hashOf([without])}.conf`)
  writeFileSync(file, without, { mode: 0o600 })
  return file
}

export const METADATA_CAPABILITIES = ['delete', 'get', 'list', 'set', 'update'].map(
  (verb) => `compute-servers-metadata-${verb}`
)
export const ROUTER_CAPABILITY = 'networks-l3-CRUD'

/**
 * A real run with the stripped copy: the metadata capabilities (Tempest skips their tests without xenapi_apis),
 * networks-l3-CRUD (its router test needs public_network_id) and compute-flavors-list (needs neither).
 */
export function strippedRun(runId?: string): Promise<ActionResult> {
  return sharedRun(
    'platform-stripped-conf',
    {
      guideline: '2020.06',
      'guideline-source': 'bundled',
      program: 'platform',
      capabilities: [...METADATA_CAPABILITIES, ROUTER_CAPABILITY, 'compute-flavors-list'].join(','),
      'tempest-conf': strippedConf(),
      ...computePlace(),
      parallel: 'true',
      'artifact-name': ''
    },
    runId
  )
}

/** The global setup's marker while the compute runs go on in the background (the vitest process's pid). */
const backgroundMarker = (runId: string): string => path.join(STORE, `compute-runs-${runId}.running`)

/** Which compute runs to start in the background. */
export interface ComputeRuns {
  compute: boolean
  stripped: boolean
}

/**
 * Starts the compute runs asked for (computeRun, then strippedRun: they share the accounts, so they go one
 * after the other) in the background, from the global setup, once the cloud is up. Returns a promise that
 * settles when both are done; what the runs print goes to the setup's output, and a failure is printed here and
 * met again by the test file that needs the run (it then makes the run itself).
 */
export function startComputeRuns(runId: string, runs: ComputeRuns): Promise<void> {
  mkdirSync(STORE, { recursive: true })
  const marker = backgroundMarker(runId)
  writeFileSync(marker, String(process.pid))
  const started = process.hrtime.bigint()
  const seconds = () => (Number(process.hrtime.bigint() - started) / 1e9).toFixed(0)
  return (async () => {
    if (runs.compute) await computeRun(runId)
    if (runs.stripped) await strippedRun(runId)
  })()
    .then(
      () => console.log(`e2e set-up: the compute runs in the background took ${seconds()} s`),
      (error: unknown) =>
        console.error(
          `e2e set-up: a compute run in the background failed after ${seconds()} s: ${String(error)}`
        )
    )
    .finally(() => rmSync(marker, { force: true }))
}

/**
 * Resolves once no compute run of this test run is under way in the background: a file that stops a Swift
 * server or removes a middleware awaits it first, so that it cannot fail the platform program's object tests.
 */
export function computeRunsSettled(): Promise<void> {
  const marker = backgroundMarker(testRunId())
  return waitWhileRunning(marker, 'the compute runs', () => !existsSync(marker))
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
