import { createHash } from 'node:crypto'
import { execFile, spawnSync } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  mkdtempSync as makeTemp,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import YAML from 'yaml'
import {
  absolutePathEdits,
  editConf,
  generateArgs,
  keystoneV3Url,
  prepareTempestConf
} from '../../src/tempest/generate-conf.js'
import { checkTempestConf, hasTestAccounts, parseTempestConf } from '../../src/tempest/conf.js'
import { LocalTarget } from '../../src/target/local.js'
import { skipUnlessAvailable } from '../helpers/sshd.js'

const target = new LocalTarget()

// Temp dirs hold copies of the dev cloud's passwords (mode 0600): removed when the file is done.
const tempDirs: string[] = []
function mkdtempSync(prefix: string): string {
  const dir = makeTemp(prefix)
  tempDirs.push(dir)
  return dir
}
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true })
})

describe('editConf', () => {
  const text =
    '# header\n[DEFAULT]\nlog_dir = log\n\n[auth]\n# use_dynamic_credentials = false\nuse_dynamic_credentials = True\nadmin_username = admin\n\n[identity]\nuri_v3 = http://k/v3\n'

  it('replaces, adds and removes options and keeps everything else', () => {
    const edited = editConf(text, [
      { section: 'auth', key: 'use_dynamic_credentials', value: 'false' },
      { section: 'auth', key: 'test_accounts_file', value: '/w/conf/accounts.yaml' },
      { section: 'identity', key: 'uri_v3', value: undefined },
      { section: 'validation', key: 'run_validation', value: 'false' }
    ])
    expect(edited).toBe(
      '# header\n[DEFAULT]\nlog_dir = log\n\n[auth]\n# use_dynamic_credentials = false\nuse_dynamic_credentials = false\nadmin_username = admin\ntest_accounts_file = /w/conf/accounts.yaml\n\n[identity]\n\n[validation]\nrun_validation = false\n'
    )
  })

  it("reads lines as oslo.config does: a replaced value's continuation lines go with it, an indented line is no option", () => {
    const multi = '[auth]\nadmin_password = first\n  second\n\ttest_accounts_file = /old\nuse = 1\n'
    const edited = editConf(multi, [
      { section: 'auth', key: 'admin_password', value: 'p' },
      { section: 'auth', key: 'test_accounts_file', value: '/w/accounts.yaml' }
    ])
    expect(edited).toBe('[auth]\nadmin_password = p\nuse = 1\ntest_accounts_file = /w/accounts.yaml\n')
    expect(parseTempestConf(edited).auth).toEqual({
      admin_password: 'p',
      use: '1',
      test_accounts_file: '/w/accounts.yaml'
    })
  })

  it('drops duplicates of a replaced option and adds a [DEFAULT] section when there is none', () => {
    expect(editConf('[auth]\na = 1\na = 2\n', [{ section: 'auth', key: 'a', value: '3' }])).toBe(
      '[auth]\na = 3\n'
    )
    expect(editConf('[auth]\na = 1\n', [{ section: 'DEFAULT', key: 'log_dir', value: '/l' }])).toBe(
      '[DEFAULT]\nlog_dir = /l\n\n[auth]\na = 1\n'
    )
  })
})

