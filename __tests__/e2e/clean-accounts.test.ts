/**
 * clean-test-accounts against the real Swift of the loopback cloud: only what Tempest names as its own
 * (containers "tempest-*", with their objects) goes; anything else in the account stays.
 */
import { execFileSync, spawn } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
// @ts-expect-error -- plain JavaScript helper shared with npm run demo
import { ROOT, devCloudEnv } from '../../scripts/lib/run-action.mjs'
import { cleanTestAccounts } from '../../src/tempest/clean-accounts.js'
import { LocalTarget } from '../../src/target/local.js'

const skip = inject('cloudSkipReason')

/** A fresh directory for the action's files (the programs go to its python/). */
const workdir = (): string => execFileSync('mktemp', ['-d'], { encoding: 'utf8' }).trim()

/** A tiny Swift client in the test: token for a test user (demo unless given), then raw requests. */
async function swift(cloud: Record<string, string>, user = 'demo') {
  const creds = readFileSync(path.join(cloud.STATE_DIR, 'credentials.env'), 'utf8')
  const password = /TEMPEST_USERS_PASSWORD=(.*)/.exec(creds)![1]
  const auth = await fetch(`${cloud.KEYSTONE_URL}/auth/tokens`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      auth: {
        identity: {
          methods: ['password'],
          password: { user: { name: user, domain: { name: 'Default' }, password } }
        },
        scope: { project: { name: user, domain: { name: 'Default' } } }
      }
    })
  })
  const token = auth.headers.get('x-subject-token')!
  const catalog = (
    (await auth.json()) as {
      token: { catalog: Array<{ type: string; endpoints: Array<{ interface: string; url: string }> }> }
    }
  ).token.catalog
  const url = catalog
    .find((s) => s.type === 'object-store')!
    .endpoints.find((e) => e.interface === 'public')!.url
  const call = (method: string, rest = '', body?: string, headers: Record<string, string> = {}) =>
    fetch(`${url}${rest}`, { method, headers: { 'X-Auth-Token': token, ...headers }, body })
  return {
    call,
    token,
    url,
    containers: async () =>
      ((await (await call('GET', '?format=json')).json().catch(() => [])) as Array<{ name: string }>).map(
        (c) => c.name
      )
  }
}

