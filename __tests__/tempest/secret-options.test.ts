/**
 * The secret options the action masks are Tempest's own: the committed list equals what the installed Tempest
 * (Debian's python3-tempest) marks secret, and nothing but those options' values is masked.
 */
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { confSecrets, parseTempestConf } from '../../src/tempest/conf.js'
import { TEMPEST_SECRET_OPTIONS } from '../../src/tempest/secret-options.js'

const tempest = spawnSync('/usr/bin/python3', ['-c', 'import tempest.config'], { cwd: '/' }).status === 0
if (!tempest && process.env.CI === 'true') throw new Error('python3-tempest is needed under CI=true')

describe('secret options', () => {
  it.skipIf(!tempest)("are the options Tempest's oslo.config marks secret", () => {
    const run = spawnSync('/usr/bin/python3', [path.join(import.meta.dirname, 'list-secret-options.py')], {
      encoding: 'utf8',
      cwd: '/'
    })
    expect(run.status, run.stderr).toBe(0)
    expect(JSON.parse(run.stdout)).toEqual(TEMPEST_SECRET_OPTIONS.map(([s, o]) => [s, o]))
  })

  it('mask the values of secret options only: never a feature flag named like a password', () => {
    const conf = parseTempestConf(
      [
        '[auth]',
        'admin_password = s3cret',
        'admin-username = admin',
        '[identity]',
        'password = cpid-pass',
        '[identity-feature-enabled]',
        'change_password = false',
        '[validation]',
        'image_ssh_password = gocubsgo',
        'image_alt_ssh_password =',
        '[object-storage]',
        'reseller_admin_password = true',
        ''
      ].join('\n')
    )
    expect(confSecrets(conf)).toEqual(['s3cret', 'cpid-pass', 'gocubsgo'])
  })
})
