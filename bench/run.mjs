#!/usr/bin/env node
/**
 * Subunit reader benchmark (`npm run bench`): our TypeScript parsers against python-subunit on the same bytes.
 *
 *   node bench/run.mjs [--tests N] [--runs N] [--python-runs N] [--check] [--keep]
 *
 * 1. Compiles src/results with the project's tsc into a temporary directory (no bundle, no extra tooling).
 * 2. Writes deterministic Tempest-like streams: N tests (default 100 000) and 1 000 tests, each as v2 and v1.
 * 3. Runs every measurement in a fresh child process (peak RSS from /proc/self/status VmHWM), best of --runs.
 * 4. Times python-subunit (Debian's /usr/bin/python3) on the same files: `subunit-stats` (v2, wall clock)
 *    and bench/python-reader.py (v1 and v2, parse time in process).
 * 5. Times the whole bundled action (dist/index.js: run `npm run build` first) in report-only mode on the same
 *    files, as a runner starts it (INPUT_* variables, GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files; the 2020.06
 *    platform program, bundled guideline, no artifact): wall time and peak RSS of the process
 *    (/usr/bin/time %M), best of --runs; once more with `junit-file` set (information).
 * Goals: the whole action ≥ 5× python-subunit on the N-test stream, process against process (subunit-stats for
 * v2, python-reader.py for v1; the ratios of the parser alone and against python's parse time alone are printed
 * too); memory flat: the N-test peak RSS (parser, and whole action) within 20 MiB of the 1 000-test one.
 * --check exits 1 when a goal is missed (timings are noisy on a busy machine).
 */
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseCommandFile, runnerEnv } from '../scripts/lib/run-action.mjs'
import { platformTests, tempestTests, v1Stream, v2Stream } from './generate.mjs'

const HERE = path.dirname(fileURLToPath(import.meta.url))
const ROOT = path.dirname(HERE)
const PYTHON = '/usr/bin/python3'
const SUBUNIT_STATS = '/usr/bin/subunit-stats'
const TIME = '/usr/bin/time'
const BUNDLE = path.join(ROOT, 'dist', 'index.js')

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? Number(process.argv[i + 1]) : fallback
}
const TESTS = option('tests', 100_000)
const RUNS = option('runs', 5)
const PYTHON_RUNS = option('python-runs', 2)
const CHECK = process.argv.includes('--check')
const KEEP = process.argv.includes('--keep')

const mib = (bytes) => (bytes / 1048576).toFixed(1)
const secs = (s) => (s === undefined ? 'n/a' : `${s.toFixed(3)} s`)
const ratio = (a, b) => (a === undefined || b === undefined ? 'n/a' : `${(a / b).toFixed(1)}×`)

function fail(message) {
  console.error(`bench: ${message}`)
  process.exit(2)
}

// ------------------------------------------------------------------------------------------ 1. compile

const work = mkdtempSync(path.join(tmpdir(), 'refstack-bench-'))
const build = path.join(work, 'build')
{
  const tsc = path.join(ROOT, 'node_modules', '.bin', 'tsc')
  if (!existsSync(tsc)) fail('node_modules/.bin/tsc not found: run npm ci first')
  const args = [
    '--outDir',
    build,
    '--rootDir',
    'src',
    '--module',
    'NodeNext',
    '--moduleResolution',
    'NodeNext'
  ]
  args.push('--target', 'ES2022', '--types', 'node', '--skipLibCheck', '--strict', 'src/results/subunit.ts')
  const r = spawnSync(tsc, args, { cwd: ROOT, encoding: 'utf8' })
  if (r.status !== 0) fail(`compiling src/results failed:\n${r.stdout}${r.stderr}`)
}

if (!existsSync(BUNDLE)) fail('dist/index.js not found: run npm run build first')
if (!existsSync(TIME)) fail(`${TIME} not found (apt-get install time): it measures the action's peak RSS`)
{
  const newest = (dir) =>
    Math.max(
      ...readdirSync(dir, { withFileTypes: true }).map((e) =>
        e.isDirectory() ? newest(path.join(dir, e.name)) : statSync(path.join(dir, e.name)).mtimeMs
      )
    )
  if (newest(path.join(ROOT, 'src')) > statSync(BUNDLE).mtimeMs)
    console.log(
      'warning: src/ is newer than dist/index.js: the action measured is the last build (npm run build)'
    )
}