describe('pure helpers', () => {
  it.each([
    ['http://172.29.236.101:5000', 'http://172.29.236.101:5000/v3'],
    ['http://127.0.0.1:5000/v3/', 'http://127.0.0.1:5000/v3'],
    ['https://k.example.com/identity', 'https://k.example.com/identity/v3'],
    ['http://k:5000/v2.0', 'http://k:5000/v3']
  ])('keystoneV3Url(%s) = %s', (url, expected) => {
    expect(keystoneV3Url(url)).toBe(expected)
  })

  it('makes relative paths absolute against the original config directory', () => {
    const conf = parseTempestConf(
      '[DEFAULT]\nlog_dir = ../log\nlog_file = tempest.log\n[oslo_concurrency]\nlock_path = /abs\n[scenario]\nimg_dir = etc\n'
    )
    expect(absolutePathEdits(conf, '/root/workspace/etc')).toEqual([
      { section: 'DEFAULT', key: 'log_dir', value: '/root/workspace/log' },
      { section: 'scenario', key: 'img_dir', value: '/root/workspace/etc/etc' }
    ])
  })

  it('knows which configs already name accounts', () => {
    expect(hasTestAccounts(parseTempestConf('[auth]\ntest_accounts_file = a.yaml\n'))).toBe(true)
    expect(hasTestAccounts(parseTempestConf('[identity]\nusername = u\npassword = p\n'))).toBe(true)
    expect(
      hasTestAccounts(
        parseTempestConf(
          '[auth]\nuse_dynamic_credentials = True\nadmin_username = admin\nadmin_password = p\n'
        )
      )
    ).toBe(false)
  })

  it('builds the generation command without credentials, never letting python-tempestconf download an image', () => {
    expect(
      generateArgs({
        accountsFile: '/w/conf/accounts.yaml',
        out: '/w/conf/tempest.conf',
        image: '/w/images/cirros-0.4.0-x86_64-disk.img',
        insecure: true
      })
    ).toEqual([
      'config',
      '--use-test-accounts',
      '/w/conf/accounts.yaml',
      '--out',
      '/w/conf/tempest.conf',
      '--image',
      '/w/images/cirros-0.4.0-x86_64-disk.img',
      '-k'
    ])
  })
})

/**
 * The [auth], [identity] and [DEFAULT] log options of openstack-ansible's os_tempest templates/tempest.conf.j2 as it
 * renders them by default (no tempest_test_accounts): dynamic credentials with the cloud's admin.
 */
const OS_TEMPEST_CONF = (dir: string): string =>
  [
    '[DEFAULT]',
    `log_dir = ${dir}`,
    'log_file = tempest.log',
    '',
    '[auth]',
    'use_dynamic_credentials = True',
    'admin_username = admin',
    'admin_password = 1f0e8c3a4d',
    'admin_project_name = admin',
    'admin_domain_name = Default',
    '',
    '[identity]',
    'uri_v3 = http://172.29.236.101:5000/v3',
    'auth_version = v3',
    'v3_endpoint_type = internal',
    ''
  ].join('\n')

/** What Tempest or refstack-client (Debian's) takes from a config (conf-readers.py). */
function readAs(reader: 'tempest' | 'refstack-client', conf: string): unknown {
  const run = spawnSync(
    '/usr/bin/python3',
    [path.join(import.meta.dirname, 'conf-readers.py'), reader, conf],
    {
      encoding: 'utf8',
      cwd: path.dirname(conf)
    }
  )
  if (run.status !== 0) throw new Error(`conf-readers.py ${reader} ${conf}: ${run.stderr.slice(-2000)}`)
  return JSON.parse(run.stdout)
}

