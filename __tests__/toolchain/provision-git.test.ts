/**
 * install: git — a real clone of a local repository at a pinned ref, and its setup_env run with the right flags.
 * The real setup_env needs PyPI and opendev.org, which these machines cannot reach: the repository here carries
 * a setup_env that records its arguments and lays out what the real one leaves (.venv, .tempest).
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Config } from '../../src/config.js'
import { provision } from '../../src/toolchain/provision.js'
import { LocalTarget } from '../../src/target/local.js'

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
    cwd,
    encoding: 'utf8'
  }).trim()

function repository(setupEnv: string): { repo: string; pinned: string } {
  const repo = mkdtempSync(path.join(tmpdir(), 'refstack-client-repo-'))
  git(repo, 'init', '-q')
  writeFileSync(path.join(repo, 'setup_env'), setupEnv, { mode: 0o755 })
  git(repo, 'add', 'setup_env')
  git(repo, 'commit', '-qm', 'pinned')
  const pinned = git(repo, 'rev-parse', 'HEAD')
  writeFileSync(path.join(repo, 'setup_env'), '#!/bin/sh\necho "not the pinned commit" >&2\nexit 9\n', {
    mode: 0o755
  })
  git(repo, 'commit', '-qam', 'newer')
  return { repo, pinned }
}

function config(repo: string, ref: string, workdir: string): Config {
  return {
    install: 'git',
    refstackClientRepo: repo,
    refstackClientRef: ref,
    tempestVersion: '33.0.0',
    workdir
  } as Config
}

describe('install: git', () => {
  it('clones the repository at the pinned ref and runs setup_env -q -p 3 -t <tempest-version> in it', async () => {
    const { repo, pinned } = repository(
      '#!/bin/sh\nprintf "%s\\n" "$@" > args.txt\nmkdir -p .venv/bin .tempest/.venv/bin\nprintf "#!/bin/sh\\n" > .venv/bin/refstack-client\nchmod +x .venv/bin/refstack-client\n'
    )
    const workdir = mkdtempSync(path.join(tmpdir(), 'workdir-'))
    const toolchain = await provision(new LocalTarget(), config(repo, pinned, workdir))
    const checkout = path.join(workdir, 'refstack-client')
    expect(git(checkout, 'rev-parse', 'HEAD')).toBe(pinned)
    expect(readFileSync(path.join(checkout, 'args.txt'), 'utf8').split('\n')).toEqual([
      '-q',
      '-p',
      '3',
      '-t',
      '33.0.0',
      ''
    ])
    expect(toolchain).toEqual({
      refstackClient: path.join(checkout, '.venv/bin/refstack-client'),
      tempestDir: path.join(checkout, '.tempest'),
      python: path.join(checkout, '.tempest/.venv/bin/python'),
      clientPython: path.join(checkout, '.venv/bin/python'),
      origin: 'git',
      version: `git ${pinned.slice(0, 12)}`,
      // This setup_env makes no tempest executable: its Python cannot be asked for a version.
      tempest: {
        executable: path.join(checkout, '.tempest/.venv/bin/tempest'),
        python: path.join(checkout, '.tempest/.venv/bin/python'),
        version: 'unknown',
        workspace: path.join(checkout, '.tempest'),
        owner: 'refstack-client'
      },
      installed: `refstack-client ${pinned} in ${checkout}, with Tempest unknown from its setup_env`
    })
  })

  it("reports setup_env's failure with its last output lines and what to do", async () => {
    const { repo, pinned } = repository(
      '#!/bin/sh\nfor i in $(seq 1 30); do echo "step $i"; done\necho "pip: Could not find a version that satisfies the requirement" >&2\nexit 3\n'
    )
    const workdir = mkdtempSync(path.join(tmpdir(), 'workdir-'))
    const error = await provision(new LocalTarget(), config(repo, pinned, workdir)).catch(
      (e: { message: string; hint: string }) => e
    )
    expect(error.message).toContain(
      "refstack-client's setup_env failed on the runner (exit 3); its last lines:"
    )
    expect(error.message).toContain('step 30')
    expect(error.message).toContain('Could not find a version')
    expect(error.message).not.toContain('step 5\n')
    expect(error.hint).toContain('PyPI and opendev.org')
  })

  it('names the inputs when the ref does not exist', async () => {
    const { repo } = repository('#!/bin/sh\n')
    const workdir = mkdtempSync(path.join(tmpdir(), 'workdir-'))
    const error = await provision(new LocalTarget(), config(repo, 'no-such-ref', workdir)).catch(
      (e: { message: string; hint: string }) => e
    )
    expect(error.message).toContain("'git -C' failed on the runner")
    expect(error.hint).toContain("'refstack-client-repo' and 'refstack-client-ref'")
  })
})

describe('a warm run', () => {
  it('reuses the checkout made from the same ref (no clone, no setup_env), and says it was provisioned before', async () => {
    // setup_env runs in the checkout (<workdir>/refstack-client): it counts its runs next to it, in the workdir.
    const { repo, pinned } = repository(
      '#!/bin/sh\necho run >> ../setup-env-runs\nmkdir -p .venv/bin .tempest/.venv/bin\nprintf "#!/bin/sh\\n" > .venv/bin/refstack-client\nchmod +x .venv/bin/refstack-client\n'
    )
    const workdir = mkdtempSync(path.join(tmpdir(), 'workdir-'))
    const count = path.join(workdir, 'setup-env-runs')
    await provision(new LocalTarget(), config(repo, pinned, workdir))
    const again = await provision(new LocalTarget(), config(repo, pinned, workdir))
    expect(again.refstackClient).toBe(path.join(workdir, 'refstack-client/.venv/bin/refstack-client'))
    expect(readFileSync(count, 'utf8')).toBe('run\n')
    expect(readFileSync(path.join(workdir, 'provisioned'), 'utf8')).toMatch(
      new RegExp(`^git ${pinned} ${pinned.slice(0, 12)} \\d{4}-.* tempest=33\\.0\\.0$`, 'm')
    )
    // Another tempest-version is another toolchain: installed again, with auto as with git.
    await provision(new LocalTarget(), { ...config(repo, pinned, workdir), tempestVersion: '34.0.0' })
    expect(readFileSync(count, 'utf8')).toBe('run\nrun\n')
    await provision(new LocalTarget(), {
      ...config(repo, pinned, workdir),
      install: 'auto',
      tempestVersion: '35.0.0'
    })
    expect(readFileSync(count, 'utf8')).toBe('run\nrun\nrun\n')
    await provision(new LocalTarget(), {
      ...config(repo, pinned, workdir),
      install: 'auto',
      tempestVersion: '35.0.0'
    })
    expect(readFileSync(count, 'utf8')).toBe('run\nrun\nrun\n')
  })
})
