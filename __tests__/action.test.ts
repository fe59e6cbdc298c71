/**
 * The bundled action (dist/index.js) driven as a runner drives it, on bad input and in the modes that need
 * no cloud: one clear error naming the input, never a stack trace.
 */
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
// @ts-expect-error -- plain JavaScript helper shared with npm run demo
import { runAction } from '../scripts/lib/run-action.mjs'

const bundled = { guideline: '2020.06', 'guideline-source': 'bundled', 'artifact-name': '' }

function errors(stdout: string): string[] {
  return stdout.split('\n').filter((line) => line.startsWith('::error::'))
}

describe('the bundled action on bad input', () => {
  it('an unknown program: one error naming the input and the choices', async () => {
    const result = await runAction({ ...bundled, program: 'objects', 'tempest-conf': '/etc/tempest.conf' })
    expect(result.code).toBe(1)
    expect(errors(result.stdout)).toEqual([
      "::error::Input 'program' must be one of: platform, compute, object, dns, orchestration (got 'objects')"
    ])
    expect(result.stdout + result.stderr).not.toMatch(/\n\s+at .*\.js:\d+/)
    // Every output is set, also on failure (empty: unknown).
    expect(Object.keys(result.outputs)).toContain('compliant')
    expect(result.outputs.compliant).toBe('')
  })

  it('a tempest-conf that does not exist on the target', async () => {
    const result = await runAction({
      ...bundled,
      program: 'object',
      'tempest-conf': '/nonexistent/tempest.conf'
    })
    expect(result.code).toBe(1)
    const [error] = errors(result.stdout)
    expect(error).toContain("Input 'tempest-conf': cannot read /nonexistent/tempest.conf on the runner")
    // Checked right after connecting: nothing was provisioned (as root, provisioning installs packages).
    expect(result.stdout).not.toContain('::group::Provision')
  })

  it('no refstack-client on the target with install: none', async () => {
    const bin = path.join(mkdtempSync(path.join(tmpdir(), 'bare-')), 'bin')
    mkdirSync(bin)
    // The run's claim (src/run/claim.sh, keeper.sh) needs flock and a few POSIX tools.
    const claim = ['flock', 'setsid', 'rm', 'sleep', 'date', 'head', 'tr', 'grep', 'sort']
    for (const tool of ['cat', 'dpkg-query', 'git', 'mkdir', 'test', ...claim])
      symlinkSync(`/usr/bin/${tool}`, path.join(bin, tool))
    symlinkSync('/usr/bin/dash', path.join(bin, 'sh'))
    const conf = path.join(path.dirname(bin), 'tempest.conf')
    writeFileSync(conf, '[auth]\n')
    const workdir = path.join(path.dirname(bin), 'work')
    const result = await runAction(
      { ...bundled, program: 'object', 'tempest-conf': conf, workdir, install: 'none' },
      { env: { PATH: bin } }
    )
    expect(result.code).toBe(1)
    expect(errors(result.stdout)).toEqual([
      "::error::refstack-client was not found on the runner. Install it on the target, or set 'install: auto' to let the action install it"
    ])
  })

  it('an artifact name the artifact service would refuse, before anything runs', async () => {
    const result = await runAction({
      ...bundled,
      program: 'object',
      'tempest-conf': '/etc/tempest.conf',
      'artifact-name': 'results/nightly'
    })
    expect(result.code).toBe(1)
    expect(errors(result.stdout)).toHaveLength(1)
    expect(errors(result.stdout)[0]).toContain(
      `Input 'artifact-name' cannot contain "/" (got "results/nightly")`
    )
  })

  it('a results-file that does not exist', async () => {
    const result = await runAction({
      ...bundled,
      program: 'object',
      'results-file': '/nonexistent/results.subunit'
    })
    expect(result.code).toBe(1)
    expect(errors(result.stdout)[0]).toContain(
      "Input 'results-file': /nonexistent/results.subunit does not exist on the runner"
    )
  })

  it('a guideline file with broken JSON names the file and the position', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'guideline-')), 'broken.json')
    writeFileSync(file, '{\n  "schema": "2.0",\n  "platforms": {,\n}\n')
    const result = await runAction({
      guideline: file,
      program: 'object',
      'dry-run': 'true',
      'artifact-name': ''
    })
    expect(result.code).toBe(1)
    expect(errors(result.stdout)[0]).toMatch(new RegExp(`${file}.*line 3, column \\d+`))
  })
})

