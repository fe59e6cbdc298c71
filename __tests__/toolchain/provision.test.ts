import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import type { Config } from '../../src/config.js'
import {
  existingToolchain,
  markerTempest,
  operatorTempest,
  parseProbe,
  provision,
  workspaceCandidates
} from '../../src/toolchain/provision.js'
import { LocalTarget } from '../../src/target/local.js'
import type { ExecOptions } from '../../src/target/target.js'

describe('probe decisions', () => {
  it('uses Debian refstack-client with its fixed /var/lib/tempest workspace', () => {
    const probe = parseProbe(
      'path=/usr/bin/refstack-client\ngit=\ngitcommit=\ndebian-workspace=yes\ndpkg=0.0.0~2021.08.18-5\napt=/usr/bin/apt-get\ntempest=/usr/bin/tempest\n'
    )
    expect(existingToolchain(probe, '/w')).toEqual({
      refstackClient: '/usr/bin/refstack-client',
      tempestDir: '/var/lib/tempest',
      python: '/usr/bin/python3',
      clientPython: '/usr/bin/python3',
      origin: 'existing',
      version: 'deb 0.0.0~2021.08.18-5'
    })
  })

  it('prefers a git checkout in the workdir, whose Tempest lives in .tempest', () => {
    const probe = parseProbe(
      'path=\ngit=/w/refstack-client/.venv/bin/refstack-client\ngitcommit=eb3c6d4957253cee8488e227a85863f2e58f6b77\n'
    )
    expect(existingToolchain(probe, '/w')).toMatchObject({
      tempestDir: '/w/refstack-client/.tempest',
      version: 'git eb3c6d495725'
    })
  })

  it('does not use a Debian refstack-client without its Tempest workspace', () => {
    expect(
      existingToolchain(parseProbe('path=/usr/bin/refstack-client\ndebian-workspace=\n'), '/w')
    ).toBeUndefined()
  })
})

/** A runner whose PATH has the basic tools but no refstack-client, git or apt-get. */
class BareRunner extends LocalTarget {
  constructor(private readonly bin: string) {
    super()
  }
  exec(argv: readonly string[], options: ExecOptions = {}) {
    return super.exec(argv, { ...options, env: { ...options.env, PATH: this.bin } })
  }
}

function bareBin(): string {
  const bin = path.join(mkdtempSync(path.join(tmpdir(), 'bare-')), 'bin')
  mkdirSync(bin)
  for (const tool of ['sh', 'cat', 'dpkg-query'])
    symlinkSync(`/usr/bin/${tool === 'sh' ? 'dash' : tool}`, path.join(bin, tool))
  return bin
}

describe('provision', () => {
  it("with install 'none' and no refstack-client says so and what to set", async () => {
    const config = { install: 'none', workdir: '/nonexistent/w' } as Config
    const error = await provision(new BareRunner(bareBin()), config).catch(
      (e: { message: string; hint: string }) => e
    )
    expect(error.message).toBe('refstack-client was not found on the runner')
    expect(error.hint).toBe("Install it on the target, or set 'install: auto' to let the action install it")
  })

  it('finds the refstack-client installed on this machine (Debian package)', async (context) => {
    const probe = parseProbe(
      (await new LocalTarget().exec(['sh', '-c', 'echo "path=$(command -v refstack-client)"'])).stdout
    )
    if (probe.path === '') {
      if (process.env.CI === 'true') throw new Error('refstack-client must be installed under CI=true')
      context.skip('refstack-client is not installed here')
    }
    const toolchain = await provision(new LocalTarget(), {
      install: 'none',
      workdir: '/nonexistent/w'
    } as Config)
    expect(toolchain).toMatchObject({
      refstackClient: probe.path,
      tempestDir: '/var/lib/tempest',
      origin: 'existing'
    })
  })
})