describe('prepareTempestConf without the cloud', () => {
  it('returns a config that names accounts unchanged', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'prepare-'))
    const conf = path.join(dir, 'tempest.conf')
    writeFileSync(conf, '[auth]\nuse_dynamic_credentials = false\ntest_accounts_file = /x/accounts.yaml\n')
    expect(await prepareTempestConf(target, { tempestConf: conf, workdir: path.join(dir, 'work') })).toEqual({
      path: conf,
      credentials: {
        kind: 'accounts-file',
        admin: false,
        description: 'the pre-provisioned accounts of /x/accounts.yaml'
      }
    })
    expect(existsSync(path.join(dir, 'work'))).toBe(false)
  })

  it("keeps openstack-ansible's dynamic credentials with no openrc: a copy names the conf's admin for refstack-client's CPID lookup only", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'prepare-'))
    mkdirSync(path.join(dir, 'etc'))
    const conf = path.join(dir, 'etc', 'tempest.conf')
    writeFileSync(conf, OS_TEMPEST_CONF(dir))
    const workdir = path.join(dir, 'work')
    const prepared = await prepareTempestConf(target, { tempestConf: conf, workdir })
    const copy = path.join(workdir, 'conf', 'tempest.conf')
    expect(prepared.path).toBe(copy)
    expect(prepared.credentials).toEqual({
      kind: 'dynamic',
      admin: false,
      description: expect.stringContaining('Tempest creates a project member per test class')
    })
    expect(prepared.note).toBe(
      `${conf} names no test accounts: the run uses a copy, ${copy}, that keeps dynamic credentials and names user 'admin' in [identity] username for refstack-client's CPID lookup only (Tempest has no such option: no test runs as that user); the original is unchanged`
    )
    expect(readFileSync(conf, 'utf8')).toBe(OS_TEMPEST_CONF(dir))
    expect(statSync(copy).mode & 0o777).toBe(0o600)
    // Tempest, reading the copy as `tempest run` does, keeps creating its own users; refstack-client finds a user.
    expect(readAs('tempest', copy)).toEqual({
      use_dynamic_credentials: true,
      test_accounts_file: null,
      admin_username: 'admin',
      admin_project_name: 'admin',
      tempest_roles: []
    })
    expect(readAs('refstack-client', copy)).toMatchObject({
      username: 'admin',
      tenant_name: 'admin',
      domain_name: 'Default',
      auth_url: 'http://172.29.236.101:5000/v3/auth/tokens'
    })
    expect(existsSync(path.join(workdir, 'conf', 'accounts.yaml'))).toBe(false)
  })

  it('refuses dynamic credentials that give every test user the admin role', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'prepare-'))
    const conf = path.join(dir, 'tempest.conf')
    writeFileSync(conf, OS_TEMPEST_CONF(dir).replace('[auth]\n', '[auth]\ntempest_roles = member, Admin\n'))
    await expect(
      prepareTempestConf(target, { tempestConf: conf, workdir: path.join(dir, 'w') })
    ).rejects.toThrow(
      `Input 'tempest-conf': ${conf} [auth] tempest_roles = member, Admin gives every test user Tempest creates the admin role 'admin'`
    )
  })

  it('says what to set when a config has neither accounts nor usable dynamic credentials and there is no openrc', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'prepare-'))
    const conf = path.join(dir, 'tempest.conf')
    writeFileSync(conf, OS_TEMPEST_CONF(dir).replace(/^admin_password = .*\n/m, ''))
    const error = (await prepareTempestConf(target, { tempestConf: conf, workdir: dir }).catch(
      (e: unknown) => e
    )) as { message: string; hint: string }
    expect(error.message).toBe(
      `Input 'tempest-conf': ${conf} names no test accounts ([auth] test_accounts_file) and no complete [auth] admin_username, admin_password and admin_project_name for its dynamic credentials, so Tempest has no user to run the tests with`
    )
    expect(error.hint).toContain(
      "Set 'openrc' to an openrc on the target (openstack-ansible: 'openrc: /root/openrc')"
    )
    writeFileSync(
      conf,
      OS_TEMPEST_CONF(dir).replace('use_dynamic_credentials = True', 'use_dynamic_credentials = False')
    )
    await expect(prepareTempestConf(target, { tempestConf: conf, workdir: dir })).rejects.toThrow(
      'does not use dynamic credentials, so Tempest has no user to run the tests with'
    )
  })

  it('names a missing openrc, and a missing input altogether', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'prepare-'))
    await expect(prepareTempestConf(target, { openrc: '/nonexistent/openrc', workdir: dir })).rejects.toThrow(
      "Input 'openrc': cannot read /nonexistent/openrc on the runner"
    )
    await expect(prepareTempestConf(target, { workdir: dir })).rejects.toThrow(
      "Neither 'tempest-conf' nor 'openrc' is set"
    )
  })
})

// ---------------------------------------------------------------------------------------------------------
// Against the real loopback cloud (scripts/dev-cloud/up.sh): Keystone on 127.0.0.1:5000, Swift on :8080.

