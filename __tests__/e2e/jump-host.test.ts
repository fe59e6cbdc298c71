/**
 * The bundled action through a bastion (`ssh-jump-host`): a second real sshd (__tests__/helpers/sshd.ts)
 * in front of the loopback cloud's sshd. The bastion runs with a private /etc/hosts that names the target
 * `utility-internal`, a name the runner cannot resolve — like a utility host on a private network — so a
 * passing run proves every byte went through the jump host. One key (the dev cloud's passphrase key) is
 * authorized on both; both host keys are pinned in `ssh-known-hosts`.
 *
 * Real runs share one cloud and one set of test accounts: run this file under the lock,
 * `flock /tmp/refstack-dev-cloud.lock npx vitest run --project e2e __tests__/e2e/jump-host.test.ts`.
 */
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
// @ts-expect-error -- plain JavaScript helper shared with npm run demo
import { devCloudEnv, runAction } from '../../scripts/lib/run-action.mjs'
import {
  childPids,
  skipUnlessAvailable,
  sshdUnavailableReason,
  startSshd,
  type Sshd
} from '../helpers/sshd.js'
import { onceWhen, tempestFinished, tempestHasAResult } from './events.js'

const PRIVATE_NAME = 'utility-internal'
const cloudSkip = inject('cloudSkipReason')
const gate = skipUnlessAvailable(
  cloudSkip !== '' ? cloudSkip : sshdUnavailableReason(),
  'the bundled action through an SSH jump host'
)

