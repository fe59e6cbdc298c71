/**
 * parseTempestConf against oslo.config's own parser (Debian's python3-oslo.config): the values Tempest and
 * refstack-client read are the values the action masks and checks.
 */
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { confSecrets, parseTempestConf } from '../../src/tempest/conf.js'

const PYTHON = '/usr/bin/python3'
const SCRIPT = path.join(import.meta.dirname, 'oslo-ini.py')

function osloReads(text: string): unknown {
  const run = spawnSync(PYTHON, [SCRIPT], { input: text, encoding: 'utf8' })
  if (run.status !== 0) throw new Error(run.stderr)
  return JSON.parse(run.stdout)
}

const available = spawnSync(PYTHON, ['-c', 'import oslo_config.iniparser']).status === 0
if (!available && process.env.CI === 'true') throw new Error('python3-oslo.config is needed under CI=true')

const TRICKY = [
  '# a comment line',
  '; another comment line',
  '[DEFAULT]',
  'log_dir = /var/log/tempest',
  '',
  '[auth]',
  'admin_password = pa;ss#word',
  'admin_username: admin',
  'test_accounts_file=/etc/tempest/accounts.yaml',
  "quoted = 'with spaces '",
  'url = http://k:5000/v3',
  'multi = first line',
  '  second line',
  '\tthird line',
  'empty =',
  'admin_password = the last one wins ; not a comment',
  '',
  '[identity]',
  'uri_v3 = "http://keystone:5000/v3"   ',
  'password = #not-a-comment',
  'key: value = with equals',
  'key2 = value: with colon',
  ''
].join('\n')

describe.skipIf(!available)('tempest.conf as oslo.config reads it', () => {
  it('reads the same sections, keys and values as oslo_config.iniparser', () => {
    expect(parseTempestConf(TRICKY)).toEqual(osloReads(TRICKY))
  })

  it('keeps ; and # inside a password, so it is masked whole', () => {
    const conf = parseTempestConf(TRICKY)
    expect(conf.auth.admin_password).toBe('the last one wins ; not a comment')
    expect(confSecrets(conf)).toEqual(['the last one wins ; not a comment', '#not-a-comment'])
  })
})
if (!available) describe('tempest.conf as oslo.config reads it', () => it.skip('needs python3-oslo.config'))
