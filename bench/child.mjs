/**
 * One measurement in a fresh process (so peak RSS is this run's alone):
 *   node bench/child.mjs <build dir> <stream file> parse|digest|read
 * parse:  parseSubunitFile, records counted and dropped (the streaming parser; what memory-flatness is about)
 * digest: readSubunitFile with the 2020.06 platform names: what the action's read does (the selection's
 *         results kept, the rest counted)
 * read:   readSubunitFile without names, every result kept
 * Prints one JSON line: seconds (parse time, in process), tests, failed, peak RSS (MiB).
 */
import { readFileSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
import path from 'node:path'
import { pathToFileURL } from 'node:url'

const [build, file, mode] = process.argv.slice(2)
const { parseSubunitFile, readSubunitFile } = await import(
  pathToFileURL(path.join(build, 'results', 'subunit.js')).href
)

const start = performance.now()
let tests = 0
let failed = 0
let error
if (mode === 'digest') {
  const { platformTests } = await import('./generate.mjs')
  const wanted = new Set(platformTests().map((t) => t.name))
  const start = performance.now()
  const read = await readSubunitFile(file, wanted)
  const seconds = (performance.now() - start) / 1000
  const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))
  const peakMiB = (hwm ? Number(hwm[1]) : process.resourceUsage().maxRSS) / 1024
  const kept = read.tests.length
  const result = { seconds, tests: read.distinct, kept, testsRun: read.testsRun, peakMiB, error: read.error }
  console.log(JSON.stringify(result))
  process.exit(0)
}
if (mode === 'parse') {
  const info = await parseSubunitFile(file, {
    onRecord(record) {
      tests++
      if (record.status === 'fail') failed++
    }
  })
  error = info.error
} else {
  const read = await readSubunitFile(file)
  tests = read.tests.length
  failed = read.tests.filter((t) => t.status === 'fail').length
  error = read.error
  globalThis.keep = read // measured below while still alive
}
const seconds = (performance.now() - start) / 1000
const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))
const peakKiB = hwm ? Number(hwm[1]) : process.resourceUsage().maxRSS
console.log(JSON.stringify({ seconds, tests, failed, peakMiB: peakKiB / 1024, error }))
