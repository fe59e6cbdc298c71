/**
 * The bundled action with standards other than the bundled interop guidelines, driven as a runner drives it:
 * the bundled SCS-0128 list, plain Tempest test lists (file and https:// URL) judged on a real refstack-client
 * stream, interop ids that are not bundled fetched from the RefStack server then from the interop repository
 * (a local HTTPS server with a certificate made here stands in for opendev.org), and the release check.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:https'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
// @ts-expect-error -- plain JavaScript helper shared with npm run demo
import { runAction } from '../scripts/lib/run-action.mjs'
import {
  BUNDLED_DIR,
  bundledGuidelineSet,
  type RefstackServer,
  startRefstackServer
} from './helpers/refstack-server.js'

const ROOT = path.resolve(import.meta.dirname, '..')
const SCS_LIST = path.join(ROOT, 'data', 'scs', 'scs-0128-tempest-tests-non-admin.lst')
/** A real run of the 2020.06 compute list: 207 passed, 3 failed, 12 skipped (see its README.md). */
const STREAM = path.join(ROOT, '__fixtures__', 'real-run-compute', 'stream-13.subunit')

const PASSED = [
  'tempest.api.compute.flavors.test_flavors.FlavorsV2TestJSON.test_list_flavors[id-e36c0eaa-dff5-4082-ad1f-3f9a80aa3f59,smoke]',
  'tempest.api.compute.flavors.test_flavors.FlavorsV2TestJSON.test_list_flavors_with_detail'
]
const SKIPPED = [
  'tempest.api.compute.servers.test_create_server.ServersTestJSON.test_host_name_is_same_as_server_name',
  'tempest.api.compute.servers.test_create_server.ServersTestJSON.test_verify_created_server_vcpus'
]
const FAILED = 'tempest.api.volume.test_volumes_actions.VolumesActionsTest.test_volume_upload'

interface ActionResult {
  code: number
  stdout: string
  outputs: Record<string, string>
  summary: string
}

const run = (inputs: Record<string, string>, env: Record<string, string> = {}): Promise<ActionResult> =>
  runAction({ 'artifact-name': '', ...inputs }, { env, post: false }) as Promise<ActionResult>

let work: string
const listFile = (name: string, lines: string[]): string => {
  const file = path.join(work, name)
  writeFileSync(file, `${lines.join('\n')}\n`)
  return file
}

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'refstack-standards-'))
})
afterAll(() => {
  rmSync(work, { recursive: true, force: true })
})

