/**
 * The bundled action (dist/index.js) on inputs that would only fail late: each is refused before anything long
 * starts (no provisioning, no run), with one error naming the input.
 */
import { generateKeyPairSync } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
// @ts-expect-error -- plain JavaScript helper shared with npm run demo
import { runAction } from '../scripts/lib/run-action.mjs'

const bundled = {
  guideline: '2020.06',
  'guideline-source': 'bundled',
  'artifact-name': '',
  program: 'object'
}
const PASSING = path.join(
  import.meta.dirname,
  '..',
  '__fixtures__',
  'subunit',
  'real-run',
  'object-2020.06-local.v1'
)

function errors(stdout: string): string[] {
  return stdout.split('\n').filter((line) => line.startsWith('::error::'))
}

function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'inputs-'))
}

/** A tempest.conf that exists on the runner (its content is never reached). */
function tempestConf(): string {
  const file = path.join(tempDir(), 'tempest.conf')
  writeFileSync(file, '[auth]\n')
  return file
}

/** Nothing long started: no provisioning, no run, no report. */
function expectNothingStarted(result: { stdout: string; outputs: Record<string, string> }): void {
  expect(result.stdout).not.toContain('::group::Provision')
  expect(result.stdout).not.toContain('::group::Run Tempest')
  expect(result.outputs['report-file']).toBe('')
}

describe('inputs that cannot work are refused before the run', () => {
  it('an upload-key that is no PEM private key', async () => {
    const result = await runAction({
      ...bundled,
      'tempest-conf': tempestConf(),
      upload: 'true',
      'upload-key': 'not a key'
    })
    expect(result.code).toBe(1)
    expect(errors(result.stdout)).toHaveLength(1)
    expect(errors(result.stdout)[0]).toContain("Input 'upload-key' cannot be read as a PEM private key")
    expectNothingStarted(result)
  })

  it('an upload-key that is not RSA', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()
    const result = await runAction({
      ...bundled,
      'tempest-conf': tempestConf(),
      upload: 'true',
      'upload-key': pem
    })
    expect(result.code).toBe(1)
    expect(errors(result.stdout)[0]).toContain("Input 'upload-key' is an ec key, not an RSA key")
    expectNothingStarted(result)
  })

  it('a workdir that is a file', async () => {
    const file = path.join(tempDir(), 'workdir')
    writeFileSync(file, '')
    const result = await runAction({ ...bundled, 'tempest-conf': tempestConf(), workdir: file })
    expect(result.code).toBe(1)
    expect(errors(result.stdout)).toHaveLength(1)
    expect(errors(result.stdout)[0]).toContain(
      `Input 'workdir': ${file} cannot be used as a directory on the runner`
    )
    expectNothingStarted(result)
  })

  it('a workdir under a file', async () => {
    const file = path.join(tempDir(), 'file')
    writeFileSync(file, '')
    const result = await runAction({ ...bundled, 'tempest-conf': tempestConf(), workdir: `${file}/work` })
    expect(result.code).toBe(1)
    expect(errors(result.stdout)[0]).toContain(`Input 'workdir': ${file}/work cannot be used as a directory`)
    expectNothingStarted(result)
  })

  it.each([
    ['https://refstack.example.com/api v1'],
    ['https://refstack .example.com/api'],
    ['https:// /api']
  ])('a refstack-server with spaces: %s', async (server) => {
    const result = await runAction({ ...bundled, 'results-file': PASSING, 'refstack-server': server })
    expect(result.code).toBe(1)
    expect(errors(result.stdout)).toEqual([
      expect.stringContaining(`::error::Input 'refstack-server' must be an http(s) URL (got '${server}')`)
    ])
  })
})

describe('junit-file', () => {
  it('a directory: refused before the results are read', async () => {
    const dir = tempDir()
    const result = await runAction({ ...bundled, 'results-file': PASSING, 'junit-file': dir })
    expect(result.code).toBe(1)
    expect(errors(result.stdout)).toEqual([
      `::error::Input 'junit-file' (${dir}) is a directory. Set 'junit-file' to the path of a new file in a writable directory, e.g. 'refstack-junit.xml'`
    ])
  })

  it('the results-file itself: refused, and the stream is left as it was', async () => {
    const stream = path.join(tempDir(), 'results.v1')
    writeFileSync(stream, readFileSync(PASSING))
    const result = await runAction({ ...bundled, 'results-file': stream, 'junit-file': stream })
    expect(result.code).toBe(1)
    expect(errors(result.stdout)[0]).toContain(`Input 'junit-file' (${stream}) is the 'results-file'`)
    expect(readFileSync(stream).equals(readFileSync(PASSING))).toBe(true)
  })

  it('under a file: refused, naming the file in the way', async () => {
    const file = path.join(tempDir(), 'file')
    writeFileSync(file, '')
    const result = await runAction({
      ...bundled,
      'results-file': PASSING,
      'junit-file': `${file}/sub/junit.xml`
    })
    expect(result.code).toBe(1)
    expect(errors(result.stdout)[0]).toContain(`cannot be created: ${file} is not a directory`)
  })

  it('a new file in a new directory is fine', async () => {
    const file = path.join(tempDir(), 'new', 'dir', 'junit.xml')
    mkdirSync(path.dirname(path.dirname(file)), { recursive: true })
    const result = await runAction({ ...bundled, 'results-file': PASSING, 'junit-file': file })
    expect(result.code).toBe(0)
    expect(result.outputs['junit-file']).toBe(file)
    expect(readFileSync(file, 'utf8')).toMatch(/<testsuites [^>]*tests="59"/)
  })
})
