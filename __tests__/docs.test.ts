/**
 * The README's inputs and outputs tables are what `npm run docs` writes from action.yml, and every input is
 * in all three of action.yml, config.ts (through the Input names of constants.ts) and the README.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import YAML from 'yaml'
import { Input } from '../src/constants.js'
// @ts-expect-error -- plain JavaScript script (npm run docs)
import { renderTables, updateReadme } from '../scripts/docs.mjs'

const ROOT = path.join(import.meta.dirname, '..')
const actionText = readFileSync(path.join(ROOT, 'action.yml'), 'utf8')
const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8')
const configSource = readFileSync(path.join(ROOT, 'src', 'config.ts'), 'utf8')

/** Input names of action.yml's text. */
function actionInputs(text: string): string[] {
  return Object.keys((YAML.parse(text) as { inputs: Record<string, unknown> }).inputs)
}

/** Input names config.ts reads: every `Input.X` it mentions, through constants.ts. */
function configInputs(source: string): string[] {
  const keys = [...source.matchAll(/\bInput\.(\w+)/g)].map((m) => m[1] as keyof typeof Input)
  return [...new Set(keys.map((key) => Input[key] ?? `Input.${key} (not in constants.ts)`))]
}

/** Input names of the README's generated inputs table. */
function readmeInputs(text: string): string[] {
  const table = text.split('<!-- inputs:start -->')[1]?.split('<!-- inputs:end -->')[0] ?? ''
  return [...table.matchAll(/^\| `([a-z0-9-]+)` \|/gm)].map((m) => m[1])
}

/** What is in one of the three places and not in another, as sentences. */
function drift(places: Record<string, string[]>): string[] {
  const problems: string[] = []
  const all = new Set(Object.values(places).flat())
  for (const name of [...all].sort()) {
    const missing = Object.entries(places).filter(([, names]) => !names.includes(name))
    if (missing.length > 0) problems.push(`'${name}' is not in ${missing.map(([place]) => place).join(', ')}`)
  }
  return problems
}

describe('docs', () => {
  it('the README tables are what npm run docs writes from action.yml', () => {
    expect(updateReadme(readme, actionText)).toBe(readme)
  })

  it('an input added to action.yml only makes the README differ', () => {
    const added = actionText.replace(
      /^inputs:\n/m,
      "inputs:\n  new-thing:\n    description: 'A new input.'\n    default: ''\n"
    )
    expect(updateReadme(readme, added)).not.toBe(readme)
    expect(renderTables(added).inputs).toContain('| `new-thing` |  | A new input. |')
  })

  it('every input is in action.yml, config.ts and the README, and no other', () => {
    expect(
      drift({
        'action.yml': actionInputs(actionText),
        'config.ts': configInputs(configSource),
        'README.md': readmeInputs(readme)
      })
    ).toEqual([])
  })

  it('the check names an input added to action.yml only, or read by config.ts only', () => {
    const added = actionText.replace(/^inputs:\n/m, "inputs:\n  new-thing:\n    description: 'x'\n")
    expect(
      drift({
        'action.yml': actionInputs(added),
        'config.ts': configInputs(`${configSource}\ntext(Input.Nope)`),
        'README.md': readmeInputs(readme)
      })
    ).toEqual([
      "'Input.Nope (not in constants.ts)' is not in action.yml, README.md",
      "'new-thing' is not in config.ts, README.md"
    ])
  })

  it('escapes a | in a description, so a row keeps its columns', () => {
    const text = "inputs:\n  x:\n    description: 'a | b'\n    default: 'c'\noutputs: {}\n"
    expect(renderTables(text).inputs.split('\n')[2]).toBe('| `x` | `c` | a \\| b |')
  })
})
