/**
 * The bundled action over SSH to the loopback cloud's sshd, as an operator's runner reaches a utility host:
 * host key pinned, passphrase key, a connection cut mid-run, and a cancelled job.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { beforeAll, describe, expect, inject, it } from 'vitest'
// @ts-expect-error -- plain JavaScript helper shared with npm run demo
import { devCloudEnv, devCloudSshInputs, runAction } from '../../scripts/lib/run-action.mjs'
import { onceWhen, tempestFinished, tempestHasAResult } from './events.js'

const skip = inject('cloudSkipReason')

function pgrepChildren(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .map((line) => Number(line.trim()))
      .filter((n) => n > 0)
  } catch {
    return []
  }
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0)
    return true
  } catch {
    return false
  }
}

describe.skipIf(skip !== '')(`object program over SSH${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let cloud: Record<string, string>
  let sshInputs: Record<string, string>
  beforeAll(() => {
    cloud = devCloudEnv()
    sshInputs = {
      guideline: '2020.06',
      'guideline-source': 'bundled',
      program: 'object',
      'tempest-conf': cloud.TEMPEST_CONF,
      ...devCloudSshInputs(cloud, { passphrase: true }),
      'artifact-name': ''
    }
  })

  it('refuses a host key that is not pinned, showing the offered fingerprint and the fix', async () => {
    const result = await runAction({
      ...sshInputs,
      'ssh-known-hosts': `[${cloud.SSH_HOST}]:${cloud.SSH_PORT} ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEr1uCAiE0y7GZRpQKrvQ0l4E5ZE1FDCPUAhLm6VJjcR`
    })
    expect(result.code).toBe(1)
    const error = result.stdout.split('\n').find((line: string) => line.startsWith('::error::'))
    expect(error).toMatch(/SHA256:[A-Za-z0-9+/]{43}/)
    expect(error).toContain('ssh-known-hosts')
    expect(error).toContain(`ssh-keyscan -p ${cloud.SSH_PORT} ${cloud.SSH_HOST}`)
  })

  // A run that is not cut, over SSH with the same passphrase key and pinned host key, is compliant in
  // upload-secrets.test.ts (and scanned there for every secret): this run adds the cut.
  it('is compliant over SSH with a passphrase key and a pinned host key, and survives the connection being cut mid-run: reconnects, reattaches, and every result arrives', async () => {
    const sshdPid = Number(readFileSync(`${cloud.STATE_DIR}/run/sshd.pid`, 'utf8').trim())
    const before = new Set(pgrepChildren(sshdPid))
    // Cut every session sshd serves for the action once Tempest has its first result on the target (by pid,
    // only sessions it opened).
    let cut = 0
    const cutter = onceWhen(tempestHasAResult, () => {
      for (const pid of pgrepChildren(sshdPid)) {
        if (before.has(pid)) continue
        process.kill(pid, 'SIGKILL')
        cut++
      }
    })
    const result = await runAction(sshInputs, { onStdout: cutter.check })
    expect(cut).toBeGreaterThan(0)
    expect(tempestFinished(cutter.seen() ?? '')).toBe(false)
    expect(result.stdout).toContain(`Running on root@${cloud.SSH_HOST}:${cloud.SSH_PORT}`)
    expect(result.stdout).toContain('Lost the connection to root@')
    expect(result.stdout).toMatch(/Reconnected to root@.*following the run from byte \d+/)
    expect(result.code).toBe(0)
    expect(result.outputs).toMatchObject({ compliant: 'true', required: '58', passed: '58' })
    // The runner removes ::add-mask:: lines (how secrets are registered) and masks the values everywhere else.
    const log = result.stdout
      .split('\n')
      .filter((line: string) => !line.startsWith('::add-mask::'))
      .join('\n')
    expect(log).not.toContain(sshInputs['ssh-passphrase'])
  })

  it('a cancelled job stops the Tempest run on the target and leaves no process behind', async () => {
    // Cancelled once Tempest has its first result on the target.
    const firstResult = onceWhen(tempestHasAResult)
    const result = await runAction(sshInputs, { signalWhen: firstResult.check, signal: 'SIGINT' })
    expect(firstResult.seen()).toBeDefined()
    expect(result.stdout).toContain('The job is being cancelled; stopping the Tempest run')
    expect(result.code).not.toBe(0)
    expect(result.outputs.compliant).toBe('false')
    const pgid = Number(result.state['run-pid'])
    expect(pgid).toBeGreaterThan(1)
    expect(groupAlive(pgid)).toBe(false)
    expect(result.post.code).toBe(0)
  })

  it('when the runner kills the main step outright, the post step stops the run it left on the target', async () => {
    // SIGKILL: main cannot clean up; only the state it saved (its claim) is left for post.
    const firstResult = onceWhen(tempestHasAResult)
    const result = await runAction(sshInputs, { signalWhen: firstResult.check, signal: 'SIGKILL' })
    expect(firstResult.seen()).toBeDefined()
    expect(result.code).toBeNull()
    const pgid = Number(result.state['run-pid'])
    expect(pgid).toBeGreaterThan(1)
    expect(result.post.code).toBe(0)
    expect(result.post.stdout).toContain(
      `Stopped what was left running on root@${cloud.SSH_HOST}:${cloud.SSH_PORT}: ${result.state['run-dir']}`
    )
    // The keeper on the target stops the run in steps (SIGINT, then TERM, then KILL): wait for the group to end,
    // bounded far beyond those steps so that only a run that is never stopped fails here.
    const bound = Date.now() + 120_000
    while (groupAlive(pgid) && Date.now() < bound) await new Promise((r) => setTimeout(r, 500))
    expect(groupAlive(pgid)).toBe(false)
  })
})
