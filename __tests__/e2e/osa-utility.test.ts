/**
 * The bundled action in an openstack-ansible utility container as an operator has it (scripts/dev-cloud/
 * osa-utility/build.sh): os_tempest's Tempest venv with a plugin only it has, /etc/tempest/tempest.conf from
 * os_tempest's template (dynamic credentials), /root/workspace, /root/openrc (admin), no refstack-client, and
 * the Debian mirror reachable only through the rig's HTTP proxy. The inputs are the runbook's: `container:
 * utility`, `openrc`, `tempest-conf`, nothing else (the proxy is the runner's http_proxy).
 *
 * Two runs feed every assertion: a cold serial run of the 2020.06 object program (refstack-client installed
 * with apt through the proxy, around the operator's Tempest), then a warm run with `parallel: true` of a plain
 * test list holding the same tests plus the plugin's test, which passes only under the venv's Python.
 *
 * Real runs share one cloud: run under the lock,
 * `KEEP_DEV_CLOUD=1 flock /tmp/refstack-e2e.lock npx vitest run __tests__/e2e/osa-utility.test.ts`.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
// @ts-expect-error -- plain JavaScript helper shared with npm run demo
import { devCloudEnv, runAction } from '../../scripts/lib/run-action.mjs'
import { skipUnlessAvailable } from '../helpers/sshd.js'
import { lxcUnavailableReason } from '../target/lxc-fixture.js'
import { attach, attachOk, createUtilityContainer, destroyClone, type Clone } from './lxc-utility.js'
import { OSA, buildOsaUtility, startProxy, type Proxy } from './osa-utility-rig.js'

const cloudSkip = inject('cloudSkipReason')
const gate = skipUnlessAvailable(
  cloudSkip !== '' ? cloudSkip : lxcUnavailableReason(),
  "the bundled action in an openstack-ansible utility container, with the operator's Tempest"
)

type RunResult = Awaited<ReturnType<typeof runAction>> & {
  code: number | null
  stdout: string
  summary: string
  outputs: Record<string, string>
}

interface Report {
  run: {
    tempest?: { version: string; path: string; workspace: string; owner: string }
    refstackClient?: string
    installed?: string
    toolchain?: string
  }
  compliance: { tests: Array<{ name: string; outcome: string }> }
  files: { tempestLog?: string }
}

/** The tempest.conf a run used (its `refstack-client test -c FILE` line). */
function confOfRun(stdout: string): string {
  const conf = / test -c (\S+) --test-list /.exec(stdout)?.[1]
  if (conf === undefined) throw new Error('the run printed no refstack-client command line')
  return conf
}

/** `openstack` with the loopback cloud's admin (on the host), as JSON. */
function openstack(cloud: Record<string, string>, args: string[]): unknown {
  const out = execFileSync(
    'sh',
    ['-c', '. "$0" && exec openstack "$@" -f json', cloud.ADMIN_OPENRC, ...args],
    {
      encoding: 'utf8',
      timeout: 120_000
    }
  )
  return JSON.parse(out)
}

/**
 * Who ran the tests, from the conf the run used and Keystone: with dynamic credentials, every test user
 * Tempest made and the roles it gave them (its log); with an accounts file, each account's roles in Keystone.
 */
