// npm run docs: rewrites the README's inputs and outputs tables (between the `<!-- inputs:start -->` /
// `<!-- inputs:end -->` and `<!-- outputs:start -->` / `<!-- outputs:end -->` markers) from action.yml, so
// the two never drift. `__tests__/docs.test.ts` fails when the README is not what this would write.
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import YAML from 'yaml'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

function cell(text) {
  return String(text)
    .trim()
    .replace(/\s*\n\s*/g, ' ')
    .replace(/\|/g, '\\|')
}

/** The inputs and outputs tables of action.yml's text, as Markdown. */
export function renderTables(actionText) {
  const action = YAML.parse(actionText)
  const inputs = Object.entries(action.inputs ?? {}).map(
    ([name, input]) =>
      `| \`${name}\` | ${input.default ? `\`${cell(input.default)}\`` : ''} | ${cell(input.description ?? '')} |`
  )
  const outputs = Object.entries(action.outputs ?? {}).map(
    ([name, output]) => `| \`${name}\` | ${cell(output.description ?? '')} |`
  )
  return {
    inputs: ['| input | default | meaning |', '| --- | --- | --- |', ...inputs].join('\n'),
    outputs: ['| output | meaning |', '| --- | --- |', ...outputs].join('\n')
  }
}

/** `readme` with the text between each pair of markers replaced by the table rendered from action.yml. */
export function updateReadme(readme, actionText) {
  const tables = renderTables(actionText)
  let text = readme
  for (const [name, table] of Object.entries(tables)) {
    const start = `<!-- ${name}:start -->`
    const end = `<!-- ${name}:end -->`
    const from = text.indexOf(start)
    const to = text.indexOf(end)
    if (from < 0 || to < from) throw new Error(`README.md has no '${start}' … '${end}' markers`)
    text = `${text.slice(0, from + start.length)}\n\n${table}\n\n${text.slice(to)}`
  }
  return text
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const readmeFile = path.join(ROOT, 'README.md')
  const before = readFileSync(readmeFile, 'utf8')
  const after = updateReadme(before, readFileSync(path.join(ROOT, 'action.yml'), 'utf8'))
  writeFileSync(readmeFile, after)
  console.log(
    before === after
      ? 'README.md tables already match action.yml'
      : 'README.md tables rewritten from action.yml'
  )
}
