// npm run demo [-- --program platform]: stands up the loopback cloud (scripts/dev-cloud/up.sh; with
// --compute for the platform program) unless it is up, then runs the BUNDLED action (dist/index.js) exactly as
// a runner would against it with the 2020.06 object program (about a minute) or the platform program
// (compute + object, in parallel: about 5 minutes), and prints the job summary. Needs root (the cloud's
// services and refstack-client's workspace).
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { ROOT, devCloudEnv, runAction } from './lib/run-action.mjs'

const at = process.argv.indexOf('--program')
const program = at > 0 ? process.argv[at + 1] : 'object'
if (program !== 'object' && program !== 'platform') {
  console.error(`npm run demo: --program must be object or platform (got '${program}')`)
  process.exit(2)
}
const platform = program === 'platform'
if (process.getuid?.() !== 0) {
  console.error(
    'npm run demo needs root: it installs and starts a loopback OpenStack cloud (Keystone + Swift).'
  )
  process.exit(1)
}
console.log('== Standing up the loopback cloud (scripts/dev-cloud/up.sh) ==')
const up = spawnSync(
  'bash',
  [path.join(ROOT, 'scripts/dev-cloud/up.sh'), ...(platform ? ['--compute'] : [])],
  {
    stdio: 'inherit'
  }
)
if (up.status !== 0) process.exit(up.status ?? 1)
const cloud = devCloudEnv()

console.log(`\n== Running dist/index.js: guideline 2020.06, program ${program}, on the runner ==`)
const result = await runAction(
  {
    guideline: '2020.06',
    'guideline-source': 'bundled',
    program,
    'tempest-conf': platform ? cloud.PLATFORM_TEMPEST_CONF : cloud.TEMPEST_CONF,
    parallel: platform ? 'true' : 'false'
  },
  { echo: true, workspace: ROOT }
)
console.log('\n== Job summary ==\n')
console.log(result.summary)
console.log('== Outputs ==')
for (const [name, value] of Object.entries(result.outputs)) if (value !== '') console.log(`${name}: ${value}`)
console.log(`\nThe action exited ${result.code}${result.code === 0 ? ' (compliant)' : ''}.`)
process.exit(result.code ?? 1)
