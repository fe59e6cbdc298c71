#!/usr/bin/env node
/**
 * Target benchmark (`npm run bench` runs it after the subunit one; needs root and the loopback cloud of
 * scripts/dev-cloud/, else it says why and exits 0):
 *
 * 1. Warm provisioning over loopback SSH: the action's SSH connect + provisioning probe (refstack-client already
 *    there), against the reference tool measured in the same run — OpenSSH's `ssh` client asking the same
 *    question (`command -v refstack-client`). Goal: ≤ 1 s.
 * 2. Parallel vs serial: the bundled action on the 2020.06 object program with `parallel: false` and `true`,
 *    in the same run.
 *
 *   node bench/target.mjs [--runs N] [--skip-tempest]
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { cpSync, existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const STATE = process.env.DEV_CLOUD_DIR || '/var/lib/refstack-dev-cloud'
const RUNS = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 5

if (process.getuid?.() !== 0 || !existsSync(path.join(STATE, 'env'))) {
  console.log(
    'target benchmark skipped: needs root and the loopback cloud (sudo scripts/dev-cloud/up.sh --with-ssh)'
  )
  process.exit(0)
}
const { devCloudEnv, runAction } = await import('../scripts/lib/run-action.mjs')
const cloud = devCloudEnv()

// The action's own modules, compiled with the project's tsc (no bundle needed to time one phase).
const out = path.join(ROOT, 'build', 'bench-target')
execFileSync(
  path.join(ROOT, 'node_modules/.bin/tsc'),
  ['-p', path.join(ROOT, 'tsconfig.json'), '--outDir', out, '--noEmit', 'false'],
  {
    stdio: 'inherit'
  }
)
// The scripts the modules read next to themselves (probe.sh, …), as ncc copies them next to the bundle.
cpSync(path.join(ROOT, 'src'), out, { recursive: true, filter: (file) => !file.endsWith('.ts') })
const { SshTarget } = await import(path.join(out, 'target', 'ssh.js'))
const { provision } = await import(path.join(out, 'toolchain', 'provision.js'))

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
const sec = (ms) => `${(ms / 1000).toFixed(3)} s`

async function ours() {
  const started = performance.now()
  const target = new SshTarget({
    host: cloud.SSH_HOST,
    port: Number(cloud.SSH_PORT),
    user: cloud.SSH_USER,
    privateKey: readFileSync(cloud.SSH_KEY, 'utf8'),
    knownHosts: readFileSync(cloud.SSH_KNOWN_HOSTS, 'utf8'),
    strictHostKeyChecking: true,
    keepaliveIntervalMs: 15000,
    readyTimeoutMs: 20000
  })
  await target.connect()
  const toolchain = await provision(target, { install: 'auto', workdir: '/var/lib/refstack-action' })
  await target.close()
  if (toolchain.origin !== 'existing') throw new Error(`provisioning was not warm: ${toolchain.origin}`)
  return performance.now() - started
}

function reference() {
  const started = performance.now()
  const args = [
    '-p',
    cloud.SSH_PORT,
    '-i',
    cloud.SSH_KEY,
    '-o',
    `UserKnownHostsFile=${cloud.SSH_KNOWN_HOSTS}`,
    '-o',
    'BatchMode=yes'
  ]
  const result = spawnSync('ssh', [
    ...args,
    `${cloud.SSH_USER}@${cloud.SSH_HOST}`,
    'command -v refstack-client'
  ])
  if (result.status !== 0) throw new Error(`ssh failed: ${result.stderr}`)
  return performance.now() - started
}

const oursMs = []
const refMs = []
for (let i = 0; i < RUNS; i++) {
  oursMs.push(await ours())
  refMs.push(reference())
}
console.log('\n== Warm provisioning over loopback SSH (median of %d) ==', RUNS)
console.log(
  `refstack-action connect + probe : ${sec(median(oursMs))}  (goal ≤ 1 s: ${median(oursMs) <= 1000 ? 'met' : 'MISSED'})`
)
console.log(`OpenSSH ssh 'command -v ...'    : ${sec(median(refMs))}`)
console.log(`ratio (ours / ssh)              : ${(median(oursMs) / median(refMs)).toFixed(2)}×`)

if (!process.argv.includes('--skip-tempest')) {
  const inputs = {
    guideline: '2020.06',
    'guideline-source': 'bundled',
    program: 'object',
    'tempest-conf': cloud.TEMPEST_CONF,
    'artifact-name': ''
  }
  const timed = async (parallel) => {
    const started = performance.now()
    const result = await runAction({ ...inputs, parallel: String(parallel) })
    const ms = performance.now() - started
    const tempest = /Ran: (\d+) tests in ([\d.]+) sec/.exec(result.stdout)
    return {
      ms,
      code: result.code,
      passed: result.outputs.passed,
      tempest: tempest ? `${tempest[1]} tests in ${tempest[2]} s` : '?'
    }
  }
  const serial = await timed(false)
  const parallel = await timed(true)
  console.log('\n== 2020.06 object program on the loopback cloud, whole action (same run) ==')
  console.log(
    `serial   : ${sec(serial.ms)}  (Tempest: ${serial.tempest}; passed ${serial.passed}, exit ${serial.code})`
  )
  console.log(
    `parallel : ${sec(parallel.ms)}  (Tempest: ${parallel.tempest}; passed ${parallel.passed}, exit ${parallel.code})`
  )
  console.log(`speed-up : ${(serial.ms / parallel.ms).toFixed(2)}×`)
}
