/**
 * The bundled action on an SSH target (a real OpenSSH server on 127.0.0.1, helpers/sshd.ts) running a stub
 * refstack-client: a PKCS#8 key (what `ssh-keygen -m PKCS8` writes, which OpenSSH accepts) logs in, and the
 * lines the remote host prints issue no workflow command on the runner.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
// @ts-expect-error -- plain JavaScript helper shared with npm run demo
import { runAction } from '../../scripts/lib/run-action.mjs'
import { type Sshd, skipUnlessAvailable, sshdUnavailableReason, startSshd } from '../helpers/sshd.js'
import { effectiveCommands, stubInputs, stubRefstackClient } from './harness.js'

const available = skipUnlessAvailable(sshdUnavailableReason(), 'SSH target with hostile output')

describe.skipIf(available.skip)(available.title, () => {
  let sshd: Sshd | undefined
  let pkcs8Key = ''

  beforeAll(async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'pkcs8-key-')), 'id_rsa')
    execFileSync('ssh-keygen', ['-q', '-t', 'rsa', '-b', '3072', '-m', 'PKCS8', '-N', '', '-f', file])
    pkcs8Key = readFileSync(file, 'utf8')
    sshd = await startSshd({ authorizedKeys: readFileSync(`${file}.pub`, 'utf8') })
  })

  afterAll(async () => {
    await sshd?.stop()
  })

  it('a PKCS#8 key logs in, and the remote lines are shown but issue no command', async () => {
    expect(pkcs8Key).toContain('-----BEGIN PRIVATE KEY-----')
    const run = stubRefstackClient(
      ['echo "::error::injected by the remote host"', 'echo "::add-mask::public"'].join('\n')
    )
    const server = sshd as Sshd
    const result = await runAction({
      ...stubInputs(run),
      'ssh-host': server.host,
      'ssh-port': String(server.port),
      'ssh-user': server.username,
      'ssh-private-key': pkcs8Key,
      'ssh-known-hosts': server.hostKeyLine
    })
    expect(result.stdout).toContain(`Running on ${server.username}@127.0.0.1:${server.port}`)
    expect(result.code, result.stdout).toBe(0)
    expect(result.stdout).toContain('::error::injected by the remote host')
    expect(
      effectiveCommands(result.stdout).filter((line) => /injected|::add-mask::public/.test(line))
    ).toEqual([])
  })

  it("the runner's inputs and tokens do not reach remote commands; a FIFO as tempest-conf is an error, not a hang", async () => {
    const run = stubRefstackClient('')
    const server = sshd as Sshd
    const inputs = {
      ...stubInputs(run),
      'ssh-host': server.host,
      'ssh-port': String(server.port),
      'ssh-user': server.username,
      'ssh-private-key': pkcs8Key,
      'ssh-known-hosts': server.hostKeyLine,
      'upload-key': 'UPLOAD-KEY-SECRET'
    }
    const result = await runAction(inputs, { env: { ACTIONS_RUNTIME_TOKEN: 'RUNTIME-TOKEN-SECRET' } })
    expect(result.code, result.stdout).toBe(0)
    const env = readFileSync(run.envDump, 'utf8')
    expect(env).not.toMatch(/^INPUT_|UPLOAD-KEY-SECRET|RUNTIME-TOKEN-SECRET/m)

    const fifo = path.join(run.dir, 'tempest.fifo')
    execFileSync('mkfifo', [fifo])
    const hung = await runAction(
      { ...inputs, 'tempest-conf': fifo },
      { signalAfterMs: 60_000, signal: 'SIGKILL' }
    )
    expect(hung.code).toBe(1)
    expect(hung.stdout).toContain(`::error::Input 'tempest-conf': cannot read ${fifo} on`)
  })
})
