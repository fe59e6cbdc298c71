/** Inputs that reach git or the network cannot turn into options or plain-text traffic. */
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
// @ts-expect-error -- plain JavaScript helper shared with npm run demo
import { runAction } from '../../scripts/lib/run-action.mjs'

const bundled = {
  guideline: '2020.06',
  'guideline-source': 'bundled',
  program: 'object',
  'artifact-name': ''
}

/** A bin directory whose `git` records its arguments (one per line, a blank line after each call) and fails. */
function recordingGit(): { bin: string; calls: () => string[][] } {
  const dir = mkdtempSync(path.join(tmpdir(), 'git-stub-'))
  const log = path.join(dir, 'calls')
  writeFileSync(log, '')
  writeFileSync(
    path.join(dir, 'git'),
    `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a"; done >> '${log}'\necho >> '${log}'\nexit 1\n`
  )
  chmodSync(path.join(dir, 'git'), 0o755)
  const calls = (): string[][] =>
    readFileSync(log, 'utf8')
      .split('\n\n')
      .filter((call) => call.trim() !== '')
      .map((call) => call.trim().split('\n'))
  return { bin: dir, calls }
}

function gitRun(repo: string, bin: string): Promise<{ code: number; stdout: string }> {
  const workdir = mkdtempSync(path.join(tmpdir(), 'git-workdir-'))
  // The target's tempest.conf is checked before provisioning: a readable one lets the run reach git.
  const tempestConf = path.join(workdir, 'tempest.conf')
  writeFileSync(tempestConf, '[DEFAULT]\n')
  return runAction(
    {
      ...bundled,
      install: 'git',
      workdir,
      'tempest-conf': tempestConf,
      'refstack-client-repo': repo
    },
    { env: { PATH: `${bin}:/usr/bin:/bin` } }
  )
}

describe('inputs that reach git', () => {
  it('refstack-client-repo starting with "-" is refused before git sees it', async () => {
    const git = recordingGit()
    const marker = path.join(mkdtempSync(path.join(tmpdir(), 'marker-')), 'ran')
    const result = await gitRun(`--upload-pack=touch ${marker};`, git.bin)
    expect(result.code).toBe(1)
    expect(result.stdout).toContain("::error::Input 'refstack-client-repo' cannot start with '-'")
    expect(
      git
        .calls()
        .flat()
        .some((arg) => arg.startsWith('--upload-pack'))
    ).toBe(false)
    expect(existsSync(marker)).toBe(false)
  })

  it('the repository reaches git clone after "--"', async () => {
    const git = recordingGit()
    const result = await gitRun('https://git.invalid/refstack-client', git.bin)
    expect(result.code).toBe(1)
    const clone = git.calls().find((call) => call[0] === 'clone')
    expect(clone?.slice(0, 4)).toEqual(['clone', '--quiet', '--', 'https://git.invalid/refstack-client'])
  })

  it('refstack-client-ref starting with "-" is refused', async () => {
    const result = await runAction({ ...bundled, 'dry-run': 'true', 'refstack-client-ref': '--orphan=x' })
    expect(result.code).toBe(1)
    expect(result.stdout).toContain("::error::Input 'refstack-client-ref' cannot start with '-'")
  })
})

describe('refstack-server', () => {
  it('plain http:// to a remote host is refused', async () => {
    const result = await runAction({
      ...bundled,
      'dry-run': 'true',
      'refstack-server': 'http://refstack.example.com/api'
    })
    expect(result.code).toBe(1)
    expect(result.stdout).toContain(
      "::error::Input 'refstack-server' must be an https:// URL (got 'http://refstack.example.com/api')"
    )
  })

  it('a host name that only starts like a loopback address is not loopback', async () => {
    const result = await runAction({
      ...bundled,
      'dry-run': 'true',
      'refstack-server': 'http://127.0.0.1.example.com/api'
    })
    expect(result.code).toBe(1)
  })

  it('http:// on a loopback address is accepted (a test server on the runner)', async () => {
    const result = await runAction({
      ...bundled,
      'dry-run': 'true',
      'refstack-server': 'http://127.0.0.1:9/api'
    })
    expect(result.code, result.stdout).toBe(0)
  })
})