// ------------------------------------------------------------------------------------------ 2. streams

function write(file, pieces) {
  const fd = openSync(file, 'w')
  const hash = createHash('sha256')
  for (const piece of pieces) {
    writeSync(fd, piece)
    hash.update(piece)
  }
  closeSync(fd)
  return hash.digest('hex').slice(0, 12)
}

const SEED = 42
const PLATFORM_TESTS = platformTests().length
const streams = []
for (const count of [TESTS, 1000]) {
  let failures = 0
  for (const t of tempestTests(count, SEED)) if (t.traceback) failures++
  for (const format of ['v2', 'v1']) {
    const file = path.join(work, `${count}.${format}`)
    const sha = write(file, (format === 'v2' ? v2Stream : v1Stream)(count, SEED))
    streams.push({ count, format, file, sha, bytes: statSync(file).size, failures })
  }
}

// ------------------------------------------------------------------------------------------ 3./4. measure

function runJson(command, args, input) {
  const started = process.hrtime.bigint()
  const r = spawnSync(command, args, {
    encoding: 'utf8',
    stdio: [input ?? 'ignore', 'pipe', 'pipe'],
    maxBuffer: 1 << 24
  })
  const wall = Number(process.hrtime.bigint() - started) / 1e9
  if (r.status !== 0) fail(`${command} ${args.join(' ')} exited ${r.status}:\n${r.stderr}`)
  return { ...JSON.parse(r.stdout.trim().split('\n').pop()), wall }
}

function best(runs, measure) {
  const all = Array.from({ length: runs }, measure)
  const fastest = all.reduce((a, b) => (b.seconds < a.seconds ? b : a))
  return {
    ...fastest,
    wall: Math.min(...all.map((r) => r.wall)),
    peakMiB: Math.max(...all.map((r) => r.peakMiB))
  }
}

const python = spawnSync(PYTHON, ['-c', 'import subunit, testtools'], { encoding: 'utf8' }).status === 0
if (!python)
  console.log(
    `python-subunit not importable by ${PYTHON}: python columns skipped (apt-get install python3-subunit)`
  )

/** The whole bundled action in report-only mode on `file`, as a runner starts it: { wall, peakMiB, outputs }. */
function runAction(file, extraInputs = {}) {
  const dir = mkdtempSync(path.join(work, 'action-'))
  const inputs = {
    'results-file': file,
    guideline: '2020.06',
    'guideline-source': 'bundled',
    program: 'platform',
    'artifact-name': '',
    // Not compliant (the streams fail ~10% of the tests): report it and exit 0, so a crash shows as one.
    'fail-on-noncompliance': 'false',
    ...extraInputs
  }
  const { env, files } = runnerEnv(dir, inputs, { PATH: process.env.PATH, HOME: process.env.HOME })
  const timeFile = path.join(dir, 'time')
  const started = process.hrtime.bigint()
  const r = spawnSync(TIME, ['-f', '%M', '-o', timeFile, process.execPath, BUNDLE], {
    cwd: dir,
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 1 << 26
  })
  const wall = Number(process.hrtime.bigint() - started) / 1e9
  if (r.status !== 0) fail(`the action on ${file} exited ${r.status}:\n${r.stdout.slice(-3000)}${r.stderr}`)
  const peakKiB = Number(readFileSync(timeFile, 'utf8').trim().split('\n').pop())
  const outputs = parseCommandFile(readFileSync(files.GITHUB_OUTPUT, 'utf8'))
  rmSync(dir, { recursive: true, force: true })
  return { seconds: wall, wall, peakMiB: peakKiB / 1024, outputs }
}

/** The verdict every stream must get: all 2020.06 platform tests are in each stream, ~10% of them failed. */
function checkVerdict(s, m) {
  const o = m.outputs
  const required = Number(o.required)
  if (
    !(required > 0) ||
    Number(o.passed) + Number(o.failed) + Number(o.missing) + Number(o.skipped) !== required
  )
    fail(`the action's verdict on ${s.file} is incomplete: ${JSON.stringify(o)}`)
  if (Number(o.missing) !== 0 || !(Number(o.failed) > 0))
    fail(`the action's verdict on ${s.file}: want 0 missing and some failed, got ${JSON.stringify(o)}`)
}

