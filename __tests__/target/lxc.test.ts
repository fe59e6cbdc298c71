/**
 * LxcTarget: the pure lxc-attach argument builder and discovery (always), then real containers through
 * the runner (LocalTarget) and through a loopback sshd (SshTarget) when root and LXC are available.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ActionError } from '../../src/errors.js'
import { LocalTarget } from '../../src/target/local.js'
import { CONTAINER_PATH, LxcTarget, findUtilityContainer, lxcAttachArgv } from '../../src/target/lxc.js'
import { quoteCommand } from '../../src/target/quote.js'
import { SshTarget } from '../../src/target/ssh.js'
import type { CommandResult, ExecOptions, Target } from '../../src/target/target.js'
import { skipUnlessAvailable, sshdUnavailableReason, startSshd, type Sshd } from '../helpers/sshd.js'
import { processRunning, waitUntil } from '../helpers/wait-for.js'
import { HOSTILE_ARGS } from './hostile-args.js'
import {
  destroyClone,
  ensureBase,
  lxcUnavailableReason,
  makeLxcPath,
  osaName,
  startClone,
  stopClone,
  type Clone
} from './lxc-fixture.js'

describe('lxcAttachArgv', () => {
  it('clears the environment and sets HOME and PATH explicitly', () => {
    expect(lxcAttachArgv('aio1_utility_container-1a2b3c4d', ['refstack-client', '--help'])).toEqual([
      'lxc-attach',
      '-n',
      'aio1_utility_container-1a2b3c4d',
      '--clear-env',
      '-v',
      'HOME=/root',
      '-v',
      `PATH=${CONTAINER_PATH}`,
      '--',
      'refstack-client',
      '--help'
    ])
  })

  it('adds lxcpath, kept variables (names only), cwd and an in-container timeout', () => {
    expect(
      lxcAttachArgv('c1', ['ls', '-l'], {
        lxcPath: '/srv/lxc',
        keepVars: ['OS_PASSWORD'],
        cwd: '/root/x y',
        timeoutMs: 1500
      })
    ).toEqual([
      'lxc-attach',
      '-P',
      '/srv/lxc',
      '-n',
      'c1',
      '--clear-env',
      '-v',
      'HOME=/root',
      '-v',
      `PATH=${CONTAINER_PATH}`,
      '--keep-var',
      'OS_PASSWORD',
      '--',
      'timeout',
      '-s',
      'TERM',
      '-k',
      '5',
      '1.5',
      'sh',
      '-c',
      'cd -- "$1" && shift && exec "$@"',
      'sh',
      '/root/x y',
      'ls',
      '-l'
    ])
  })

  it.each(['', '-n', 'a b', 'a;b', '../x', 'x/y'])(
    'rejects the container name %j with an ActionError',
    (name) => {
      expect(() => lxcAttachArgv(name, ['true'])).toThrow(ActionError)
    }
  )

  it('rejects bad variable names and empty commands', () => {
    expect(() => lxcAttachArgv('c', ['true'], { keepVars: ['A=B'] })).toThrow(/A=B/)
    expect(() => lxcAttachArgv('c', [])).toThrow(/empty/)
  })

  it('survives SSH quoting: the remote shell gets back exactly this argv', () => {
    const argv = lxcAttachArgv('c', ['printf', '%s\\0', ...HOSTILE_ARGS], { cwd: '/tmp' })
    const result = spawnSync('/bin/sh', ['-c', quoteCommand(['printf', '%s\\0', ...argv])], {
      encoding: 'utf8'
    })
    expect(result.stdout.split('\0').slice(0, -1)).toEqual(argv)
  })
})

describe('utility container discovery', () => {
  /** A canned host for discovery logic (real discovery runs below against real containers). */
  const host = (result: Partial<CommandResult>): Target => ({
    description: 'root@infra1:22',
    exec: async () => ({ code: 0, stdout: '', stderr: '', ...result }),
    readFile: async () => Buffer.alloc(0),
    writeFile: async () => undefined,
    download: async () => undefined,
    close: async () => undefined
  })

  it.each([
    [
      'infra1_utility_container-161a4084\ninfra1_galera_container-0e8a9c1f\n',
      ['infra1_utility_container-161a4084']
    ],
    [
      'infra1-utility-container-1a2b3c4d\ninfra1-keystone-container-aa\n',
      ['infra1-utility-container-1a2b3c4d']
    ],
    [
      'aio1_utility_container-1\naio1-utility-container-2\n',
      ['aio1_utility_container-1', 'aio1-utility-container-2']
    ],
    ['utility\nmy-utility\nutility_container\n', []],
    ['', []]
  ])('picks utility containers from %j', async (stdout, expected) => {
    const found = findUtilityContainer(host({ stdout }))
    if (expected.length === 1) await expect(found).resolves.toBe(expected[0])
    else if (expected.length > 1) await expect(found).rejects.toThrow(`: ${expected.join(', ')}`)
    else await expect(found).rejects.toThrow(/No openstack-ansible utility container/)
  })

  it('returns the one match', async () => {
    await expect(
      findUtilityContainer(host({ stdout: 'a\ninfra1_utility_container-161a4084\n' }))
    ).resolves.toBe('infra1_utility_container-161a4084')
  })

  it('lists what was found when nothing or several match', async () => {
    const none = findUtilityContainer(
      host({ stdout: 'infra1_galera_container-1\ninfra1_rabbit_mq_container-2\n' })
    )
    await expect(none).rejects.toThrow(
      'No openstack-ansible utility container on root@infra1:22 (lxc-ls -1 lists only: infra1_galera_container-1, infra1_rabbit_mq_container-2)'
    )
    await expect(none.catch((e: ActionError) => e.hint)).resolves.toMatch(/Set 'container'/)
    await expect(findUtilityContainer(host({ stdout: '' }))).rejects.toThrow(/no containers at all/)
    const several = findUtilityContainer(
      host({ stdout: 'infra1-utility-container-1\ninfra2_utility_container-2\n' })
    )
    await expect(several).rejects.toThrow(
      'Several utility containers on root@infra1:22: infra1-utility-container-1, infra2_utility_container-2'
    )
  })

  it('explains a missing lxc-ls', async () => {
    const error = findUtilityContainer(host({ code: 127, stderr: 'sh: 1: lxc-ls: not found\n' }))
    await expect(error).rejects.toThrow(
      /lxc-ls failed on root@infra1:22 \(exit 127\): sh: 1: lxc-ls: not found/
    )
  })
})