const CLOUD_ENV = '/var/lib/refstack-dev-cloud/env'
const cloudReason =
  process.getuid?.() !== 0
    ? 'needs root (the dev cloud files are mode 0600; refstack-client writes /var/lib/tempest)'
    : !existsSync(CLOUD_ENV)
      ? `${CLOUD_ENV} is absent (start the loopback cloud: scripts/dev-cloud/up.sh)`
      : !existsSync('/usr/bin/refstack-client')
        ? 'refstack-client is not installed (apt-get install refstack-client tempest python3-tempestconf)'
        : undefined
const cloud = skipUnlessAvailable(cloudReason, 'prepareTempestConf on the loopback cloud')

const TEST = 'tempest.api.identity.v3.test_tokens.TokensV3Test.test_create_token'
const TEST_ID = '6f8e4436-fc96-4282-8122-e41df57197a9'
/** What refstack-client falls back to when the CPID lookup with the first account fails: md5 of the host. */
const FALLBACK_CPID = createHash('md5').update('127.0.0.1').digest('hex')

interface RunResult {
  code: number
  stderr: string
  results?: { cpid: string; results: Array<{ name: string; uuid?: string }> }
}

/** `refstack-client test -c CONF --test-list LIST`: really runs the one test; retried once (shared workspace). */
async function refstackTest(conf: string, dir: string): Promise<RunResult> {
  const list = path.join(dir, 'test-list.txt')
  writeFileSync(list, `${TEST}[id-${TEST_ID}]\n`)
  const once = async (): Promise<RunResult> => {
    const done = await promisify(execFile)(
      '/usr/bin/refstack-client',
      ['test', '-c', conf, '--test-list', list],
      {
        timeout: 300_000,
        maxBuffer: 64 * 1024 * 1024
      }
    ).then(
      (r) => ({ code: 0, stderr: r.stderr }),
      (e: { code?: number; stderr?: string }) => ({
        code: typeof e.code === 'number' ? e.code : -1,
        stderr: e.stderr ?? ''
      })
    )
    const json = /JSON results saved in: (\S+)/.exec(done.stderr)?.[1]
    return { ...done, results: json ? JSON.parse(readFileSync(json, 'utf8')) : undefined }
  }
  const first = await once()
  return first.code === 0 ? first : once()
}

