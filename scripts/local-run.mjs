// npm run local [-- FILE]: runs the bundled action like a runner, with inputs from a .env-style file
// (one `input-name=value` per line; default ./.env), and prints its log, outputs and job summary.
import { readFileSync } from 'node:fs'
import { runAction } from './lib/run-action.mjs'

const file = process.argv[2] ?? '.env'
const inputs = {}
for (const line of readFileSync(file, 'utf8').split('\n')) {
  if (line.trim() === '' || line.trimStart().startsWith('#')) continue
  const eq = line.indexOf('=')
  if (eq > 0) inputs[line.slice(0, eq).trim()] = line.slice(eq + 1)
}
const result = await runAction(inputs, { echo: true, workspace: process.cwd() })
console.log('\n== Outputs ==')
for (const [name, value] of Object.entries(result.outputs)) if (value !== '') console.log(`${name}: ${value}`)
console.log('\n== Job summary ==\n')
console.log(result.summary)
process.exit(result.code ?? 1)