const lxc = skipUnlessAvailable(lxcUnavailableReason(), 'LxcTarget in real containers')

describe.skipIf(lxc.skip)(lxc.title, () => {
  const clones: Clone[] = []
  let lxcPath = ''
  let utility: Clone
  let t: LxcTarget
  let work = ''

  beforeAll(() => {
    ensureBase()
    lxcPath = makeLxcPath()
    utility = startClone(osaName('aio1_utility_container-'), lxcPath)
    clones.push(utility)
    t = new LxcTarget(new LocalTarget(), utility.name, { lxcPath })
    work = mkdtempSync(join(tmpdir(), 'refstack-lxc-test-'))
  }, 600_000)

  afterAll(() => {
    for (const clone of clones.reverse()) destroyClone(clone)
    if (lxcPath !== '') rmSync(lxcPath, { recursive: true, force: true })
    if (work !== '') rmSync(work, { recursive: true, force: true })
  })

  it('describes itself', () => {
    expect(t.description).toBe(`container ${utility.name} on the runner`)
  })

  it('passes exit codes through and keeps the streams apart', async () => {
    expect(await t.exec(['sh', '-c', 'echo out; echo err >&2; exit 3'])).toMatchObject({
      code: 3,
      stdout: 'out\n',
      stderr: 'err\n'
    })
    expect((await t.exec(['true'])).code).toBe(0)
    const missing = await t.exec(['refstack-no-such-command'])
    expect(missing.code).toBe(127)
    expect(missing.stderr).toMatch(/Failed to exec "refstack-no-such-command"/)
  })

  it('passes hostile arguments through exactly', async () => {
    const result = await t.exec(['printf', '%s\\n', ...HOSTILE_ARGS])
    expect(result.stdout).toBe(HOSTILE_ARGS.map((arg) => `${arg}\n`).join(''))
  })

  it("runs inside the container, with HOME=/root and none of the runner's variables", async () => {
    process.env.REFSTACK_RUNNER_SENTINEL = 'must-not-leak'
    try {
      const result = await t.exec(['env'])
      const env = Object.fromEntries(
        result.stdout
          .trim()
          .split('\n')
          .map((line) => line.split(/=(.*)/s).slice(0, 2))
      )
      expect(env.HOME).toBe('/root')
      expect(env.PATH).toBe(CONTAINER_PATH)
      expect(result.stdout).not.toContain('REFSTACK_RUNNER_SENTINEL')
      expect(result.stdout).not.toContain('must-not-leak')
      // systemd drops the underscores of a container name from the hostname.
      expect((await t.exec(['hostname'])).stdout.trim()).toBe(utility.name.replace(/_/g, ''))
    } finally {
      delete process.env.REFSTACK_RUNNER_SENTINEL
    }
  })

  it('passes env values (not on the command line) and cwd', async () => {
    const secret = "p@ss $(id) 'q' `x` \\ \n end"
    const result = await t.exec(['sh', '-c', 'pwd; printf "%s" "$OS_PASSWORD"'], {
      env: { OS_PASSWORD: secret },
      cwd: '/etc'
    })
    expect(result.stdout).toBe(`/etc\n${secret}`)
    const bad = await t.exec(['true'], { cwd: '/nonexistent' })
    expect(bad.code).not.toBe(0)
  })

  it('feeds stdin and streams output', async () => {
    const chunks: Buffer[] = []
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i))
    const result = await t.exec(['cat'], { stdin: bytes, onStdout: (chunk) => chunks.push(chunk) })
    expect(result.code).toBe(0)
    expect(Buffer.concat(chunks)).toEqual(bytes)
  })

  it('times out and ends the command inside the container (not just lxc-attach)', async () => {
    const marker = `${40 + Math.random()}`
    const result = await t.exec(['sleep', marker], { timeoutMs: 700 })
    expect(result).toMatchObject({ code: -1, timedOut: true })
    // Container processes are visible from the host's pid namespace.
    await waitUntil('the command inside the container to end', () => !processRunning(`sleep ${marker}`))
  })

  it('writes, reads and downloads files inside the container (binary, mode, parents)', async () => {
    const content = Buffer.from([0, 1, 2, 255, 10, 13, 0x80, ...Buffer.from('ünïcødé')])
    await t.writeFile('/root/refstack/deep/file.bin', content)
    expect(await t.readFile('/root/refstack/deep/file.bin')).toEqual(content)
    expect((await t.exec(['stat', '-c', '%a', '/root/refstack/deep/file.bin'])).stdout.trim()).toBe('600')
    await t.writeFile('/root/refstack/deep/file.bin', 'replaced', 0o644)
    expect((await t.readFile('/root/refstack/deep/file.bin')).toString()).toBe('replaced')
    expect((await t.exec(['stat', '-c', '%a', '/root/refstack/deep/file.bin'])).stdout.trim()).toBe('644')
    expect((await t.exec(['ls', '-A', '/root/refstack/deep'])).stdout).toBe('file.bin\n') // no temp files left
    const local = join(work, 'sub', 'copy.bin')
    await t.download('/root/refstack/deep/file.bin', local)
    expect(readFileSync(local, 'utf8')).toBe('replaced')
    // The file is in the container, not on the host.
    expect(spawnSync('test', ['-e', '/root/refstack/deep/file.bin']).status).not.toBe(0)
  })

  it('names the path when a file cannot be read or written', async () => {
    await expect(t.readFile('/nonexistent/tempest.conf')).rejects.toThrow(
      new RegExp(
        `Cannot read /nonexistent/tempest.conf in container ${utility.name} on the runner: cat: .*No such file`
      )
    )
    await expect(t.writeFile('/proc/refstack/x', 'x')).rejects.toThrow(
      /Cannot write \/proc\/refstack\/x in container/
    )
  })

  it('finds the utility container by both name spellings, and says when there are several', async () => {
    const host = new LocalTarget()
    expect(await findUtilityContainer(host, { lxcPath })).toBe(utility.name)
    const dashed = startClone(osaName('aio1-utility-container-'), lxcPath, false)
    clones.push(dashed)
    const other = startClone(osaName('aio1_galera_container-'), lxcPath, false)
    clones.push(other)
    const error = await findUtilityContainer(host, { lxcPath }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ActionError)
    expect((error as ActionError).message).toContain(utility.name)
    expect((error as ActionError).message).toContain(dashed.name)
    expect((error as ActionError).message).not.toContain(other.name)
    // The new spelling alone is found too.
    destroyClone(utility)
    clones.splice(clones.indexOf(utility), 1)
    expect(await findUtilityContainer(host, { lxcPath })).toBe(dashed.name)
    utility = startClone(osaName('aio1_utility_container-'), lxcPath)
    clones.push(utility)
    t = new LxcTarget(new LocalTarget(), utility.name, { lxcPath })
    destroyClone(dashed)
    clones.splice(clones.indexOf(dashed), 1)
    expect(await findUtilityContainer(host, { lxcPath })).toBe(utility.name)
  })

  it('fails with an ActionError for a stopped or missing container', async () => {
    const stopped = startClone(osaName('aio1_keystone_container-'), lxcPath)
    clones.push(stopped)
    const target = new LxcTarget(new LocalTarget(), stopped.name, { lxcPath })
    expect((await target.exec(['true'])).code).toBe(0)
    stopClone(stopped)
    const error = await target.exec(['true']).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ActionError)
    expect((error as ActionError).message).toBe(
      `Container ${stopped.name} is not running (or does not exist) on the runner`
    )
    expect((error as ActionError).hint).toMatch(/lxc-start -n/)
    await expect(
      new LxcTarget(new LocalTarget(), 'refstack-missing-container', { lxcPath }).exec(['true'])
    ).rejects.toThrow(/not running \(or does not exist\)/)
  })

  const ssh = skipUnlessAvailable(sshdUnavailableReason(), 'through SSH (SshTarget → lxc-attach)')
  describe.skipIf(ssh.skip)(ssh.title, () => {
    let sshd: Sshd
    let remote: LxcTarget
    beforeAll(async () => {
      sshd = await startSshd()
      const inner = new SshTarget({
        host: sshd.host,
        port: sshd.port,
        user: sshd.username,
        privateKey: sshd.clientKey,
        knownHosts: sshd.hostKeyLine,
        strictHostKeyChecking: true,
        keepaliveIntervalMs: 5_000,
        readyTimeoutMs: 10_000
      })
      remote = new LxcTarget(inner, utility.name, { lxcPath })
    })
    afterAll(async () => {
      await remote?.close()
      await sshd?.stop()
    })

    it('quotes once for the remote shell: hostile arguments, env, exit codes, files', async () => {
      expect(remote.description).toBe(`container ${utility.name} on ${sshd.username}@127.0.0.1:${sshd.port}`)
      const echoed = await remote.exec(['printf', '%s\\n', ...HOSTILE_ARGS])
      expect(echoed.stdout).toBe(HOSTILE_ARGS.map((arg) => `${arg}\n`).join(''))
      const secret = "p@ss $(id) 'q' `x`"
      const env = await remote.exec(['sh', '-c', 'printf "%s|%s" "$OS_PASSWORD" "$HOME"; exit 5'], {
        env: { OS_PASSWORD: secret }
      })
      expect(env).toMatchObject({ code: 5, stdout: `${secret}|/root` })
      const content = Buffer.from([0, 255, 10, 13, 1, 2, 3])
      await remote.writeFile('/root/over-ssh.bin', content)
      expect(await remote.readFile('/root/over-ssh.bin')).toEqual(content)
    })

    it('finds the utility container over SSH', async () => {
      expect(await findUtilityContainer(remote.inner, { lxcPath })).toBe(utility.name)
    })

    it('times out inside the container over SSH too', async () => {
      const marker = `${50 + Math.random()}`
      const result = await remote.exec(['sleep', marker], { timeoutMs: 700 })
      expect(result).toMatchObject({ code: -1, timedOut: true })
      await waitUntil('the command inside the container to end', () => !processRunning(`sleep ${marker}`))
    })
  })
})

