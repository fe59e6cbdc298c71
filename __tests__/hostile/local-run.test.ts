/**
 * The bundled action run on the runner against a stub refstack-client: the runner's secrets stay out of the
 * tools' environment, the target's output issues no workflow command, and secrets are masked whole and
 * redacted from the logs kept for the artifact.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
// @ts-expect-error -- plain JavaScript helper shared with npm run demo
import { runAction } from '../../scripts/lib/run-action.mjs'
import { effectiveCommands, stubInputs, stubRefstackClient } from './harness.js'

interface ActionRun {
  code: number
  stdout: string
  stderr: string
  outputs: Record<string, string>
  dir: string
}

describe('a local run with a stub refstack-client', () => {
  it("children on the runner get neither the step's inputs nor the runner's tokens", async () => {
    const run = stubRefstackClient('')
    const result = (await runAction(
      { ...stubInputs(run), 'upload-key': 'UPLOAD-KEY-SECRET' },
      {
        env: {
          ACTIONS_RUNTIME_TOKEN: 'RUNTIME-TOKEN-SECRET',
          ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'ID-TOKEN-SECRET',
          GITHUB_TOKEN: 'GITHUB-TOKEN-SECRET',
          LC_ALL: 'C.UTF-8',
          https_proxy: 'http://proxy.invalid:3128'
        }
      }
    )) as ActionRun
    expect(result.code, result.stdout).toBe(0)
    const env = readFileSync(run.envDump, 'utf8')
    for (const secret of [
      'UPLOAD-KEY-SECRET',
      'RUNTIME-TOKEN-SECRET',
      'ID-TOKEN-SECRET',
      'GITHUB-TOKEN-SECRET'
    ])
      expect(env).not.toContain(secret)
    expect(env).not.toMatch(/^INPUT_/m)
    expect(env).not.toMatch(/^(ACTIONS|GITHUB)_/m)
    // What the tools need is still there.
    expect(env).toMatch(/^PATH=/m)
    expect(env).toContain('LC_ALL=C.UTF-8\n')
    expect(env).toContain('https_proxy=http://proxy.invalid:3128\n')
  })

  it('lines the target prints issue no workflow command', async () => {
    const run = stubRefstackClient(
      [
        'echo "::warning::injected by the target"',
        'echo "::add-mask::public"',
        'echo "::stop-commands::guessed"',
        'echo "::error::injected after a guessed stop"',
        'echo "::guessed::"',
        'echo "::error file=x::injected at the end"'
      ].join('\n')
    )
    const result = (await runAction(stubInputs(run))) as ActionRun
    expect(result.code, result.stdout).toBe(0)
    // The lines are shown …
    expect(result.stdout).toContain('::warning::injected by the target')
    // … but none reaches the runner as a command.
    expect(
      effectiveCommands(result.stdout).filter((line) => /injected|::add-mask::public/.test(line))
    ).toEqual([])
    // The action's own commands still work after the target's output.
    expect(effectiveCommands(result.stdout).some((line) => line.startsWith('::endgroup::'))).toBe(true)
  })

  it('a tempest.conf password with ; and # is masked whole, and redacted from the logs kept for the artifact', async () => {
    const run = stubRefstackClient(
      ['echo "auth as admin with pa;ss#word failed"', 'echo "upload key: line-two-of-key"'].join('\n'),
      'admin_password = pa;ss#word'
    )
    const result = (await runAction({
      ...stubInputs(run),
      'upload-key': 'ssh-rsa line-one-of-key\nline-two-of-key\n'
    })) as ActionRun
    expect(result.code, result.stdout).toBe(0)
    expect(result.stdout).toContain('::add-mask::pa;ss#word')
    expect(result.stdout).toContain('::add-mask::line-two-of-key')
    const log = readFileSync(
      path.join(result.dir, 'runner-temp', 'refstack-action-1-1', 'refstack-client.log'),
      'utf8'
    )
    expect(log).toContain('auth as admin with')
    expect(log).not.toContain('pa;ss#word')
    expect(log).not.toContain('line-two-of-key')
    expect(log).toContain('***')
  })
})