describe("the operator's Tempest", () => {
  const osa = '/openstack/venvs/tempest-31.0.0/bin/tempest'
  const config = { install: 'auto', workdir: '/w' } as Config

  it('lists every openstack-ansible venv the probe found', () => {
    const probe = parseProbe(`osa-tempest=${osa}\nosa-tempest=/openstack/venvs/tempest-30.0.0/bin/tempest\n`)
    expect(probe.osaTempest).toEqual([osa, '/openstack/venvs/tempest-30.0.0/bin/tempest'])
  })

  it.each([
    [
      'openstack-ansible venv over a tempest on PATH',
      `osa-tempest=${osa}\npath-tempest=/usr/bin/tempest\n`,
      { kind: 'openstack-ansible', executable: osa }
    ],
    [
      'openstack-ansible venv over Debian refstack-client',
      `osa-tempest=${osa}\npath=/usr/bin/refstack-client\ndebian-workspace=yes\n`,
      { kind: 'openstack-ansible', executable: osa }
    ],
    [
      "the runbook's checkout",
      'runbook=/root/refstack-client\npath-tempest=/usr/bin/tempest\n',
      { kind: 'runbook', checkout: '/root/refstack-client' }
    ],
    [
      'a tempest on PATH without refstack-client',
      'path-tempest=/usr/local/bin/tempest\n',
      { kind: 'path', executable: '/usr/local/bin/tempest' }
    ],
    [
      "none when refstack-client's own toolchain is there",
      'path=/usr/bin/refstack-client\ndebian-workspace=yes\npath-tempest=/usr/bin/tempest\n',
      undefined
    ],
    ['none at all', '', undefined]
  ])('chooses %s', (_, stdout, expected) => {
    expect(operatorTempest(parseProbe(stdout), config)).toEqual(expected)
  })

  it('runs the Tempest on PATH around a tempest-workspace, also where refstack-client’s own toolchain is', () => {
    const debian = parseProbe(
      'path=/usr/bin/refstack-client\ndebian-workspace=yes\npath-tempest=/usr/bin/tempest\n'
    )
    expect(operatorTempest(debian, { ...config, tempestWorkspace: '/srv/workspace' })).toEqual({
      kind: 'path',
      executable: '/usr/bin/tempest'
    })
    expect(
      operatorTempest(debian, { ...config, tempestWorkspace: '/srv/workspace', install: 'git' })
    ).toBeUndefined()
  })

  it('ignores what is found with install: git (refstack-client’s own Tempest)', () => {
    expect(operatorTempest(parseProbe(`osa-tempest=${osa}\n`), { ...config, install: 'git' })).toBeUndefined()
  })

  it('asks for tempest-path when openstack-ansible left several venvs', () => {
    const probe = parseProbe(`osa-tempest=${osa}\nosa-tempest=/openstack/venvs/tempest-30.0.0/bin/tempest\n`)
    expect(() => operatorTempest(probe, config)).toThrow(
      'Several openstack-ansible Tempest virtualenvs on the target: /openstack/venvs/tempest-31.0.0, /openstack/venvs/tempest-30.0.0'
    )
    expect(
      operatorTempest(
        { ...probe, 'given-tempest': osa },
        { ...config, tempestPath: '/openstack/venvs/tempest-31.0.0' }
      )
    ).toEqual({ kind: 'given', executable: osa })
  })

  it('names the tempest-path input when nothing is there', () => {
    expect(() => operatorTempest(parseProbe(''), { ...config, tempestPath: '/opt/t' })).toThrow(
      "Input 'tempest-path': no tempest executable at /opt/t (looked for /opt/t/bin/tempest, /opt/t/tempest and the path itself)"
    )
  })

  it('looks for the workspace where openstack-ansible and Debian put it', () => {
    expect(workspaceCandidates(osa)).toEqual(['/root/workspace', '/openstack/venvs/tempest-31.0.0/workspace'])
    expect(workspaceCandidates('/usr/bin/tempest')).toEqual([
      '/root/workspace',
      '/usr/workspace',
      '/var/lib/tempest'
    ])
    expect(workspaceCandidates(osa, '/srv/ws')).toEqual(['/srv/ws'])
  })

  it('reads the Tempest version a marker records', () => {
    expect(markerTempest('git eb3c abc 2026-12-07T00:00:00Z tempest=33.0.0')).toBe('33.0.0')
    expect(markerTempest('git eb3c abc 2026-12-07T00:00:00Z tempest=')).toBe('')
    expect(markerTempest('apt deb 1 2026-12-07T00:00:00Z')).toBeUndefined()
  })
})

describe('install: auto without a Tempest on the target', () => {
  it('gives apt-get the proxy settings, and falls back to git when apt fails, saying why', async () => {
    const bin = bareBin()
    const dir = path.dirname(bin)
    // An apt-get that records its environment and fails as apt does without a mirror.
    writeFileSync(
      path.join(bin, 'apt-get'),
      `#!/bin/sh\nenv > ${dir}/apt-env\necho "E: Unable to locate package refstack-client" >&2\nexit 100\n`,
      { mode: 0o755 }
    )
    symlinkSync('/usr/bin/env', path.join(bin, 'env'))
    // core.warning writes a '::warning::' command to stdout (ESM namespaces cannot be spied on).
    const warnings: string[] = []
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      const match = /^::warning::(.*)$/m.exec(String(chunk))
      if (match) warnings.push(match[1] as string)
      return true
    })
    const config = {
      install: 'auto',
      workdir: path.join(dir, 'w'),
      refstackClientRepo: 'https://opendev.org/openinfra/refstack-client',
      refstackClientRef: 'main',
      targetEnv: { http_proxy: 'http://127.0.0.1:3128', PIP_INDEX_URL: 'http://127.0.0.1:3141/simple' }
    } as Config
    const error = await provision(new BareRunner(bin), config).catch((e: Error) => e)
    spy.mockRestore()
    const aptEnv = readFileSync(path.join(dir, 'apt-env'), 'utf8')
    expect(aptEnv).toContain('http_proxy=http://127.0.0.1:3128\n')
    expect(aptEnv).toContain('DEBIAN_FRONTEND=noninteractive\n')
    expect(warnings).toEqual([
      'Installing refstack-client, tempest with apt failed on the runner (exit 100); trying git (clone + setup_env) instead'
    ])
    // This runner has neither mkdir nor git: the git install's first command ends the run.
    expect(error.message).toMatch(/^Cannot run '(mkdir|git)' on the runner: spawn \1 ENOENT$/)
  })
})
