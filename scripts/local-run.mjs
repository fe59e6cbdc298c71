// npm run local [-- FILE]: runs the bundled action like a runner, with inputs from a .env-style file
// (default ./.env; see .env.example), and prints its log, outputs and job summary. Exits with the step's code.
//
// One `input-name=value` per line, `#` comments and blank lines ignored; `input-name=@PATH` takes the value
// from the file PATH (for multi-line values: ssh-private-key, ssh-known-hosts, upload-key).
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { runAction } from './lib/run-action.mjs'

function fail(message) {
  console.error(`npm run local: ${message}`)
  process.exit(2)
}

const file = process.argv[2] ?? '.env'
if (!existsSync(file))
  fail(`${file} not found: copy .env.example to .env (or give a file: npm run local -- FILE)`)
const inputs = {}
for (const [index, line] of readFileSync(file, 'utf8').split('\n').entries()) {
  if (line.trim() === '' || line.trimStart().startsWith('#')) continue
  const eq = line.indexOf('=')
  if (eq <= 0) fail(`${file}:${index + 1}: expected 'input-name=value', got '${line}'`)
  const name = line.slice(0, eq).trim()
  let value = line.slice(eq + 1)
  if (value.startsWith('@')) {
    const from = path.resolve(path.dirname(file), value.slice(1))
    if (!existsSync(from)) fail(`${file}:${index + 1}: ${name} reads ${from}, which does not exist`)
    value = readFileSync(from, 'utf8')
  }
  inputs[name] = value
}
const result = await runAction(inputs, { echo: true, workspace: process.cwd() })
console.log('\n== Outputs ==')
for (const [name, value] of Object.entries(result.outputs)) if (value !== '') console.log(`${name}: ${value}`)
console.log('\n== Job summary ==\n')
console.log(result.summary)
process.exit(result.code ?? 1)
