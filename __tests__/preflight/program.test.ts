/**
 * preflight.py run for real: Debian's Tempest 33 (/usr/bin/python3) loads the selected tests of the bundled
 * 2020.06 platform program and runs their own skip gates against a real tempest.conf. Keystone is pointed at
 * a closed port, so the cloud checks say so and nothing depends on a cloud.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import * as net from 'node:net'
import * as os from 'node:os'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { parseGuideline } from '../../src/guideline/parse.js'
import { selectProgram } from '../../src/guideline/select.js'
import { runListFor } from '../../src/guideline/test-list.js'
import { type Prediction, predict } from '../../src/preflight/findings.js'
import { runPreflightProgram } from '../../src/preflight/run.js'
import { LocalTarget } from '../../src/target/local.js'
import { BUNDLED_DIR } from '../helpers/refstack-server.js'

const PYTHON = '/usr/bin/python3'
const FIXTURE = path.resolve(import.meta.dirname, '../../__fixtures__/preflight/tempest-compute.conf')

function tempestImportable(): boolean {
  try {
    execFileSync(PYTHON, ['-c', 'import tempest.config'], { stdio: 'ignore', cwd: os.tmpdir() })
    return true
  } catch {
    return false
  }
}
const canRun = tempestImportable()
if (!canRun) {
  if (process.env.CI === 'true')
    throw new Error(`${PYTHON} cannot import tempest: install Debian's python3-tempest`)
  console.warn(
    `SKIPPED preflight.py tests: ${PYTHON} cannot import tempest (apt-get install python3-tempest)`
  )
}

const guideline = parseGuideline(readFileSync(path.join(BUNDLED_DIR, '2020.06.json'), 'utf8'), {
  source: 'bundled 2020.06.json',
  fileName: '2020.06.json'
})
const selection = selectProgram(guideline, 'platform', [])

async function closedPort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as net.AddressInfo).port
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** The fixture with Keystone on a closed port, its accounts file in dir, and the given lines changed. */
function confWith(dir: string, port: number, edits: Record<string, string | undefined>): string {
  let text = readFileSync(FIXTURE, 'utf8')
  text = text.replace(/^uri_v3 = .*$/m, `uri_v3 = http://127.0.0.1:${port}/v3`)
  text = text.replace(/^test_accounts_file = .*$/m, `test_accounts_file = ${dir}/accounts.yaml`)
  for (const [key, value] of Object.entries(edits)) {
    text = text.replace(new RegExp(`^${key} = .*$`, 'm'), value === undefined ? '' : `${key} = ${value}`)
  }
  const file = path.join(dir, `tempest-${Object.keys(edits).join('-') || 'as-is'}.conf`)
  writeFileSync(file, text)
  return file
}

describe.skipIf(!canRun)('preflight.py with the installed Tempest', () => {
  let dir: string
  let port: number
  const target = new LocalTarget()
  const run = async (conf: string): Promise<Prediction> =>
    predict(
      selection,
      await runPreflightProgram(target, {
        python: PYTHON,
        tempestConf: conf,
        testList: runListFor(selection),
        workdir: dir
      })
    )

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'preflight-'))
    port = await closedPort()
    writeFileSync(
      path.join(dir, 'accounts.yaml'),
      '- username: tempest1\n  project_name: tempest1\n  password: pw\n'
    )
  })

  it('names the skips Tempest 33 decides from tempest.conf, with the option that lifts each', async () => {
    const prediction = await run(
      confWith(dir, port, { xenapi_apis: undefined, public_network_id: undefined })
    )
    const finding = (option: string) => prediction.findings.find((f) => f.finding.startsWith(option))
    const xenapi = finding('[compute-feature-enabled] xenapi_apis')
    expect(xenapi?.fix).toBe('set [compute-feature-enabled] xenapi_apis = true')
    expect(xenapi?.capabilities).toEqual([
      'compute-servers-metadata-delete',
      'compute-servers-metadata-get',
      'compute-servers-metadata-list',
      'compute-servers-metadata-set',
      'compute-servers-metadata-update'
    ])
    expect(xenapi?.tests).toHaveLength(6)
    expect(xenapi?.tests.every((t) => t.includes('ServerMetadataTestJSON'))).toBe(true)
    const network = finding('[network] public_network_id')
    expect(network?.fix).toBe('set [network] public_network_id')
    expect(network?.capabilities).toEqual(['networks-l3-CRUD'])
    expect(network?.tests).toContain(
      'tempest.api.network.test_routers.RoutersTest.test_create_show_list_update_delete_router'
    )
    const validation = finding('[validation] run_validation')
    expect(validation?.fix).toBe('set [validation] run_validation = true')
    expect(validation?.capabilities).toEqual(['compute-servers-host', 'compute-servers-verify'])
    // Keystone does not answer: every required test is predicted to fail, for that reason first; an account
    // that could not even ask is not called refused.
    expect(prediction.findings[0].finding).toMatch(
      /^\[identity\] uri_v3 = http:\/\/127\.0\.0\.1:\d+\/v3 does not answer/
    )
    expect(prediction.findings.filter((f) => f.kind === 'accounts')).toEqual([])
    expect(prediction.notPassing).toHaveLength(prediction.required)
    expect(new Set(prediction.notPassing.map((t) => t.outcome))).toEqual(new Set(['failed']))
  })

  it('predicts none of those skips when tempest.conf enables them', async () => {
    const prediction = await run(confWith(dir, port, {}))
    const options = prediction.findings.map((f) => f.finding.split(' = ')[0])
    expect(options).toContain('[validation] run_validation')
    expect(options).not.toContain('[compute-feature-enabled] xenapi_apis')
    expect(options).not.toContain('[network] public_network_id')
    // Every required test of 2020.06 platform is in Tempest 33 under its name or an alias.
    expect(prediction.findings.filter((f) => f.kind === 'tempest')).toEqual([])
  })

  it('names the service a skip_checks gate turns off: [service_available] cinder', async () => {
    const prediction = await run(confWith(dir, port, { cinder: 'false' }))
    const volume = prediction.findings.find((f) => f.finding.startsWith('[service_available] cinder'))
    expect(volume?.fix).toBe('set [service_available] cinder = true')
    expect(volume?.capabilities).toContain('volumes-v3-create-delete')
    // Nova's volume-attach tests need Cinder too: their class's skip_checks says so.
    expect(volume?.capabilities).toContain('compute-volume-attach')
    expect(volume?.tests.every((t) => /^tempest\.api\.(volume|compute\.volumes)\./.test(t))).toBe(true)
  })
})
