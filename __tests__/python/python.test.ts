/**
 * The tests of the Python programs (src/python/*.py), run with the target's Python (Debian's /usr/bin/python3
 * and its pytest), with the loopback cloud's Keystone when it runs.
 */
import { spawnSync } from 'node:child_process'
import { describe, expect, inject, it } from 'vitest'
// @ts-expect-error -- plain JavaScript helper shared with npm run demo
import { devCloudEnv } from '../../scripts/lib/run-action.mjs'

const skip = inject('cloudSkipReason')

describe('src/python', () => {
  it('passes its pytest suite (__tests__/python)', () => {
    const cloud: Record<string, string> = skip === '' ? devCloudEnv() : {}
    const run = spawnSync(
      '/usr/bin/python3',
      ['-m', 'pytest', '-q', '-rs', '-p', 'no:cacheprovider', '__tests__/python'],
      {
        encoding: 'utf8',
        env: {
          ...process.env,
          PYTHONDONTWRITEBYTECODE: '1',
          ...(cloud.KEYSTONE_URL
            ? { KEYSTONE_URL: cloud.KEYSTONE_URL, ACCOUNTS_FILE: cloud.ACCOUNTS_FILE }
            : {})
        }
      }
    )
    if (run.status !== 0) console.log(run.stdout, run.stderr)
    expect(run.status).toBe(0)
    if (skip !== '') console.log(`Keystone tests skipped: ${skip}`)
  })
})