describe.skipIf(skip !== '')(`clean-test-accounts on real Swift${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let cloud: Record<string, string>
  beforeAll(() => {
    cloud = devCloudEnv()
  })
  afterAll(async () => {
    if (cloud) await (await swift(cloud)).call('DELETE', '/operator-data-kept')
  })

  /** clean-test-accounts on the runner for the cloud's tempest.conf and accounts file. */
  const cleanDemoAccounts = () =>
    cleanTestAccounts(new LocalTarget(), {
      python: '/usr/bin/python3',
      workdir: workdir(),
      tempestConf: cloud.TEMPEST_CONF,
      accountsFile: cloud.ACCOUNTS_FILE
    })

  /**
   * A process with the command line of stestr's worker; with `conf`, the environment refstack-client gives it
   * (TEMPEST_CONFIG_DIR/TEMPEST_CONFIG naming that tempest.conf).
   */
  function stestrWorker(conf?: string) {
    return spawn(
      '/usr/bin/python3',
      [
        '-c',
        'import time; time.sleep(120)',
        '-m',
        'stestr.subunit_runner.run',
        'discover',
        '-t',
        './',
        './tempest/test_discover'
      ],
      {
        stdio: 'ignore',
        env: conf
          ? { ...process.env, TEMPEST_CONFIG_DIR: path.dirname(conf), TEMPEST_CONFIG: path.basename(conf) }
          : process.env
      }
    )
  }

  it("removes Tempest's leftovers with their objects, and leaves the operator's containers alone", async () => {
    const s = await swift(cloud)
    expect((await s.call('PUT', '/tempest-TestContainer-leaked')).status).toBe(201)
    expect((await s.call('PUT', '/tempest-TestContainer-leaked/object', 'data')).status).toBe(201)
    expect((await s.call('PUT', '/operator-data-kept')).status).toBe(201)
    const { removed } = await cleanDemoAccounts()
    expect(removed).toContain('demo: container tempest-TestContainer-leaked')
    const left = await s.containers()
    expect(left).toContain('operator-data-kept')
    expect(left.filter((name) => name.startsWith('tempest-'))).toEqual([])
  })

  it("removes the account quota a killed AccountQuotasTest left (uploads refused with 413), and no operator's quota", async () => {
    const demo = await swift(cloud)
    const reseller = await swift(cloud, 'tempest_reseller')
    // What tempest/api/object_storage/test_account_quotas.py's setUp does, as its ResellerAdmin.
    const setQuota = async (bytes: string) =>
      (
        await fetch(demo.url, {
          method: 'POST',
          headers: { 'X-Auth-Token': reseller.token, 'X-Account-Meta-Quota-Bytes': bytes }
        })
      ).status
    const quota = async () => (await demo.call('HEAD')).headers.get('x-account-meta-quota-bytes')
    const clean = async () =>
      (
        await cleanTestAccounts(new LocalTarget(), {
          python: '/usr/bin/python3',
          workdir: workdir(),
          tempestConf: cloud.TEMPEST_CONF,
          accountsFile: cloud.ACCOUNTS_FILE
        })
      ).removed
    try {
      expect(await setQuota('20')).toBe(204)
      // Created (201), or there from the test before (202).
      expect([201, 202]).toContain((await demo.call('PUT', '/operator-data-kept')).status)
      expect(
        (await demo.call('PUT', '/operator-data-kept/big', 'more than twenty bytes of data')).status
      ).toBe(413)
      expect(await clean()).toContain('demo: account quota of 20 bytes')
      expect(await quota()).toBeNull()
      expect(
        (await demo.call('PUT', '/operator-data-kept/big', 'more than twenty bytes of data')).status
      ).toBe(201)
      // A quota Tempest never sets is the operator's: it stays.
      expect(await setQuota('1000000')).toBe(204)
      expect((await clean()).filter((line) => line.includes('quota'))).toEqual([])
      expect(await quota()).toBe('1000000')
    } finally {
      await fetch(demo.url, {
        method: 'POST',
        headers: { 'X-Auth-Token': reseller.token, 'X-Remove-Account-Meta-Quota-Bytes': 'x' }
      })
      await demo.call('DELETE', '/operator-data-kept/big')
    }
  })

  it('releases test-account allocations that a killed run left in lock_path (parallel runs need them)', async () => {
    const lock = /lock_path = (.*)/.exec(readFileSync(cloud.TEMPEST_CONF, 'utf8'))![1].trim()
    const stale = path.join(lock, '0123456789abcdef0123456789abcdef')
    execFileSync('sh', ['-c', 'printf AccountTest > "$1"', 'sh', stale])
    const { removed } = await cleanTestAccounts(new LocalTarget(), {
      python: '/usr/bin/python3',
      workdir: workdir(),
      tempestConf: cloud.TEMPEST_CONF,
      accountsFile: cloud.ACCOUNTS_FILE,
      lockPath: lock
    })
    expect(removed).toContain('stale allocation of a test account by AccountTest')
    expect(execFileSync('ls', [lock], { encoding: 'utf8' })).not.toContain('0123456789abcdef')
    // Tempest's own lock file is not an allocation and stays.
    expect(execFileSync('ls', [lock], { encoding: 'utf8' })).toContain('test_accounts_io')
  })

  it('touches nothing while a Tempest runs on the host, recognised as stestr starts its workers', async () => {
    const s = await swift(cloud)
    expect((await s.call('PUT', '/tempest-TestContainer-in-use')).status).toBe(201)
    // A process with the command line of stestr's worker (python -m stestr.subunit_runner.run discover …).
    const worker = stestrWorker()
    try {
      const answer = await cleanDemoAccounts()
      expect(answer.removed).toEqual([])
      expect(answer.running.some((line) => line.startsWith(`${worker.pid} `))).toBe(true)
      expect(await s.containers()).toContain('tempest-TestContainer-in-use')
    } finally {
      worker.kill('SIGKILL')
    }
    const after = await cleanDemoAccounts()
    expect(after.removed).toContain('demo: container tempest-TestContainer-in-use')
  })

  /** A tempest.conf whose accounts file holds `accounts` (YAML), in a directory of its own. */
  function confWithAccounts(accounts: string): string {
    const dir = workdir()
    writeFileSync(path.join(dir, 'accounts.yaml'), accounts)
    const conf = path.join(dir, 'tempest.conf')
    writeFileSync(
      conf,
      `[auth]\nuse_dynamic_credentials = false\ntest_accounts_file = ${dir}/accounts.yaml\n`
    )
    return conf
  }

  it('cleans while a Tempest on other accounts runs on the host, and names it', async () => {
    const s = await swift(cloud)
    expect((await s.call('PUT', '/tempest-TestContainer-beside')).status).toBe(201)
    const worker = stestrWorker(
      confWithAccounts("- username: 'tempest_compute1'\n  project_name: 'tempest_compute1'\n")
    )
    try {
      const answer = await cleanDemoAccounts()
      expect(answer.running.some((line) => line.startsWith(`${worker.pid} `))).toBe(false)
      expect(answer.elsewhere.some((line) => line.startsWith(`${worker.pid} `))).toBe(true)
      expect(answer.removed).toContain('demo: container tempest-TestContainer-beside')
      expect(await s.containers()).not.toContain('tempest-TestContainer-beside')
    } finally {
      worker.kill('SIGKILL')
    }
  })

  it('touches nothing while a Tempest runs on the host with an accounts file that shares one of ours', async () => {
    const s = await swift(cloud)
    expect((await s.call('PUT', '/tempest-TestContainer-shared')).status).toBe(201)
    const worker = stestrWorker(confWithAccounts("- username: 'demo'\n  project_name: 'demo'\n"))
    try {
      const answer = await cleanDemoAccounts()
      expect(answer.removed).toEqual([])
      expect(answer.running.some((line) => line.startsWith(`${worker.pid} `))).toBe(true)
      expect(await s.containers()).toContain('tempest-TestContainer-shared')
    } finally {
      worker.kill('SIGKILL')
    }
    await s.call('DELETE', '/tempest-TestContainer-shared')
  })

  it('reports a listing Swift answers with an HTML error page, and goes on', () => {
    // The real Swift answers a token it does not know with its HTML 401 page.
    const out = execFileSync(
      '/usr/bin/python3',
      [
        '-c',
        [
          'import configparser, json, sys',
          'sys.path.insert(0, sys.argv[1])',
          'import clean_accounts as c',
          'conf = configparser.ConfigParser(interpolation=None); conf.read(sys.argv[2])',
          'cloud = c.Cloud(conf)',
          'account = c.yaml.safe_load(open(sys.argv[3]))[0]',
          'token, url = cloud.swift_of(account)',
          'problems = []',
          'removed = c.empty_tempest_containers(cloud, account, "not-a-token", url, problems)',
          'print(json.dumps([removed, problems]))'
        ].join('\n'),
        path.join(ROOT, 'src', 'python'),
        cloud.TEMPEST_CONF,
        cloud.ACCOUNTS_FILE
      ],
      { encoding: 'utf8' }
    )
    const [removed, problems] = JSON.parse(out) as [string[], string[]]
    expect(removed).toEqual([])
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatch(/^\w+: cannot list the containers \(HTTP 401, <html>/)
  })

  it('a cloud it cannot reach is one clear error naming the input to change', async () => {
    const dir = execFileSync('mktemp', ['-d'], { encoding: 'utf8' }).trim()
    const conf = path.join(dir, 'tempest.conf')
    execFileSync('sh', [
      '-c',
      `sed 's#^uri_v3 = .*#uri_v3 = http://127.0.0.1:9/v3#' "$1" > "$2"`,
      'sh',
      cloud.TEMPEST_CONF,
      conf
    ])
    const error = await cleanTestAccounts(new LocalTarget(), {
      python: '/usr/bin/python3',
      workdir: dir,
      tempestConf: conf,
      accountsFile: cloud.ACCOUNTS_FILE
    }).catch((e: { message: string; hint: string }) => e)
    expect(error.message).toContain('Cleaning the test accounts')
    expect(error.message).toContain('cannot reach http://127.0.0.1:9/v3/auth/tokens')
    expect(error.hint).toContain('clean-test-accounts: false')
  })
})
