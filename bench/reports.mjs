#!/usr/bin/env node
/**
 * Memory of the bundled action (dist/index.js: run `npm run build` first) on what other jobs hand it
 * (`npm run bench`, after the stream benchmarks):
 *
 *   node bench/reports.mjs [--reports N] [--lines N] [--check] [--keep]
 *
 * 1. Fleet mode over N reports (default 3 000), each a copy of a real report (__fixtures__/reports/healthy,
 *    58 KiB) under its own cloud name: ~175 MB of JSON, read one after another.
 * 2. Dry run of a plain test list of N lines (default 1 000 000 Tempest ids, ~100 MB): refused before reading
 *    (more than a list can hold), in bounded memory.
 * 3. Dry run of the largest list accepted (100 000 tests).
 * Each is one process as a runner starts it (INPUT_* variables, GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files); its
 * peak RSS is /usr/bin/time's %M. Goal: every peak under 200 MiB; --check exits 1 when one is not.
 */
import { spawnSync } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
  openSync,
  writeSync,
  closeSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseCommandFile, runnerEnv } from '../scripts/lib/run-action.mjs'

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)))
const BUNDLE = path.join(ROOT, 'dist', 'index.js')
const TIME = '/usr/bin/time'
const GOAL_MIB = 200

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? Number(process.argv[i + 1]) : fallback
}
const REPORTS = option('reports', 3000)
const LINES = option('lines', 1_000_000)
const CHECK = process.argv.includes('--check')
const KEEP = process.argv.includes('--keep')

if (!existsSync(BUNDLE)) {
  console.error('bench: dist/index.js not found: run npm run build first')
  process.exit(2)
}
if (!existsSync(TIME)) {
  console.error(`bench: ${TIME} not found (apt-get install time): it measures the action's peak RSS`)
  process.exit(2)
}

const work = mkdtempSync(path.join(tmpdir(), 'refstack-bench-reports-'))

/** Runs the bundle with `inputs` in a fresh directory; its exit code, peak RSS (MiB), wall time and outputs. */
function measure(name, inputs, workspace) {
  const dir = mkdtempSync(path.join(work, 'run-'))
  const { env, files } = runnerEnv(
    dir,
    inputs,
    { PATH: process.env.PATH, HOME: process.env.HOME },
    workspace ? { GITHUB_WORKSPACE: workspace } : {}
  )
  const started = process.hrtime.bigint()
  const run = spawnSync(TIME, ['-f', '%M', process.execPath, BUNDLE], {
    env,
    cwd: workspace ?? dir,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024
  })
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  const peakMiB = Number(run.stderr.trim().split('\n').at(-1)) / 1024
  const outputs = parseCommandFile(readFileSync(files.GITHUB_OUTPUT, 'utf8'))
  const error = run.stdout.split('\n').find((line) => line.startsWith('::error::'))
  return { name, code: run.status, peakMiB, seconds, outputs, error }
}

// 1. Fleet over REPORTS reports.
const fleetDir = path.join(work, 'fleet')
{
  const report = JSON.parse(
    readFileSync(path.join(ROOT, '__fixtures__', 'reports', 'healthy', 'report.json'), 'utf8')
  )
  for (let i = 0; i < REPORTS; i++) {
    const folder = path.join(fleetDir, 'reports', `cloud-${i}`)
    mkdirSync(folder, { recursive: true })
    report.cloudName = `cloud-${i}`
    writeFileSync(path.join(folder, 'report.json'), JSON.stringify(report, null, 2))
  }
}

// 2 and 3. Test lists of LINES lines and of the largest accepted size.
function writeList(file, lines) {
  const fd = openSync(file, 'w')
  let chunk = ''
  for (let i = 0; i < lines; i++) {
    chunk += `tempest.api.compute.servers.test_generated.GeneratedTest${i % 1000}.test_case_${i}[id-00000000-0000-4000-8000-${String(i).padStart(12, '0')},smoke]\n`
    if (chunk.length > 1 << 20) {
      writeSync(fd, chunk)
      chunk = ''
    }
  }
  writeSync(fd, chunk)
  closeSync(fd)
}
const longList = path.join(work, 'long-list.txt')
writeList(longList, LINES)
const largestList = path.join(work, 'largest-list.txt')
writeList(largestList, 100_000)

const dryRun = { 'dry-run': 'true', 'artifact-name': '' }
const results = [
  measure(`fleet: ${REPORTS} reports`, { reports: 'reports/*/report.json', 'artifact-name': '' }, fleetDir),
  measure(`test list: ${LINES} lines`, { ...dryRun, guideline: longList }),
  measure('test list: 100000 lines (the most accepted)', { ...dryRun, guideline: largestList })
]

let missed = false
for (const r of results) {
  const ok = r.peakMiB < GOAL_MIB
  if (!ok) missed = true
  console.log(
    `${r.name.padEnd(46)} peak ${r.peakMiB.toFixed(1).padStart(6)} MiB ${ok ? '✓' : '✗'} (goal < ${GOAL_MIB})  ${r.seconds.toFixed(2)} s  exit ${r.code}` +
      (r.error
        ? `\n${' '.repeat(48)}${r.error.slice(0, 160)}`
        : r.outputs.compliant
          ? `  compliant=${r.outputs.compliant}`
          : r.outputs.required
            ? `  required=${r.outputs.required}`
            : '')
  )
}
if (!KEEP) rmSync(work, { recursive: true, force: true })
else console.log(`kept ${work}`)
if (CHECK && missed) process.exit(1)