for (const s of streams) {
  process.stdout.write(`measuring ${s.count} tests ${s.format} (${mib(s.bytes)} MiB) …\n`)
  s.action = best(RUNS, () => runAction(s.file))
  checkVerdict(s, s.action)
  s.junit = runAction(s.file, { 'junit-file': path.join(work, `junit-${s.count}-${s.format}.xml`) })
  checkVerdict(s, s.junit)
  s.digest = best(RUNS, () =>
    runJson(process.execPath, [path.join(HERE, 'child.mjs'), build, s.file, 'digest'])
  )
  if (s.digest.tests !== s.count || s.digest.kept !== PLATFORM_TESTS)
    fail(
      `wrong digest of ${s.file}: ${JSON.stringify(s.digest)} (want ${s.count} tests, ${PLATFORM_TESTS} kept)`
    )
  s.parse = best(RUNS, () =>
    runJson(process.execPath, [path.join(HERE, 'child.mjs'), build, s.file, 'parse'])
  )
  s.read = best(RUNS, () => runJson(process.execPath, [path.join(HERE, 'child.mjs'), build, s.file, 'read']))
  for (const m of [s.parse, s.read]) {
    if (m.tests !== s.count || m.failed !== s.failures || m.error) {
      fail(`wrong result for ${s.file}: ${JSON.stringify(m)} (want ${s.count} tests, ${s.failures} failed)`)
    }
  }
  if (!python) continue
  s.python = best(PYTHON_RUNS, () => runJson(PYTHON, [path.join(HERE, 'python-reader.py'), s.format, s.file]))
  if (s.python.tests !== s.count) fail(`python read ${s.python.tests} tests from ${s.file}, want ${s.count}`)
  if (s.format === 'v2' && existsSync(SUBUNIT_STATS)) {
    const walls = []
    for (let i = 0; i < PYTHON_RUNS; i++) {
      const fd = openSync(s.file, 'r')
      const started = process.hrtime.bigint()
      const r = spawnSync(SUBUNIT_STATS, [], { stdio: [fd, 'pipe', 'pipe'], encoding: 'utf8' })
      walls.push(Number(process.hrtime.bigint() - started) / 1e9)
      closeSync(fd)
      const total = /Total tests:\s+(\d+)/.exec(r.stdout)
      if (!total || Number(total[1]) !== s.count)
        fail(`subunit-stats counted ${total?.[1]} tests in ${s.file}`)
    }
    s.stats = Math.min(...walls)
  }
}

// ------------------------------------------------------------------------------------------ report

function table(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)))
  const line = (cells) => `| ${cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`
  console.log(line(header))
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`)
  for (const r of rows) console.log(line(r))
}

console.log(
  `\nSubunit reader benchmark — node ${process.version}, best of ${RUNS} (ours) / ${PYTHON_RUNS} (python)`
)
console.log(
  `streams in ${work}: Tempest-like ids, 4 workers, ~10% failures with ~2 KB tracebacks (seed ${SEED})\n`
)
console.log('Throughput (parse time in process; "wall" = whole process, interpreter start included)\n')
table(
  [
    'stream',
    'size',
    'sha256',
    'python',
    'ours: parse',
    'speed-up',
    'ours: read',
    'speed-up',
    'subunit-stats wall',
    'ours wall (read)',
    'speed-up'
  ],
  streams.map((s) => [
    `${s.count} ${s.format}`,
    `${mib(s.bytes)} MiB`,
    s.sha,
    secs(s.python?.seconds),
    `${secs(s.parse.seconds)} (${mib(s.bytes / s.parse.seconds)} MiB/s)`,
    ratio(s.python?.seconds, s.parse.seconds),
    secs(s.read.seconds),
    ratio(s.python?.seconds, s.read.seconds),
    s.format === 'v2' ? secs(s.stats) : '-',
    secs(s.read.wall),
    s.format === 'v2' ? ratio(s.stats, s.read.wall) : '-'
  ])
)
console.log(
  '\nparse = parseSubunitFile (records streamed to a callback and dropped, like subunit-stats counting);'
)
console.log('read  = readSubunitFile without names (every test kept as a TestResult).\n')

console.log(
  'The whole action, report-only (node dist/index.js as a runner starts it: wall time of the process, start-up,'
)
console.log(
  'guideline, read + verdict, report files and summary included), against python-subunit in this run\n'
)
table(
  [
    'stream',
    'ours: digest (in process)',
    'action wall',
    'vs python parse',
    'python wall',
    'vs python wall',
    'action + junit-file wall'
  ],
  streams.map((s) => [
    `${s.count} ${s.format}`,
    secs(s.digest.seconds),
    secs(s.action.wall),
    ratio(s.python?.seconds, s.action.wall),
    secs(s.python?.wall),
    ratio(s.python?.wall, s.action.wall),
    secs(s.junit.wall)
  ])
)
console.log(
  '\ndigest = readSubunitFile with names (what the action reads: the platform program`s 284 names kept, the rest counted);'
)
console.log('python wall = python-reader.py as a process (interpreter start and imports included).\n')

