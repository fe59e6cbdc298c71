import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  checkTempestConf,
  confSecrets,
  confProblems,
  parseTempestConf,
  repeatedSectionProblems
} from '../../src/tempest/conf.js'
import { LocalTarget } from '../../src/target/local.js'
import { redact } from '../../src/secrets.js'

const FIXTURES = path.join(import.meta.dirname, '..', '..', '__fixtures__', 'real-run')
const target = new LocalTarget()

/** The real run's tempest.conf with its paths moved into a temp dir that exists. */
function realConf(edit: (text: string) => string = (t) => t): { dir: string; conf: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'tempest-conf-'))
  for (const sub of ['log', 'lock', 'etc']) mkdirSync(path.join(dir, sub))
  writeFileSync(
    path.join(dir, 'etc', 'accounts.yaml'),
    readFileSync(path.join(FIXTURES, 'accounts.yaml.sanitized'))
  )
  const text = readFileSync(path.join(FIXTURES, 'tempest.conf.sanitized'), 'utf8')
    .replace('/var/lib/refstack-real-cloud/log', path.join(dir, 'log'))
    .replace('/var/lib/refstack-real-cloud/tempest/lock', path.join(dir, 'lock'))
    .replace('/var/lib/refstack-real-cloud/tempest/etc/accounts.yaml', path.join(dir, 'etc', 'accounts.yaml'))
  const conf = path.join(dir, 'etc', 'tempest.conf')
  writeFileSync(conf, edit(text))
  return { dir, conf }
}

describe('tempest.conf checks', () => {
  it('accepts the real run configuration and finds its passwords and log file', async () => {
    const { dir, conf } = realConf()
    const checked = await checkTempestConf(target, conf)
    expect(checked.accountsFile).toBe(path.join(dir, 'etc', 'accounts.yaml'))
    expect(checked.logFile).toBe(path.join(dir, 'log', 'tempest.log'))
    expect(redact('<ADMIN_PASSWORD> <TEMPEST_USERS_PASSWORD>')).toBe('*** ***')
  })

  it('names a missing log_dir instead of letting Tempest bury it in a traceback', async () => {
    const { conf } = realConf((t) => t.replace(/log_dir = .*/, 'log_dir = /nonexistent/logs'))
    await expect(checkTempestConf(target, conf)).rejects.toThrow(
      "Input 'tempest-conf': [DEFAULT] log_dir = /nonexistent/logs is not a readable directory on the runner"
    )
  })

  it('names a missing accounts file and lock_path', async () => {
    const { conf } = realConf((t) =>
      t
        .replace(/test_accounts_file = .*/, 'test_accounts_file = /nonexistent/accounts.yaml')
        .replace(/lock_path = .*/, 'lock_path = /nonexistent/lock')
    )
    const error = await checkTempestConf(target, conf).catch((e: Error) => e)
    expect(error.message).toContain(
      '[auth] test_accounts_file = /nonexistent/accounts.yaml is not a readable file'
    )
    expect(error.message).toContain(
      '[oslo_concurrency] lock_path = /nonexistent/lock is not a readable directory'
    )
  })

  it('says what to do with a missing or unreadable file', async () => {
    const error = await checkTempestConf(target, '/nonexistent/tempest.conf').catch(
      (e: { message: string; hint: string }) => e
    )
    expect(error.message).toBe("Input 'tempest-conf': cannot read /nonexistent/tempest.conf on the runner")
    expect(error.hint).toContain('/opt/tempest_untagged/etc/tempest.conf')
  })

  // Its missing accounts are reported by prepareTempestConf (generate-conf.test.ts), which runs first.
  it('finds the admin password of the openstack-ansible default config', () => {
    const conf = parseTempestConf(
      '[auth]\nuse_dynamic_credentials = True\nadmin_password = s3cret\n[identity]\nuri_v3 = http://k:5000/v3\n'
    )
    expect(confSecrets(conf)).toEqual(['s3cret'])
  })

  it('wants the identity URI of the auth version in use', () => {
    const conf = parseTempestConf(
      '[auth]\ntest_accounts_file = a.yaml\n[identity]\nauth_version = v2\nuri_v3 = http://k/v3\n'
    )
    expect(confProblems(conf, 't.conf')).toEqual([
      't.conf has no [identity] uri: set it to the Keystone URL (e.g. https://keystone.example.com:5000/v3)'
    ])
  })

  it('reads passwords of an accounts file; a long number is one, a short one or a boolean never is', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tempest-conf-'))
    writeFileSync(
      path.join(dir, 'accounts.yaml'),
      "- username: a\n  password: 'x y'\n- username: b\n  password: 12345678\n- username: c\n  password: 1234\n- username: d\n  password: false\n- username: e\n"
    )
    const conf = path.join(dir, 'tempest.conf')
    writeFileSync(conf, '[auth]\ntest_accounts_file = accounts.yaml\n[identity]\nuri_v3 = http://k/v3\n')
    await checkTempestConf(target, conf)
    expect(redact("'x y', 12345678, 1234, false, e")).toBe("'***', ***, 1234, false, e")
  })
})

describe('repeatedSectionProblems', () => {
  it("names a section refstack-client's configparser would refuse, once", () => {
    const text =
      '[auth]\na = 1\n[identity-feature-enabled]\napi_v3 = true\n[identity-feature-enabled]\nchange_password = false\n[identity-feature-enabled]\n'
    expect(repeatedSectionProblems(text, 't.conf')).toEqual([
      "t.conf has the section [identity-feature-enabled] more than once, which refstack-client's configparser refuses (DuplicateSectionError): merge them into one"
    ])
    expect(repeatedSectionProblems('[a]\n[b]\n', 't.conf')).toEqual([])
  })
})