/** Exec options are passed through to the inner target except cwd (host) and timeout (moved inside). */
describe('LxcTarget with a recording inner target', () => {
  it('keeps env values out of the argv and sends them as the inner environment', async () => {
    const calls: { argv: readonly string[]; options: ExecOptions | undefined }[] = []
    const inner: Target = {
      description: 'recorder',
      exec: async (argv, options) => {
        calls.push({ argv, options })
        return { code: 0, stdout: '', stderr: '' }
      },
      readFile: async () => Buffer.alloc(0),
      writeFile: async () => undefined,
      download: async () => undefined,
      close: async () => undefined
    }
    await new LxcTarget(inner, 'c').exec(['run'], {
      env: { OS_PASSWORD: 'hunter2' },
      cwd: '/x',
      timeoutMs: 1000
    })
    const call = calls[0]
    expect(call?.argv.join(' ')).not.toContain('hunter2')
    expect(call?.argv).toContain('--keep-var')
    expect(call?.options?.env).toEqual({ OS_PASSWORD: 'hunter2' })
    expect(call?.options?.cwd).toBeUndefined()
    expect(call?.options?.timeoutMs).toBe(11_000)
  })
})

/** lxc-attach's own failures versus the command's: only lxc-attach's lines decide (canned inner results). */
describe("LxcTarget telling lxc-attach's failures from the command's", () => {
  const answering = (result: CommandResult): Target => ({
    description: 'root@infra1:22',
    exec: async () => result,
    readFile: async () => Buffer.alloc(0),
    writeFile: async () => undefined,
    download: async () => undefined,
    close: async () => undefined
  })
  const name = 'infra1_utility_container-161a4084'

  it.each([
    // LXC 5 (Debian 12), as captured on this machine
    `lxc-attach: ${name}: ../src/lxc/attach.c: get_attach_context: 406 Connection refused - Failed to get init pid\nlxc-attach: ${name}: ../src/lxc/attach.c: lxc_attach: 1470 Connection refused - Failed to get attach context\n`,
    // LXC 2.x (Ubuntu 16.04/18.04 infra hosts)
    'lxc-attach: attach.c: lxc_attach: 710 failed to get the init pid\n'
  ])('a stopped or missing container is an ActionError (%#)', async (stderr) => {
    const error = await new LxcTarget(answering({ code: 1, stdout: '', stderr }), name)
      .exec(['true'])
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ActionError)
    expect((error as ActionError).message).toBe(
      `Container ${name} is not running (or does not exist) on root@infra1:22`
    )
  })

  it('a command inside that says "does not exist" or "Permission denied" and exits 1 is just its result', async () => {
    for (const stderr of [
      'Error: /etc/tempest/tempest.conf does not exist\n',
      'cat: /root/openrc: Permission denied\n',
      'container is not running yet; lxc-attach: (quoted in a message)\n'
    ]) {
      const result = await new LxcTarget(answering({ code: 1, stdout: '', stderr }), name).exec(['x'])
      expect(result).toMatchObject({ code: 1, stderr })
    }
  })

  it('lxc-attach refused (not root) is an ActionError naming its own line', async () => {
    const stderr = `lxc-attach: ${name}: ../src/lxc/attach.c: lxc_attach: 1100 Operation not permitted - Failed to enter namespaces\n`
    const error = await new LxcTarget(answering({ code: 1, stdout: '', stderr }), name)
      .exec(['true'])
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ActionError)
    expect((error as ActionError).message).toContain('Operation not permitted - Failed to enter namespaces')
    expect((error as ActionError).hint).toMatch(/root/)
  })
})