describe.skipIf(gate.skip)(gate.title, () => {
  let cloud: Record<string, string>
  let bastion: Sshd
  let inputs: Record<string, string>
  let targetKnownHost: string

  beforeAll(async () => {
    cloud = devCloudEnv()
    bastion = await startSshd({
      authorizedKeys: readFileSync(`${cloud.SSH_KEY_WITH_PASSPHRASE}.pub`, 'utf8'),
      extraHosts: { [PRIVATE_NAME]: cloud.SSH_HOST as string }
    })
    const hostKey = readFileSync(`${cloud.STATE_DIR}/ssh/ssh_host_ed25519_key.pub`, 'utf8')
      .trim()
      .split(/\s+/)
    targetKnownHost = `[${PRIVATE_NAME}]:${cloud.SSH_PORT} ${hostKey[0]} ${hostKey[1]}`
    inputs = {
      guideline: '2020.06',
      'guideline-source': 'bundled',
      program: 'object',
      'tempest-conf': cloud.TEMPEST_CONF as string,
      'ssh-host': PRIVATE_NAME,
      'ssh-port': cloud.SSH_PORT as string,
      'ssh-user': 'root',
      'ssh-private-key': readFileSync(cloud.SSH_KEY_WITH_PASSPHRASE as string, 'utf8'),
      'ssh-passphrase': readFileSync(cloud.SSH_KEY_PASSPHRASE_FILE as string, 'utf8'),
      'ssh-jump-host': `root@${bastion.host}:${bastion.port}`,
      'ssh-known-hosts': `${bastion.hostKeyLine}\n${targetKnownHost}\n`,
      'artifact-name': ''
    }
  })

  afterAll(async () => {
    await bastion?.stop()
  })

  function errorLine(stdout: string): string {
    return stdout.split('\n').find((line) => line.startsWith('::error::')) ?? ''
  }

  it(`the runner itself cannot reach ${PRIVATE_NAME}`, async () => {
    const result = await runAction({ ...inputs, 'ssh-jump-host': '' })
    expect(result.code).toBe(1)
    expect(errorLine(result.stdout)).toContain(`Cannot resolve the SSH host name '${PRIVATE_NAME}'`)
  })

  // One real run through the jump host feeds the two tests below: once Tempest has its first result on the target,
  // the bastion ends every session it serves for the action (its own children only), and the run must reconnect.
  let dropped:
    { result: Awaited<ReturnType<typeof runAction>>; cut: number; seen: string | undefined } | undefined
  async function runDroppingSessions() {
    if (dropped !== undefined) return dropped
    const before = new Set(childPids(bastion.pid))
    let cut = 0
    const cutter = onceWhen(tempestHasAResult, () => {
      for (const pid of childPids(bastion.pid)) {
        if (before.has(pid)) continue
        process.kill(pid, 'SIGKILL')
        cut++
      }
    })
    const started = Date.now()
    const result = await runAction(inputs, { onStdout: cutter.check })
    console.log(`through the jump host: ${Math.round((Date.now() - started) / 1000)} s`)
    dropped = { result, cut, seen: cutter.seen() }
    return dropped
  }

  it('is compliant through the jump host, both host keys pinned, one passphrase key on both hops', async () => {
    const { result } = await runDroppingSessions()
    expect(result.stdout).toContain(
      `Running on root@${PRIVATE_NAME}:${cloud.SSH_PORT} via root@127.0.0.1:${bastion.port}`
    )
    expect(result.stdout).not.toContain('::error')
    // The only warnings are the dropped sessions' (the next test).
    const warnings = result.stdout.split('\n').filter((line: string) => line.startsWith('::warning'))
    for (const warning of warnings) expect(warning).toContain('Lost the connection to')
    expect(result.code).toBe(0)
    expect(result.outputs).toMatchObject({ compliant: 'true', required: '58', passed: '58', failed: '0' })
    expect(result.stdout).toMatch(/59\/59 tests: 59 passed, 0 failed, 0 skipped/)
    expect(bastion.log()).toMatch(/Accepted publickey for root from 127\.0\.0\.1/)
    // The passphrase appears only where the action asks the runner to mask it.
    const unmasked = result.stdout.split('\n').filter((line: string) => !line.startsWith('::add-mask::'))
    expect(unmasked.join('\n')).not.toContain(inputs['ssh-passphrase'])
    expect(result.stdout).toContain(`::add-mask::${inputs['ssh-passphrase']}`)
    expect(result.post.code).toBe(0)
  })

  it('survives the bastion dropping every session mid-run: reconnects through it and gets every result', async () => {
    const { result, cut, seen } = await runDroppingSessions()
    expect(cut).toBeGreaterThan(0)
    expect(tempestFinished(seen ?? '')).toBe(false)
    expect(result.stdout).toContain(
      `Lost the connection to root@${PRIVATE_NAME}:${cloud.SSH_PORT} via root@127.0.0.1:${bastion.port}`
    )
    expect(result.stdout).toMatch(
      /Reconnected to root@utility-internal:\d+ via .*following the run from byte \d+/
    )
    expect(result.code).toBe(0)
    expect(result.outputs).toMatchObject({ compliant: 'true', passed: '58' })
  })

  it('refuses a jump host whose key is not pinned, naming the jump host and its fingerprint', async () => {
    const result = await runAction({ ...inputs, 'ssh-known-hosts': `${targetKnownHost}\n` })
    expect(result.code).toBe(1)
    const error = errorLine(result.stdout)
    expect(error).toContain(`SSH jump host 127.0.0.1:${bastion.port}`)
    expect(error).toContain(bastion.hostKeyFingerprint)
    expect(result.stdout).not.toContain('Running on')
  })

  it('refuses a target whose key is not pinned, and says to scan it on the jump host', async () => {
    const result = await runAction({ ...inputs, 'ssh-known-hosts': `${bastion.hostKeyLine}\n` })
    expect(result.code).toBe(1)
    const error = errorLine(result.stdout)
    expect(error).toContain(`SSH host ${PRIVATE_NAME}:${cloud.SSH_PORT}`)
    expect(error).toContain(`ssh-keyscan -p ${cloud.SSH_PORT} ${PRIVATE_NAME}\` on the jump host`)
    expect(result.stdout).not.toContain('Running on')
  })
})
