/**
 * No test runs as admin, end to end through dist/: openstack-ansible's default tempest.conf (dynamic
 * credentials with the cloud's admin in [auth], no accounts file) and the admin openrc. One run of the 2020.06
 * object program feeds every assertion: 100% compliant; report.json and the summary say the tests ran with
 * dynamic credentials, none admin; Tempest's log names the users it created and Keystone's request log shows
 * the roles they were granted, never the admin role; the log masks the passwords and never `false`/`true`.
 */
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { beforeAll, describe, expect, inject, it } from 'vitest'
// @ts-expect-error -- plain JavaScript helper shared with npm run demo
import { devCloudEnv, runAction } from '../../scripts/lib/run-action.mjs'

const skip = inject('cloudSkipReason')

/** The bytes a file got since `from` (its size before the run). */
function grownBy(file: string, from: number): string {
  return readFileSync(file).subarray(from).toString('utf8')
}

const size = (file: string): number => {
  try {
    return statSync(file).size
  } catch {
    return 0
  }
}

/** KEY=value of an openrc's `export` lines (the dev cloud's are one-line, single-quoted passwords). */
function openrcValues(file: string): Record<string, string> {
  const values: Record<string, string> = {}
  for (const m of readFileSync(file, 'utf8').matchAll(/(OS_[A-Z_]+)=('[^']*'|\S+)/g))
    values[m[1]] = m[2].replace(/^'|'$/g, '')
  return values
}

describe.skipIf(skip !== '')(`no test runs as admin${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let cloud: Record<string, string>
  let result: Awaited<ReturnType<typeof runAction>>
  let report: Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any
  let keystoneLog: string
  let tempestLog: string
  let adminRoleId: string
  let adminUserId: string
  let adminPassword: string
  let osaConf: string
  let original: string

  beforeAll(async () => {
    cloud = devCloudEnv()
    const admin = openrcValues(cloud.ADMIN_OPENRC)
    adminPassword = admin.OS_PASSWORD
    // openstack-ansible's default, from the dev cloud's config: dynamic credentials with the admin in [auth], no
    // accounts file, and a feature flag whose name ends in "password".
    const dir = mkdtempSync(path.join(tmpdir(), 'osa-dynamic-'))
    osaConf = path.join(dir, 'tempest.conf')
    original = readFileSync(cloud.TEMPEST_CONF, 'utf8')
      .replace(/^use_dynamic_credentials = .*$/m, 'use_dynamic_credentials = True')
      .replace(/^test_accounts_file = .*\n/m, '')
      .replace(/^\[identity-feature-enabled\]\n/m, '[identity-feature-enabled]\nchange_password = false\n')
    expect(original).toContain('change_password = false') // refstack-client's configparser refuses a repeated section
    writeFileSync(osaConf, original, { mode: 0o600 })
    const conf = readFileSync(cloud.TEMPEST_CONF, 'utf8')
    const logFile = path.join(/^log_dir = (.*)$/m.exec(conf)![1], 'tempest.log')
    const keystoneUwsgiLog = path.join(cloud.STATE_DIR, 'log', 'keystone-uwsgi.log')
    const before = { keystone: size(keystoneUwsgiLog), tempest: size(logFile) }

    result = await runAction({
      guideline: '2020.06',
      'guideline-source': 'bundled',
      program: 'object',
      'tempest-conf': osaConf,
      openrc: cloud.ADMIN_OPENRC,
      'artifact-name': ''
    })
    report = JSON.parse(readFileSync(result.outputs['report-file'], 'utf8'))
    keystoneLog = grownBy(keystoneUwsgiLog, before.keystone)
    tempestLog = grownBy(logFile, before.tempest)

    // The admin role's and the admin user's ids, from Keystone itself.
    const auth = await fetch(`${cloud.KEYSTONE_URL}/auth/tokens`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        auth: {
          identity: {
            methods: ['password'],
            password: { user: { name: 'admin', password: adminPassword, domain: { name: 'Default' } } }
          },
          scope: { project: { name: 'admin', domain: { name: 'Default' } } }
        }
      })
    })
    const token = auth.headers.get('x-subject-token')!
    adminUserId = ((await auth.json()) as { token: { user: { id: string } } }).token.user.id
    const roles = (await (
      await fetch(`${cloud.KEYSTONE_URL}/roles?name=admin`, { headers: { 'X-Auth-Token': token } })
    ).json()) as { roles: Array<{ id: string }> }
    adminRoleId = roles.roles[0].id
  }, 1_800_000)

  it('is 100% compliant with the object program', () => {
    expect(result.stdout).not.toContain('::error')
    expect(result.code).toBe(0)
    expect(result.outputs).toMatchObject({
      compliant: 'true',
      required: '58',
      passed: '58',
      compliance: '100'
    })
  })

  it('says in report.json and the summary that dynamic credentials ran the tests and none was admin', () => {
    expect(report.credentials).toEqual({
      kind: 'dynamic',
      admin: false,
      description: expect.stringContaining('Tempest creates a project member per test class')
    })
    expect(result.summary).toMatch(
      /^Test credentials: dynamic \(none admin\): dynamic credentials: Tempest creates/m
    )
    expect(readFileSync(osaConf, 'utf8')).toBe(original)
  })

  it("Keystone granted Tempest's own test users roles, never the admin role", () => {
    // Tempest (dynamic_creds.py) logs each user it creates, with its roles.
    const created = [
      ...tempestLog.matchAll(/Dynamic test user (\w+) is created with scope project and roles: (\[.*\])/g)
    ]
    expect(created.length).toBeGreaterThan(5)
    for (const [, , roles] of created) expect(roles.toLowerCase()).not.toContain("'admin'")
    const users = new Set(created.map((m) => m[1]))
    expect(users.has(adminUserId)).toBe(false)
    // uwsgi's request log: PUT /v3/projects/<project>/users/<user>/roles/<role>, one per role granted.
    const grants = [
      ...keystoneLog.matchAll(
        /PUT \/v3\/(projects|domains|system)\/(?:\w+\/)?users\/(\w+)\/roles\/(\w+) => .*HTTP\/1\.1 204/g
      )
    ]
    const toTestUsers = grants.filter((g) => users.has(g[2]))
    expect(new Set(toTestUsers.map((g) => g[2]))).toEqual(users) // every test user got its role here
    expect(grants.filter((g) => g[3] === adminRoleId)).toEqual([])
    expect(grants.every((g) => g[1] === 'projects')).toBe(true)
  })

  it('masks the passwords and never a boolean', () => {
    const masked = result.stdout
      .split('\n')
      .filter((l: string) => l.startsWith('::add-mask::'))
      .map((l: string) => l.slice('::add-mask::'.length))
    expect(masked).toContain(adminPassword)
    for (const word of ['false', 'true', 'False', 'True']) expect(masked).not.toContain(word)
  })
})