console.log('Peak RSS (VmHWM of the process; the action: /usr/bin/time %M)\n')
table(
  ['stream', 'ours: parse', 'ours: digest', 'ours: read', 'action', 'action + junit-file', 'python'],
  streams.map((s) => [
    `${s.count} ${s.format}`,
    `${s.parse.peakMiB.toFixed(1)} MiB`,
    `${s.digest.peakMiB.toFixed(1)} MiB`,
    `${s.read.peakMiB.toFixed(1)} MiB`,
    `${s.action.peakMiB.toFixed(1)} MiB`,
    `${s.junit.peakMiB.toFixed(1)} MiB`,
    s.python ? `${s.python.peakMiB.toFixed(1)} MiB` : 'n/a'
  ])
)

const goals = []
for (const format of ['v2', 'v1']) {
  const big = streams.find((s) => s.count === TESTS && s.format === format)
  const small = streams.find((s) => s.count === 1000 && s.format === format)
  if (big.python) {
    const speedup = big.python.seconds / big.parse.seconds
    goals.push([`${format}: (info) parser against python-subunit's parse`, `${speedup.toFixed(1)}×`, null])
  }
  const growth = big.parse.peakMiB - small.parse.peakMiB
  goals.push([
    `${format}: ${TESTS}-test peak RSS ≤ 1k-test + 20 MiB (parser)`,
    `+${growth.toFixed(1)} MiB`,
    growth <= 20
  ])
  if (big.python) {
    // Process against process: the action's wall time (Node start-up included) against the python tool's
    // (interpreter start-up included) — subunit-stats for v2 as the issue names it, python-reader.py for v1.
    const [tool, reference] =
      format === 'v2' && big.stats !== undefined
        ? ['subunit-stats', big.stats]
        : ['python-reader.py', big.python.wall]
    const speedup = reference / big.action.wall
    goals.push([
      `${format}: whole action (report-only) ≥ 5× python-subunit (${tool}), both as processes`,
      `${speedup.toFixed(1)}× (${secs(big.action.wall)} vs ${secs(reference)})`,
      speedup >= 5
    ])
    const inProcess = big.python.seconds / big.action.wall
    goals.push([
      `${format}: (info) whole action against python's parse time alone (its start-up left out)`,
      `${inProcess.toFixed(1)}× (${secs(big.action.wall)} vs ${secs(big.python.seconds)})`,
      null
    ])
  }
  const actionGrowth = big.action.peakMiB - small.action.peakMiB
  goals.push([
    `${format}: ${TESTS}-test peak RSS ≤ 1k-test + 20 MiB (whole action)`,
    `+${actionGrowth.toFixed(1)} MiB`,
    actionGrowth <= 20
  ])
  goals.push([
    `${format}: (info) readSubunitFile with the platform's names, ${TESTS} vs 1k tests`,
    `+${(big.digest.peakMiB - small.digest.peakMiB).toFixed(1)} MiB`,
    null
  ])
  goals.push([
    `${format}: (info) readSubunitFile without names keeps ${TESTS} results`,
    `+${(big.read.peakMiB - small.read.peakMiB).toFixed(1)} MiB`,
    null
  ])
}
console.log('\nGoals\n')
table(
  ['goal', 'measured', 'met'],
  goals.map(([g, m, ok]) => [g, m, ok === null ? '-' : ok ? 'yes' : 'NO'])
)

if (!KEEP) rmSync(work, { recursive: true, force: true })
if (CHECK && goals.some(([, , ok]) => ok === false)) process.exit(1)
