/**
 * `npm run local` as a person runs it from a checkout: scripts/local-run.mjs with a .env file, driving the
 * bundled action (dist/index.js) on real inputs — .env.example itself (report-only on a shipped real stream),
 * a dry run, a non-compliant stream, and `@file` values.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = path.join(import.meta.dirname, '..', '..')

function local(envText: string | undefined, file = '.env') {
  const dir = mkdtempSync(path.join(tmpdir(), 'local-run-test-'))
  const envFile = path.join(dir, file)
  if (envText !== undefined) writeFileSync(envFile, envText)
  const run = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'local-run.mjs'), envFile], {
    cwd: ROOT,
    encoding: 'utf8',
    env: Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(INPUT_|GITHUB_|STATE_)/.test(k)))
  })
  const outputs = Object.fromEntries(
    (run.stdout.split('\n== Outputs ==\n')[1]?.split('\n== Job summary ==')[0] ?? '')
      .split('\n')
      .filter((line) => line.includes(': '))
      .map((line) => [line.slice(0, line.indexOf(': ')), line.slice(line.indexOf(': ') + 2)])
  )
  return { ...run, outputs, dir }
}

describe('npm run local', () => {
  it('runs .env.example as shipped: report-only on a real run, compliant, outputs and summary printed', () => {
    const run = local(readFileSync(path.join(ROOT, '.env.example'), 'utf8'))
    expect(run.status).toBe(0)
    expect(run.outputs).toMatchObject({
      compliant: 'true',
      required: '58',
      passed: '58',
      guideline: '2020.06'
    })
    expect(run.stdout).toContain('== Job summary ==\n\n## RefStack interop compliance')
  })

  it('does a dry run', () => {
    const run = local('guideline=2020.06\nguideline-source=bundled\nprogram=object\ndry-run=true\n')
    expect(run.status).toBe(0)
    expect(run.outputs).toMatchObject({ required: '58', program: 'object' })
    expect(run.stdout).toContain('## RefStack interop: dry run')
  })

  it("exits with the step's code: 1 on a non-compliant run, the failure in the log", () => {
    const run = local(
      [
        'guideline=2020.06',
        'guideline-source=bundled',
        'program=object',
        'results-file=__fixtures__/subunit/real-run/object-2020.06-reused-accounts-failed.v1',
        'artifact-name='
      ].join('\n')
    )
    expect(run.status).toBe(1)
    expect(run.outputs.compliant).toBe('false')
    expect(run.stdout).toContain('::error::Not compliant with 2020.06 object: 57/58')
  })

  it('reads an @file value from the file, relative to the .env file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'local-run-test-'))
    writeFileSync(path.join(dir, 'name.txt'), 'region-one')
    writeFileSync(
      path.join(dir, '.env'),
      'guideline=2020.06\nguideline-source=bundled\nprogram=object\nartifact-name=\ncloud-name=@name.txt\n' +
        `results-file=${path.join(ROOT, '__fixtures__/subunit/real-run/object-2020.06-local.v1')}\n`
    )
    const run = spawnSync(
      process.execPath,
      [path.join(ROOT, 'scripts', 'local-run.mjs'), path.join(dir, '.env')],
      {
        cwd: ROOT,
        encoding: 'utf8'
      }
    )
    expect(run.status).toBe(0)
    expect(run.stdout).toContain('cloud **region-one**')
  })

  it('says what to do when the .env file is missing or an @file does not exist', () => {
    const missing = local(undefined)
    expect(missing.status).toBe(2)
    expect(missing.stderr).toContain('.env not found: copy .env.example to .env')
    const noFile = local('program=object\nssh-private-key=@no-such-key\n')
    expect(noFile.status).toBe(2)
    expect(noFile.stderr).toMatch(/\.env:2: ssh-private-key reads \S+no-such-key, which does not exist/)
  })
})