describe('scs-0128', () => {
  it('dry run: the bundled list of 258 tests, grouped into its five services', async () => {
    const result = await run({ guideline: 'scs-0128', 'dry-run': 'true' })
    expect(result.code, result.stdout).toBe(0)
    expect(result.outputs.guideline).toBe('scs-0128')
    expect(result.outputs.required).toBe('258')
    const lines = readFileSync(result.outputs['test-list'], 'utf8').split('\n')
    expect(lines).toEqual(readFileSync(SCS_LIST, 'utf8').trimEnd().split('\n'))
    expect(result.summary).toContain('Test list **scs-0128**')
    expect(result.summary).toContain('5 services, 258 required tests')
    for (const [service, count] of [
      ['compute', 88],
      ['identity', 16],
      ['image', 23],
      ['network', 66],
      ['volume', 65]
    ] as const) {
      expect(result.summary).toContain(`| ${service} | ${count} |`)
    }
  })

  it('report-only on a 2020.06 compute run: failed and missing tests fail it, per service', async () => {
    const result = await run({ guideline: 'SCS-0128', 'results-file': STREAM })
    expect(result.code).toBe(1)
    const report = JSON.parse(readFileSync(result.outputs['report-file'], 'utf8')) as {
      guideline: { kind: string; rule: { id: string; source: string } }
    }
    expect(report.guideline.kind).toBe('test-list')
    expect(report.guideline.rule).toMatchObject({
      id: 'no-test-failed',
      source: 'SCS-0128: "Tempest MUST NOT report any failed test cases"'
    })
    expect(Number(result.outputs.failed)).toBeGreaterThan(0)
    expect(Number(result.outputs.missing)).toBeGreaterThan(0)
    expect(result.summary).toMatch(/### Failing services \(\d of 5\)/)
    expect(result.summary).toContain('| ❌ | image |')
  })
})

describe('a plain test list, report-only on a real stream', () => {
  it('passes, skips and one failure: the failure fails it, the rule is stated', async () => {
    const file = listFile('with-failure.lst', [
      '# curated for cloud A',
      ...PASSED,
      '',
      ...SKIPPED,
      `${FAILED}  # known: upload to image fails on the fake driver`
    ])
    const result = await run({ guideline: file, 'results-file': STREAM })
    expect(result.code).toBe(1)
    expect(result.outputs).toMatchObject({
      compliant: 'false',
      required: '5',
      passed: '2',
      skipped: '2',
      failed: '1',
      missing: '0'
    })
    expect(result.summary).toContain('with test list **with-failure.lst**')
    expect(result.summary).toContain(
      'Rule: a listed test that failed or did not run fails the run; skipped tests are reported and do not.'
    )
    expect(result.summary).toContain('| ✅ | compute | 2/4 |')
    expect(result.summary).toContain('| ❌ | volume | 0/1 |')
    expect(result.stdout).toContain(
      '::error title=Service volume failed%3A 0/1 passed::VolumesActionsTest.test_volume_upload (failed)'
    )
    expect(result.stdout).toContain(
      '::error::Not compliant with test list with-failure.lst: 2/5 required tests passed (40%25); failing services: volume'
    )
  })

  it('passes and skips only: compliant, the skips reported', async () => {
    const result = await run({
      guideline: listFile('skips.lst', [...PASSED, ...SKIPPED]),
      'results-file': STREAM
    })
    expect(result.code, result.stdout).toBe(0)
    expect(result.outputs).toMatchObject({ compliant: 'true', passed: '2', skipped: '2' })
    expect(result.summary).toContain('✅ **Compliant** with test list **skips.lst**')
    expect(result.summary).toContain('2/4 required tests passed (50%), 2 skipped')
    expect(result.summary).toContain('### Skipped (2)')
  })

  it('fail-on-skipped: true makes the same skips fail it, and says the input decided', async () => {
    const result = await run({
      guideline: listFile('skips-fail.lst', [...PASSED, ...SKIPPED]),
      'results-file': STREAM,
      'fail-on-skipped': 'true'
    })
    expect(result.code).toBe(1)
    expect(result.outputs.compliant).toBe('false')
    expect(result.summary).toContain(
      "Rule: every required test must pass: a failed, skipped or missing test fails the run (input 'fail-on-skipped')."
    )
  })

  it('a test the run does not have is missing, and fails it', async () => {
    const absent = 'tempest.api.compute.servers.test_servers.ServersTestJSON.test_no_such_test_here'
    const result = await run({
      guideline: listFile('absent.lst', [...PASSED, absent]),
      'results-file': STREAM
    })
    expect(result.code).toBe(1)
    expect(result.outputs).toMatchObject({ missing: '1', passed: '2', compliant: 'false' })
    expect(result.summary).toContain(absent)
  })

  it('a bad line → one error naming the input and the line', async () => {
    const result = await run({
      guideline: listFile('bad.lst', [...PASSED, 'tempest.api.compute test_x']),
      'dry-run': 'true'
    })
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(
      /::error::Input 'guideline': .*bad\.lst, line 3 is not a Tempest test id: 'tempest\.api\.compute test_x'/
    )
  })

  it('a control character → one error naming the line', async () => {
    const result = await run({
      guideline: listFile('control.lst', [PASSED[0], `${PASSED[1]}\u0007`]),
      'dry-run': 'true'
    })
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(
      /::error::Input 'guideline': .*control\.lst, line 2 holds the control character U\+0007/
    )
  })
})

describe('over HTTPS: a list URL and interop ids that are not bundled', () => {
  let https: Server
  let base: string
  let caFile: string
  const requests: string[] = []
  let refstack: RefstackServer
  // The bundled 2020.06 with 2022.11's releases: what the interop repository serves for 2022.11 here.
  const g2022 = JSON.parse(readFileSync(path.join(BUNDLED_DIR, '2020.06.json'), 'utf8')) as {
    metadata: { os_trademark_approval: { releases: string[] } }
  }
  g2022.metadata.os_trademark_approval.releases = ['xena', 'yoga', 'zed', 'antelope']

  beforeAll(async () => {
    const dir = path.join(work, 'tls')
    execFileSync('mkdir', ['-p', dir])
    caFile = path.join(dir, 'cert.pem')
    const keyFile = path.join(dir, 'key.pem')
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        keyFile,
        '-out',
        caFile
      ],
      { stdio: 'ignore' }
    )
    https = createServer({ key: readFileSync(keyFile), cert: readFileSync(caFile) }, (req, res) => {
      requests.push(req.url ?? '')
      if (req.url === '/openinfra/interop/raw/branch/master/guidelines/2022.11.json') {
        res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' })
        res.end(JSON.stringify(g2022))
      } else if (req.url === '/lists/cloud-a.lst') {
        res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' })
        res.end(`# cloud A\n${[...PASSED, ...SKIPPED].join('\n')}\n`)
      } else {
        res.writeHead(404, { 'content-type': 'text/plain' })
        res.end('Not found.')
      }
    })
    await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve))
    base = `https://127.0.0.1:${(https.address() as AddressInfo).port}`
    refstack = await startRefstackServer()
  })
  afterAll(async () => {
    await new Promise((resolve) => https.close(resolve))
    await refstack.stop()
  })

  const env = (): Record<string, string> => ({
    NODE_EXTRA_CA_CERTS: caFile,
    REFSTACK_ACTION_INTEROP_GUIDELINES_URL: `${base}/openinfra/interop/raw/branch/master/guidelines`
  })

  it('a list by https:// URL', async () => {
    const result = await run({ guideline: `${base}/lists/cloud-a.lst`, 'results-file': STREAM }, env())
    expect(result.code, result.stdout).toBe(0)
    expect(result.outputs).toMatchObject({
      guideline: 'cloud-a.lst',
      required: '4',
      passed: '2',
      skipped: '2'
    })
  })

  it('2022.11: not on the RefStack server, so from the interop repository', async () => {
    requests.length = 0
    const result = await run(
      {
        guideline: '2022.11',
        program: 'object',
        'refstack-server': refstack.url,
        'openstack-release': 'antelope',
        'dry-run': 'true'
      },
      env()
    )
    expect(result.code, result.stdout).toBe(0)
    expect(result.outputs.guideline).toBe('2022.11')
    expect(result.outputs.required).toBe('58')
    expect(requests).toEqual(['/openinfra/interop/raw/branch/master/guidelines/2022.11.json'])
    expect(refstack.requests.map((r) => r.path)).toContain('/api/v1/guidelines')
  })

  it('2022.11 on the RefStack server: its copy, the interop repository untouched', async () => {
    const server = await startRefstackServer({
      guidelines: new Map([...bundledGuidelineSet(), ['2022.11.json', JSON.stringify(g2022)]])
    })
    requests.length = 0
    try {
      const result = await run(
        { guideline: '2022.11', program: 'object', 'refstack-server': server.url, 'dry-run': 'true' },
        env()
      )
      expect(result.code, result.stdout).toBe(0)
      expect(result.outputs.guideline).toBe('2022.11')
      expect(server.requests.map((r) => r.path)).toContain('/api/v1/guidelines/2022.11.json')
      expect(requests).toEqual([])
    } finally {
      await server.stop()
    }
  })

  it('an id neither has → one error naming both', async () => {
    const result = await run(
      { guideline: '2021.11', 'refstack-server': refstack.url, 'dry-run': 'true' },
      env()
    )
    expect(result.code).toBe(1)
    expect(result.stdout).toContain(
      `::error::Guideline '2021.11' was found neither on the RefStack server ${refstack.url} (it has `
    )
    expect(result.stdout).toContain(
      `nor at ${base}/openinfra/interop/raw/branch/master/guidelines/2021.11.json (answered HTTP 404 (Not found.))`
    )
  })

  it('2022.11 with openstack-release 2024.1: refused before anything is fetched', async () => {
    requests.length = 0
    refstack.requests.length = 0
    const result = await run(
      {
        guideline: '2022.11',
        'refstack-server': refstack.url,
        'openstack-release': '2024.1',
        'dry-run': 'true'
      },
      env()
    )
    expect(result.code).toBe(1)
    expect(result.stdout).toContain(
      '::error::Guideline 2022.11 does not cover OpenStack 2024.1 (caracal): it covers xena, yoga, zed, antelope'
    )
    expect(result.stdout).toContain('guideline: scs-0128')
    expect(requests).toEqual([])
    expect(refstack.requests).toEqual([])
  })

  it('the default guideline from the bundled files only is refused, naming the ways out (never a silent 2020.06)', async () => {
    const result = await run({
      'guideline-source': 'bundled',
      'openstack-release': '2024.1',
      'dry-run': 'true'
    })
    expect(result.code).toBe(1)
    expect(result.stdout).toContain(
      "::error::Guideline 'latest' cannot come from the guidelines bundled with the action ('guideline-source' is bundled): the newest approved core guideline, 2022.11, is not bundled"
    )
    expect(result.stdout).toContain('guideline: scs-0128')
    expect(result.outputs.guideline ?? '').toBe('')
  })

  it('a list with openstack-release: not checked, and it runs', async () => {
    const result = await run({ guideline: 'scs-0128', 'openstack-release': '2025.2', 'dry-run': 'true' })
    expect(result.code, result.stdout).toBe(0)
    expect(result.stdout).toContain('names no OpenStack releases')
  })
})