describe.skipIf(cloud.skip)(cloud.title, () => {
  let vars: Record<string, string>
  beforeAll(() => {
    vars = Object.fromEntries(
      readFileSync(CLOUD_ENV, 'utf8')
        .split('\n')
        .filter((l) => l.includes('='))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)])
    )
  })

  /** The dev cloud's tempest.conf turned into openstack-ansible's default: dynamic admin credentials, no accounts file. */
  function osaStyleConf(): { dir: string; conf: string; text: string } {
    const dir = mkdtempSync(path.join(tmpdir(), 'osa-conf-'))
    mkdirSync(path.join(dir, 'etc'))
    mkdirSync(path.join(dir, 'log'))
    const text = readFileSync(vars.TEMPEST_CONF, 'utf8')
      .replace(/^use_dynamic_credentials = .*$/m, 'use_dynamic_credentials = True')
      .replace(/^test_accounts_file = .*\n/m, '')
      .replace(/^log_dir = .*$/m, 'log_dir = ../log') // relative, as configs in a workspace may have it
    const conf = path.join(dir, 'etc', 'tempest.conf')
    writeFileSync(conf, text)
    return { dir, conf, text }
  }

  it("(a) runs openstack-ansible's default config with its dynamic credentials; the admin openrc serves the CPID lookup only", async () => {
    const { dir, conf, text } = osaStyleConf()
    const workdir = path.join(dir, 'work')
    const started = Date.now()
    const prepared = await prepareTempestConf(target, {
      tempestConf: conf,
      openrc: vars.ADMIN_OPENRC,
      workdir
    })
    const prepareMs = Date.now() - started
    const copy = path.join(workdir, 'conf', 'tempest.conf')
    expect(prepared.path).toBe(copy)
    expect(prepared.credentials).toMatchObject({ kind: 'dynamic', admin: false })
    expect(readFileSync(conf, 'utf8')).toBe(text)
    expect(statSync(copy).mode & 0o777).toBe(0o600)
    expect(existsSync(path.join(workdir, 'conf', 'accounts.yaml'))).toBe(false)
    // Everything else kept: [identity] gains only refstack-client's user, [DEFAULT] the absolute log_dir.
    const original = parseTempestConf(text)
    const written = parseTempestConf(readFileSync(copy, 'utf8'))
    expect(written.identity).toEqual({
      ...original.identity,
      username: 'admin',
      password: expect.any(String),
      tenant_name: 'admin',
      domain_name: 'Default'
    })
    expect(written.DEFAULT).toEqual({ ...original.DEFAULT, log_dir: path.join(dir, 'log') })
    expect({ ...written, identity: {}, DEFAULT: {} }).toEqual({ ...original, identity: {}, DEFAULT: {} })
    expect(readAs('tempest', copy)).toMatchObject({ use_dynamic_credentials: true, test_accounts_file: null })

    const checked = await checkTempestConf(target, copy)
    expect(checked.accounts).toEqual([])

    // Tempest creates its own user for the test class; refstack-client's CPID comes from Keystone.
    const run = await refstackTest(copy, dir)
    expect(run.stderr).not.toContain('User credentials cannot be found')
    expect(run.code).toBe(0)
    expect(run.results?.results).toEqual([{ name: TEST, uuid: TEST_ID }])
    expect(run.results?.cpid).not.toBe(FALLBACK_CPID)
    console.info(`(a) prepare ${prepareMs} ms`)
  })

  it('(a) a config without accounts or dynamic credentials: an admin openrc turns them on, a member openrc is the account', async () => {
    const { dir, conf } = osaStyleConf()
    writeFileSync(
      conf,
      readFileSync(conf, 'utf8')
        .replace(/^use_dynamic_credentials = .*$/m, 'use_dynamic_credentials = false')
        .replace(/^admin_(username|password|project_name|domain_name) = .*\n/gm, '')
    )
    const admin = await prepareTempestConf(target, {
      tempestConf: conf,
      openrc: vars.ADMIN_OPENRC,
      workdir: path.join(dir, 'admin')
    })
    expect(admin.credentials).toMatchObject({ kind: 'dynamic', admin: false })
    expect(admin.note).toContain(
      `turns dynamic credentials on with user 'admin' of project 'admin' of ${vars.ADMIN_OPENRC} as Tempest's admin`
    )
    expect(readAs('tempest', admin.path)).toMatchObject({
      use_dynamic_credentials: true,
      test_accounts_file: null,
      admin_username: 'admin',
      admin_project_name: 'admin'
    })

    const member = await prepareTempestConf(target, {
      tempestConf: conf,
      openrc: vars.DEMO_OPENRC,
      workdir: path.join(dir, 'member')
    })
    const accounts = path.join(dir, 'member', 'conf', 'accounts.yaml')
    expect(member.credentials).toMatchObject({ kind: 'openrc-account', admin: false })
    expect(member.credentials.description).toContain("user 'demo' of project 'demo'")
    expect(statSync(accounts).mode & 0o777).toBe(0o600)
    expect(YAML.parse(readFileSync(accounts, 'utf8'))).toEqual([
      expect.objectContaining({
        username: 'demo',
        project_name: 'demo',
        project_domain_name: 'Default',
        roles: expect.arrayContaining(['member'])
      })
    ])
    expect(readAs('tempest', member.path)).toMatchObject({
      use_dynamic_credentials: false,
      test_accounts_file: accounts
    })
    expect(readAs('refstack-client', member.path)).toMatchObject({ username: 'demo', project_name: 'demo' })
  })

  it('names wrong credentials before anything runs', async () => {
    const { dir, conf } = osaStyleConf()
    const openrc = path.join(dir, 'openrc')
    writeFileSync(
      openrc,
      readFileSync(vars.DEMO_OPENRC, 'utf8').replace(/OS_PASSWORD='[^']*'/, "OS_PASSWORD='wrong'")
    )
    await expect(
      prepareTempestConf(target, { tempestConf: conf, openrc, workdir: path.join(dir, 'work') })
    ).rejects.toThrow(
      `Keystone at ${vars.KEYSTONE_URL} rejected the credentials of ${openrc} (user 'demo' of project 'demo'): HTTP 401`
    )
  })

  it('(c) generates tempest.conf offline from the openrc alone, and refstack-client runs with it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'generate-'))
    const workdir = path.join(dir, 'work')
    // With the compute side up the catalog has Glance, and python-tempestconf uploads the image it finds at its
    // offline path (it never downloads here): a small real qcow2 stands in for cirros.
    const compute = vars.PLATFORM_TEMPEST_CONF !== undefined
    if (compute) {
      mkdirSync(path.join(workdir, 'images'), { recursive: true })
      await promisify(execFile)('qemu-img', [
        'create',
        '-q',
        '-f',
        'qcow2',
        path.join(workdir, 'images', 'cirros-0.4.0-x86_64-disk.img'),
        '16M'
      ])
    }
    const started = Date.now()
    const prepared = await prepareTempestConf(target, { openrc: vars.DEMO_OPENRC, workdir })
    const generateMs = Date.now() - started
    const out = path.join(workdir, 'conf', 'tempest.conf')
    expect(prepared).toEqual({
      path: out,
      note: expect.stringMatching(/^tempest.conf generated on the runner with refstack-client config/),
      credentials: expect.objectContaining({ kind: 'openrc-account', admin: false })
    })
    expect(statSync(out).mode & 0o777).toBe(0o600)
    const conf = parseTempestConf(readFileSync(out, 'utf8'))
    expect(conf.auth).toMatchObject({
      use_dynamic_credentials: 'False',
      test_accounts_file: path.join(workdir, 'conf', 'accounts.yaml')
    })
    expect(conf.identity).toMatchObject({
      uri_v3: vars.KEYSTONE_URL,
      disable_ssl_certificate_validation: 'false'
    })
    const present = compute ? 'True' : 'False'
    expect(conf.service_available).toMatchObject({ swift: 'True', nova: present, glance: present })
    expect(conf['object-storage'].operator_role).toBe('member') // python-tempestconf wrote "Member"
    expect(conf.image.image_path).toBe(path.join(workdir, 'images', 'cirros-0.4.0-x86_64-disk.img')) // never downloaded
    expect(conf.identity.password).toBeUndefined() // credentials only in the accounts file
    expect(existsSync(path.join(workdir, 'conf', 'tempestconf', 'tempest.log'))).toBe(false) // its debug log holds the password

    const checked = await checkTempestConf(target, out)
    expect(checked.logFile).toBe(path.join(workdir, 'conf', 'logs', 'tempest.log'))
    const run = await refstackTest(out, dir)
    expect(run.code).toBe(0)
    expect(run.results?.results).toEqual([{ name: TEST, uuid: TEST_ID }])
    expect(run.results?.cpid).not.toBe(FALLBACK_CPID)
    console.info(`(c) generate ${generateMs} ms`)
  })

  it('(c) a failed generation is an ActionError with its last output lines', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'generate-'))
    // A Python that has the standard library (the Keystone check passes) but not refstack-client.
    const python = path.join(dir, 'python-without-site-packages')
    writeFileSync(python, '#!/bin/sh\nexec /usr/bin/python3 -S "$@"\n', { mode: 0o755 })
    const error = (await prepareTempestConf(target, {
      openrc: vars.DEMO_OPENRC,
      workdir: path.join(dir, 'work'),
      python
    }).catch((e: unknown) => e)) as { message: string; hint: string }
    expect(error.message).toMatch(
      new RegExp(
        `^Generating tempest.conf from ${vars.DEMO_OPENRC} with refstack-client config failed on the runner \\(exit 3\\):\nrefstack_client is not importable by /usr/bin/python3`
      )
    )
    expect(error.hint).toContain(`'tempest-conf'`)
  })
})
