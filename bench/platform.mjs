#!/usr/bin/env node
/**
 * Platform run benchmark (`npm run bench:platform`, root, a few tens of minutes): the bundled action runs the
 * 2020.06 platform program on the loopback cloud's compute side (scripts/dev-cloud/up.sh --compute, started
 * here when it is not up), once serially and once in parallel, and prints both wall times and their ratio.
 *
 *   node bench/platform.mjs [--parallel true|N] [--check]
 *
 * --parallel: the `parallel` input of the parallel run (default true: the worker count the action picks from
 * the accounts file). --check exits 1 when the parallel run is not at least 2× faster or a verdict differs.
 */
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { ROOT, devCloudEnv, runAction } from '../scripts/lib/run-action.mjs'

const i = process.argv.indexOf('--parallel')
const parallel = i > 0 ? process.argv[i + 1] : 'true'
const check = process.argv.includes('--check')

if (process.getuid?.() !== 0) {
  console.error('bench/platform.mjs needs root: it runs Tempest against the loopback cloud')
  process.exit(1)
}
let cloud = devCloudEnv()
if (!cloud.PLATFORM_TEMPEST_CONF) {
  console.log('== Standing up the compute side (scripts/dev-cloud/up.sh --compute) ==')
  const up = spawnSync('bash', [path.join(ROOT, 'scripts/dev-cloud/up.sh'), '--compute'], {
    stdio: 'inherit'
  })
  if (up.status !== 0) process.exit(up.status ?? 1)
  cloud = devCloudEnv()
}

async function timed(label, inputs) {
  const started = Date.now()
  const result = await runAction({
    guideline: '2020.06',
    'guideline-source': 'bundled',
    program: 'platform',
    'tempest-conf': cloud.PLATFORM_TEMPEST_CONF,
    'artifact-name': '',
    ...inputs
  })
  const seconds = (Date.now() - started) / 1000
  const workers = /Tempest runs with (\d+) workers/.exec(result.stdout)?.[1]
  const o = result.outputs
  console.log(
    `${label.padEnd(26)} ${fmt(seconds).padStart(8)}  ${o.passed}/${o.required} passed, compliant=${o.compliant}${workers ? `, ${workers} workers` : ''}`
  )
  return { seconds, outputs: o }
}

function fmt(seconds) {
  return `${Math.floor(seconds / 60)}m ${String(Math.round(seconds % 60)).padStart(2, '0')}s`
}

console.log('== 2020.06 platform program on the loopback compute cloud (whole action, wall clock) ==')
const serial = await timed('serial', { parallel: 'false' })
const fast = await timed(`parallel: ${parallel}`, { parallel })
const ratio = serial.seconds / fast.seconds
console.log(`ratio serial / parallel: ${ratio.toFixed(2)}× (goal ≥ 2×)`)
const same =
  serial.outputs.passed === fast.outputs.passed && serial.outputs.compliant === fast.outputs.compliant
if (!same) console.log('the two runs disagree on the verdict')
if (check && (ratio < 2 || !same)) process.exit(1)