function testUsersAndRoles(
  cloud: Record<string, string>,
  utility: string,
  conf: string
): Array<{ user: string; roles: string[] }> {
  const text = attachOk(utility, ['cat', conf])
  const accountsFile = /^test_accounts_file\s*=\s*(\S+)/m.exec(text)?.[1]
  const dynamic = /^use_dynamic_credentials\s*=\s*true/im.test(text)
  if (dynamic || accountsFile === undefined) {
    const log = attachOk(utility, ['cat', OSA.tempestLog])
    return [
      ...log.matchAll(/Dynamic test user (\S+) is created with scope \S+ and roles: \[([^\]]*)\]/g)
    ].map((m) => ({
      user: m[1] as string,
      roles: (m[2] as string).split(',').map((r) => r.trim().replace(/'/g, ''))
    }))
  }
  const accounts = attachOk(utility, ['cat', accountsFile])
  const users = [
    ...accounts.matchAll(/username:\s*'?([^'\n]+)'?\n\s*(?:project_name|tenant_name):\s*'?([^'\n]+)'?/g)
  ]
  return users.map((m) => {
    const assignments = openstack(cloud, [
      'role',
      'assignment',
      'list',
      '--effective',
      '--names',
      '--user',
      (m[1] as string).trim(),
      '--user-domain',
      'Default'
    ]) as Array<{ Role: string }>
    return { user: (m[1] as string).trim(), roles: assignments.map((a) => a.Role) }
  })
}

describe.skipIf(gate.skip)(gate.title, () => {
  let cloud: Record<string, string>
  let proxy: Proxy
  let utility: Clone
  let dir: string
  let inputs: Record<string, string>
  let env: Record<string, string>
  let cold: RunResult
  let coldReport: Report
  let coldRequests: string[]
  let confBefore: string
  /** dpkg-query's exit status for refstack-client before the first run (non-zero: not installed). */
  let refstackClientBefore: number

  beforeAll(async () => {
    cloud = devCloudEnv()
    dir = mkdtempSync(path.join(tmpdir(), 'refstack-osa-e2e-'))
    proxy = await startProxy()
    const base = buildOsaUtility(proxy)
    utility = createUtilityContainer(base)
    // The runbook's inputs, and the runner's proxy (the only way the container reaches the mirror).
    inputs = {
      guideline: '2020.06',
      'guideline-source': 'bundled',
      program: 'object',
      container: 'utility',
      openrc: OSA.openrc,
      'tempest-conf': OSA.tempestConf,
      'artifact-name': ''
    }
    env = { http_proxy: proxy.url, no_proxy: '127.0.0.1,localhost' }
    confBefore = attachOk(utility.name, ['sha256sum', OSA.tempestConf])
    refstackClientBefore = attach(utility.name, ['dpkg-query', '-W', 'refstack-client']).code
    const before = proxy.requests().length
    const started = Date.now()
    cold = (await runAction(inputs, { env })) as RunResult
    console.log(
      `cold run in ${utility.name} (apt through the proxy + 2020.06 object): ${Math.round((Date.now() - started) / 1000)} s`
    )
    coldRequests = proxy.requests().slice(before)
    if (!cold.outputs['report-file'])
      console.log(`the cold run wrote no report:\n${cold.stdout.slice(-8000)}`)
    coldReport = JSON.parse(
      readFileSync(cold.outputs['report-file'] || '/dev/null', 'utf8') || '{"run":{}}'
    ) as Report
  }, 3_600_000)

  afterAll(() => {
    if (utility !== undefined) destroyClone(utility)
    proxy?.stop()
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true })
  })

  it('is a utility container as openstack-ansible leaves it: Tempest and its plugin in the venv only, no refstack-client, the mirror only through the proxy', () => {
    expect(refstackClientBefore).not.toBe(0)
    expect(
      attachOk(utility.name, [
        `${OSA.venv}/bin/python3`,
        '-c',
        'import refstack_action_rig_plugin; print("ok")'
      ]).trim()
    ).toBe('ok')
    expect(
      attach(utility.name, ['/usr/bin/python3', '-c', 'import refstack_action_rig_plugin']).code
    ).not.toBe(0)
    expect(attach(utility.name, ['test', '-f', `${OSA.workspace}/.stestr.conf`]).code).toBe(0)
    expect(attachOk(utility.name, ['cat', OSA.tempestConf])).toMatch(/^use_dynamic_credentials = True$/m)
    expect(attachOk(utility.name, ['stat', '-c', '%a', OSA.openrc]).trim()).toBe('600')
    // The mirror's host leads nowhere from inside; apt reached it through the proxy only.
    const direct = attach(utility.name, [
      '/usr/bin/python3',
      '-c',
      "import socket; socket.create_connection(('deb.debian.org', 80), 10)"
    ])
    expect(direct.code).not.toBe(0)
  })

  it("runs the operator's Tempest with refstack-client installed around it through the runner's proxy: 58/58 object", () => {
    expect(coldReport.run.refstackClient).toMatch(/^deb 0\.0\.0~/)
    expect(coldReport.run.installed).toMatch(/^refstack-client 0\.0\.0~\S+ \(Debian\/Ubuntu package/)
    expect(cold.summary).toContain(
      `Tempest 33.0.0 (the target's own): ${OSA.venv}/bin/tempest, workspace ${OSA.workspace}`
    )
    // The results are in the operator's workspace; the venv is as it was (no refstack-client, no other Tempest in it).
    expect(attachOk(utility.name, ['ls', `${OSA.workspace}/.stestr`])).toMatch(/^0$/m)
    expect(
      attachOk(utility.name, ['ls', `${OSA.venv}/bin`])
        .split('\n')
        .sort()
        .filter(Boolean)
    ).toEqual(expect.arrayContaining(['python3', 'stestr', 'tempest']))
    expect(attach(utility.name, ['test', '-e', `${OSA.venv}/bin/refstack-client`]).code).not.toBe(0)
    // Debian's tempest package (refstack-client's dependency) ships /etc/tempest/tempest.conf: the operator's stays.
    expect(attachOk(utility.name, ['sha256sum', OSA.tempestConf])).toBe(confBefore)
    expect(cold.stdout).toContain(
      `Tempest 33.0.0 found on container ${utility.name} on the runner: ${OSA.venv}/bin/tempest (workspace ${OSA.workspace})`
    )
    expect(cold.stdout).toContain(
      '$ apt-get -o DPkg::Lock::Timeout=120 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold install -y -q --no-install-recommends refstack-client'
    )
    // apt fetched refstack-client through the rig's proxy (the runner's http_proxy reached apt in the container).
    expect(coldRequests.some((r) => /^GET http:\/\/\S+\/refstack-client_\S+\.deb$/.test(r))).toBe(true)
    expect(coldReport.run.tempest).toEqual({
      version: '33.0.0',
      path: `${OSA.venv}/bin/tempest`,
      workspace: OSA.workspace,
      owner: 'operator'
    })
    // The object program's two-user classes pass with Tempest's own non-admin dynamic credentials.
    expect(cold.stdout).not.toContain('::error')
    expect(cold.code).toBe(0)
    expect(cold.outputs).toMatchObject({ compliant: 'true', required: '58', passed: '58', failed: '0' })
  })

  it('no test ran as a user with the admin role (Keystone)', () => {
    const users = testUsersAndRoles(cloud, utility.name, confOfRun(cold.stdout))
    expect(users.length).toBeGreaterThan(0)
    expect(users.filter((u) => u.roles.some((r) => r.toLowerCase() === 'admin'))).toEqual([])
  })

  it("a warm run in parallel of a plain list with the plugin's test: their Tempest ran it, nothing was installed", async () => {
    const list = path.join(dir, 'object-and-plugin.lst')
    const objectTests = readFileSync(cold.outputs['test-list'], 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
    writeFileSync(list, [...objectTests, OSA.pluginTest, ''].join('\n'))
    const before = proxy.requests().length
    const started = Date.now()
    const warm = (await runAction({ ...inputs, guideline: list, parallel: 'true' }, { env })) as RunResult
    console.log(`warm parallel run: ${Math.round((Date.now() - started) / 1000)} s`)
    expect(warm.stdout).toMatch(/Tempest runs with \d+ workers/)
    expect(warm.stdout).not.toContain('Installing ')
    expect(proxy.requests().slice(before)).toEqual([])
    const report = JSON.parse(readFileSync(warm.outputs['report-file'], 'utf8')) as Report
    expect(report.compliance.tests.find((t) => t.name === OSA.pluginTest.replace(/\[.*$/, ''))).toMatchObject(
      { outcome: 'passed' }
    )
    expect(report.run.installed).toBeUndefined()
    expect(report.run.tempest?.path).toBe(`${OSA.venv}/bin/tempest`)
    // In parallel too: every worker gets its own dynamic non-admin credentials.
    expect(warm.stdout).not.toContain('::error')
    expect(warm.code).toBe(0)
    expect(warm.outputs).toMatchObject({ compliant: 'true', failed: '0', missing: '0' })
  }, 3_600_000)
})