describe('dry run', () => {
  it('resolves the bundled 2020.06 object program and writes the server list without contacting any target', async () => {
    const result = await runAction({ ...bundled, program: 'object', 'dry-run': 'true' })
    expect(result.code).toBe(0)
    expect(result.outputs).toMatchObject({
      guideline: '2020.06',
      program: 'object',
      required: '58',
      flagged: '0'
    })
    const list = readFileSync(result.outputs['test-list'], 'utf8').split('\n')
    expect(list).toHaveLength(61)
    expect(list).toEqual([...list].sort())
    expect(result.summary).toContain('| objectstore-container-create |')
    expect(result.summary).toContain('20 required capabilities, 58 required tests')
  })
})

describe('report-only (results-file) on real refstack-client runs', () => {
  const FIXTURES = path.join(import.meta.dirname, '..', '__fixtures__')

  it('reports the same passes as refstack-client’s own JSON of that run, and is compliant', async () => {
    const own = JSON.parse(readFileSync(path.join(FIXTURES, 'upload', 'local-0.json'), 'utf8')) as {
      results: Array<{ name: string }>
    }
    const result = await runAction({
      ...bundled,
      program: 'object',
      'results-file': path.join(FIXTURES, 'subunit', 'real-run', 'object-2020.06-local.v1'),
      'junit-file': 'junit.xml'
    })
    expect(result.code).toBe(0)
    expect(result.outputs).toMatchObject({
      compliant: 'true',
      required: '58',
      passed: '58',
      failed: '0',
      missing: '0'
    })
    const report = JSON.parse(readFileSync(result.outputs['report-file'], 'utf8'))
    const passed = new Set<string>(
      report.compliance.tests
        .filter((t: { outcome: string }) => t.outcome === 'passed')
        .map((t: { matchedId: string }) => t.matchedId.replace(/\[.*$/, ''))
    )
    // refstack-client's JSON lists the 59 tests that ran; the guideline's 58 required tests are among them
    // (one of the 59 is the second name of a test listed with an alias).
    const ownNames = new Set(own.results.map((r) => r.name))
    expect(own.results).toHaveLength(59)
    for (const name of passed) expect(ownNames.has(name), name).toBe(true)
    expect(readFileSync(result.outputs['junit-file'], 'utf8')).toMatch(/<testsuites [^>]*tests="59"/)
  })

  it('the reused-accounts run: not compliant, naming the capabilities of test_list_no_containers', async () => {
    const result = await runAction({
      ...bundled,
      program: 'object',
      'results-file': path.join(FIXTURES, 'subunit', 'real-run', 'object-2020.06-reused-accounts-failed.v1')
    })
    expect(result.code).toBe(1)
    expect(result.outputs).toMatchObject({ compliant: 'false', failed: '1', passed: '57' })
    const error = errors(result.stdout).find((line) => line.startsWith('::error::Not compliant'))
    expect(error).toContain('objectstore-account-list')
    expect(result.summary).toContain('test_list_no_containers')
  })

  it('with fail-on-noncompliance false: reported as not compliant, with a warning, and the step passes', async () => {
    const result = await runAction({
      ...bundled,
      program: 'object',
      'fail-on-noncompliance': 'false',
      'results-file': path.join(FIXTURES, 'subunit', 'real-run', 'object-2020.06-reused-accounts-failed.v1')
    })
    expect(result.code).toBe(0)
    expect(result.outputs.compliant).toBe('false')
    expect(errors(result.stdout).filter((line) => line.startsWith('::error::Not compliant'))).toEqual([])
    expect(result.stdout).toMatch(
      /::warning::Not compliant with 2020.06 object: .*\(fail-on-noncompliance is false\)/
    )
  })

  it('the cloud-down run: a failed setUpClass fails its tests with that traceback; never compliant', async () => {
    const result = await runAction({
      ...bundled,
      program: 'object',
      'results-file': path.join(FIXTURES, 'subunit', 'real-run', 'cloud-down.v1')
    })
    expect(result.code).toBe(1)
    expect(result.outputs.compliant).toBe('false')
    expect(result.summary).toContain(
      'setUpClass (tempest.api.identity.v3.test_tokens.TokensV3Test) failed, so the test never ran'
    )
  })
})
