/**
 * Real LXC containers for the LXC target tests (lxc-create(1), lxc-attach(1)): a Debian base container
 * built once with the debian template from the mirror apt already uses (cached in /var/lib/lxc and
 * /var/cache/lxc), and per run cheap overlay clones with openstack-ansible-style names in a private
 * lxcpath, so discovery sees only this run's containers. Needs root and lxc, lxc-templates, debootstrap.
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import { randomBytes } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'

export const BASE = 'refstack-action-test-base'
const LXC_TOOLS = [
  'lxc-attach',
  'lxc-wait',
  'lxc-create',
  'lxc-copy',
  'lxc-start',
  'lxc-stop',
  'lxc-destroy',
  'lxc-ls',
  'lxc-info'
]

function which(tool: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status === 0
}

/** Why real containers cannot be used here, or undefined. */
export function lxcUnavailableReason(): string | undefined {
  if (process.platform !== 'linux') return `needs Linux (this is ${process.platform})`
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return 'needs root (system containers)'
  const missing = LXC_TOOLS.filter((tool) => !which(tool))
  if (missing.length > 0)
    return `${missing.join(', ')} not found (apt-get install -y lxc lxc-templates debootstrap)`
  if (!baseExists()) {
    if (!existsSync('/usr/share/lxc/templates/lxc-debian')) {
      return 'the debian LXC template is missing (apt-get install -y lxc-templates debootstrap)'
    }
    if (!which('debootstrap')) return 'debootstrap not found (apt-get install -y debootstrap)'
    if (mirrors() === undefined) return 'no Debian mirror found in /etc/apt/sources.list*'
  }
  return undefined
}

function baseExists(): boolean {
  return existsSync(`/var/lib/lxc/${BASE}/config`)
}

/** The Debian mirror and security mirror apt uses (deb822 `URIs:` or one-line `deb URL SUITE`). */
export function mirrors(): { mirror: string; security: string; suite: string } | undefined {
  const files = ['/etc/apt/sources.list']
  if (existsSync('/etc/apt/sources.list.d')) {
    files.push(...readdirSync('/etc/apt/sources.list.d').map((file) => join('/etc/apt/sources.list.d', file)))
  }
  const sources: { uri: string; suites: string[] }[] = []
  for (const file of files.filter((f) => existsSync(f))) {
    const text = readFileSync(file, 'utf8')
    for (const stanza of text.split(/\n\s*\n/)) {
      const uri = /^URIs:\s*(\S+)/m.exec(stanza)?.[1]
      const suites = /^Suites:\s*(.+)$/m.exec(stanza)?.[1]
      if (uri !== undefined && suites !== undefined) sources.push({ uri, suites: suites.trim().split(/\s+/) })
    }
    for (const match of text.matchAll(/^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+(\S+)/gm)) {
      sources.push({ uri: match[1] as string, suites: [match[2] as string] })
    }
  }
  const main = sources.find((s) => s.suites.some((suite) => !suite.includes('-')))
  const security = sources.find((s) => s.suites.some((suite) => suite.endsWith('-security')))
  if (main === undefined) return undefined
  const suite = main.suites.find((s) => !s.includes('-')) as string
  return { mirror: main.uri, security: security?.uri ?? main.uri, suite }
}

/**
 * Build the base container unless it exists (≈ 50 s the first time, ≈ 5 s from the template cache): once per
 * machine, every later test run clones it. What the build cost is printed. `ensureBaseInBackground` does the
 * same without blocking (the e2e global setup starts it while the unit tests run); both build under one flock,
 * so a call while a build is under way waits for it.
 */
export function ensureBase(): void {
  if (baseExists()) return
  const started = process.hrtime.bigint()
  const build = baseBuild()
  try {
    execFileSync(build.command, build.args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 600_000 })
  } finally {
    build.done()
  }
  printBuilt(started)
}

export async function ensureBaseInBackground(): Promise<void> {
  if (baseExists()) return
  const started = process.hrtime.bigint()
  const build = baseBuild()
  try {
    await promisify(execFile)(build.command, build.args, { timeout: 600_000 })
  } finally {
    build.done()
  }
  printBuilt(started)
}

function printBuilt(started: bigint): void {
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  console.log(`LXC base container ${BASE} built once for this machine in ${seconds.toFixed(0)} s`)
}

/** The command that builds the base unless it exists, under its flock; `done()` removes its config file. */
function baseBuild(): { command: string; args: string[]; done: () => void } {
  const found = mirrors()
  if (found === undefined) throw new Error('no Debian mirror in /etc/apt/sources.list*')
  const dir = mkdtempSync(join(tmpdir(), 'refstack-lxc-base-'))
  const config = join(dir, 'lxc.conf')
  // No lxcbr0 bridge on these machines; clones switch to the host's network (type none).
  writeFileSync(config, 'lxc.net.0.type = empty\nlxc.apparmor.profile = unconfined\n')
  // flock: two test runs must not build the same base at once.
  return {
    command: 'flock',
    args: [
      `/run/lock/${BASE}.lock`,
      'sh',
      '-c',
      `[ -e /var/lib/lxc/${BASE}/config ] || lxc-create -n ${BASE} -t debian -f "$1" -- -r "$2" --mirror="$3" --security-mirror="$4"`,
      'sh',
      config,
      found.suite,
      found.mirror,
      found.security
    ],
    done: () => rmSync(dir, { recursive: true, force: true })
  }
}

export interface Clone {
  name: string
  lxcPath: string
}

/** A private lxcpath for this run's clones. */
export function makeLxcPath(): string {
  const path = mkdtempSync(join(tmpdir(), 'refstack-lxcpath-'))
  return path
}

/** `PREFIX<8 hex>` as openstack-ansible names containers, e.g. `aio1_utility_container-1a2b3c4d`. */
export function osaName(prefix: string): string {
  return `${prefix}${randomBytes(4).toString('hex')}`
}

/** An overlay clone of `base` (default: the Debian base), networking shared with the host, started (≈ 0.2 s). */
export function startClone(name: string, lxcPath: string, start = true, base = BASE): Clone {
  execFileSync('lxc-copy', ['-n', base, '-N', name, '-s', '-B', 'overlay', '-p', lxcPath], { stdio: 'pipe' })
  const delta = join(lxcPath, name, 'overlay', 'delta')
  const units = join(delta, 'etc', 'systemd', 'system')
  mkdirSync(units, { recursive: true })
  for (const unit of ['networking.service', 'ssh.service']) symlinkSync('/dev/null', join(units, unit))
  const configPath = join(lxcPath, name, 'config')
  writeFileSync(
    configPath,
    readFileSync(configPath, 'utf8').replace(/^lxc\.net\.0\.type = .*$/m, 'lxc.net.0.type = none')
  )
  if (start) {
    execFileSync('lxc-start', ['-P', lxcPath, '-n', name, '-d'], { stdio: 'pipe' })
    execFileSync('lxc-wait', ['-P', lxcPath, '-n', name, '-s', 'RUNNING', '-t', '30'], { stdio: 'pipe' })
  }
  return { name, lxcPath }
}

export function stopClone(clone: Clone): void {
  spawnSync('lxc-stop', ['-P', clone.lxcPath, '-n', clone.name, '-k'], { stdio: 'ignore' })
}

/** Stop and destroy a clone (never the base). */
export function destroyClone(clone: Clone): void {
  stopClone(clone)
  spawnSync('lxc-destroy', ['-P', clone.lxcPath, '-n', clone.name], { stdio: 'ignore' })
}
