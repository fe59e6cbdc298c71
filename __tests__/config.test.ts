import { afterEach, describe, expect, it, vi } from 'vitest'
import { parseJumpHost, readConfig, targetEnvironment } from '../src/config.js'
import { redact } from '../src/secrets.js'
// @ts-expect-error -- plain JavaScript helper shared with npm run demo
import { actionDefaults } from '../scripts/lib/run-action.mjs'

const saved = { ...process.env }

function inputs(values: Record<string, string>): void {
  for (const key of Object.keys(process.env)) if (key.startsWith('INPUT_')) delete process.env[key]
  for (const [name, value] of Object.entries(values)) process.env[`INPUT_${name.toUpperCase()}`] = value
}

afterEach(() => {
  process.env = { ...saved }
})

describe('readConfig', () => {
  // action.yml's defaults are what a runner passes for an input the workflow leaves out; config.ts's fall-backs
  // are what an empty input gives. They must agree: compared here, with no third copy of the values.
  it.each([
    ['on the runner', {}],
    ['over SSH', { 'ssh-host': 'utility.example.com', 'ssh-private-key': 'key', 'ssh-known-hosts': 'keys' }]
  ])(
    'an empty input falls back to the default action.yml declares (%s)',
    (_, given: Record<string, string>) => {
      const defaults = actionDefaults() as Record<string, string>
      inputs({ 'tempest-conf': '/etc/tempest/tempest.conf', ...given })
      const empty = readConfig()
      inputs({ ...defaults, 'tempest-conf': '/etc/tempest/tempest.conf', ...given })
      const declared = readConfig()
      // An empty artifact-name asks for no artifact (README), which its default cannot say.
      expect(declared).toEqual({ ...empty, artifactName: defaults['artifact-name'] })
      expect(Object.isFrozen(declared)).toBe(true)
    }
  )

  it.each([
    [
      { program: 'objects' },
      "Input 'program' must be one of: platform, compute, object, dns, orchestration (got 'objects')"
    ],
    [
      { 'guideline-source': 'github' },
      "Input 'guideline-source' must be one of: auto, server, bundled (got 'github')"
    ],
    [{ install: 'pip' }, "Input 'install' must be one of: auto, apt, git, none (got 'pip')"],
    [
      { parallel: 'yes' },
      "Input 'parallel' must be 'true', 'false' or a number of Tempest workers from 1 to 64 (got 'yes')"
    ],
    [
      { parallel: '0' },
      "Input 'parallel' must be 'true', 'false' or a number of Tempest workers from 1 to 64 (got '0')"
    ],
    [{ preflight: 'yes' }, "Input 'preflight' must be one of: warn, fail, only, off (got 'yes')"],
    [{ 'rerun-failures': '-1' }, "Input 'rerun-failures' must be a whole number from 0 to 10 (got '-1')"],
    [
      { 'tempest-conf': 'etc/tempest.conf' },
      "Input 'tempest-conf' must be an absolute path on the target (got 'etc/tempest.conf')"
    ],
    [{ 'refstack-server': 'refstack.example.com' }, "Input 'refstack-server' must be an http(s) URL"],
    [{ container: 'bad name' }, "Input 'container' must be an LXC container name or 'utility'"],
    [
      { reports: 'reports/*/report.json', 'results-file': 'r.subunit' },
      "Input 'results-file' cannot be used with 'reports'"
    ],
    [
      { reports: 'reports/*/report.json', baseline: 'a.json' },
      "Input 'baseline' cannot be used with 'reports'"
    ],
    [{ reports: 'reports/*/report.json', upload: 'true' }, "Input 'upload' cannot be used with 'reports'"],
    [{ upload: 'true', 'results-file': 'r.subunit' }, "Input 'upload' cannot be used with 'results-file'"]
  ])('rejects %o with a message naming the input and the choices', (bad, message) => {
    inputs({ 'tempest-conf': '/etc/tempest.conf', ...bad })
    expect(() => readConfig()).toThrow(message)
  })

  it('needs tempest-conf (or openrc) to run Tempest, but not for a dry run or given results', () => {
    inputs({})
    expect(() => readConfig()).toThrow(/Input 'tempest-conf' is required to run Tempest/)
    inputs({ 'dry-run': 'true' })
    expect(readConfig().dryRun).toBe(true)
    inputs({ 'results-file': 'results.subunit' })
    expect(readConfig().resultsFile).toBe('results.subunit')
  })

  it('fleet mode needs no tempest-conf; baseline and cloud-name are read as given', () => {
    inputs({ reports: 'reports/*/report.json' })
    expect(readConfig().reports).toBe('reports/*/report.json')
    inputs({ 'tempest-conf': '/etc/tempest.conf', baseline: 'last/report.json', 'cloud-name': 'region-one' })
    expect(readConfig()).toMatchObject({ baseline: 'last/report.json', cloudName: 'region-one' })
  })

  it('refuses an artifact name @actions/artifact would refuse after the run, before it', () => {
    for (const name of ['results/2026', 'a:b', 'x"y', 'multi\nline']) {
      inputs({ 'tempest-conf': '/etc/tempest.conf', 'artifact-name': name })
      expect(() => readConfig()).toThrow(`Input 'artifact-name' cannot contain`)
    }
    inputs({ 'tempest-conf': '/etc/tempest.conf', 'artifact-name': 'refstack-results-2.1_x' })
    expect(readConfig().artifactName).toBe('refstack-results-2.1_x')
    inputs({ 'tempest-conf': '/etc/tempest.conf', 'artifact-name': '' })
    expect(readConfig().artifactName).toBeUndefined()
  })

  it('splits capabilities on commas and newlines', () => {
    inputs({
      'dry-run': 'true',
      capabilities: 'objectstore-container-*, identity-v3-tokens-create\n\nobjectstore-info-request'
    })
    expect(readConfig().capabilities).toEqual([
      'objectstore-container-*',
      'identity-v3-tokens-create',
      'objectstore-info-request'
    ])
  })

  // An ssh-ed25519 public key blob: the type, then a 32-byte key (RFC 8709), base64 as known_hosts has it.
  const ED25519_BLOB = Buffer.concat([
    Buffer.from([0, 0, 0, 11]),
    Buffer.from('ssh-ed25519'),
    Buffer.from([0, 0, 0, 32]),
    Buffer.alloc(32, 7)
  ]).toString('base64')

  it('warns about each ssh-known-hosts line it cannot use, naming the input and the line', () => {
    const written: string[] = []
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      written.push(String(chunk))
      return true
    })
    try {
      inputs({
        'dry-run': 'true',
        'ssh-host': 'utility.example.com',
        'ssh-private-key': 'KEY',
        'ssh-known-hosts': `utility.example.com ssh-ed25519 ${ED25519_BLOB}\nutility.example.com ssh-ed25519\n`
      })
      readConfig()
    } finally {
      spy.mockRestore()
    }
    const warnings = written.filter((line) => line.startsWith('::warning::'))
    expect(warnings).toEqual([
      `::warning::Input 'ssh-known-hosts': line 2: expected "HOSTS KEYTYPE BASE64-KEY [comment]"; that line is ignored\n`
    ])
  })

  it('requires a key and pinned host keys for SSH, unless strict checking is off', () => {
    inputs({ 'dry-run': 'true', 'ssh-host': 'utility.example.com' })
    expect(() => readConfig()).toThrow(/Input 'ssh-private-key' is required/)
    inputs({ 'dry-run': 'true', 'ssh-host': 'utility.example.com', 'ssh-private-key': 'KEY' })
    expect(() => readConfig()).toThrow(/Input 'ssh-known-hosts' is required/)
    expect(() => readConfig()).toThrow(
      expect.objectContaining({ hint: expect.stringContaining('ssh-keyscan -p PORT HOST') })
    )
    inputs({
      'dry-run': 'true',
      'ssh-host': 'utility.example.com',
      'ssh-private-key': 'KEY',
      'ssh-strict-host-key-checking': 'false',
      'ssh-jump-host': 'jump@bastion:2200'
    })
    expect(readConfig().ssh).toMatchObject({
      host: 'utility.example.com',
      port: 22,
      user: 'root',
      strictHostKeyChecking: false,
      jumpHost: { user: 'jump', host: 'bastion', port: 2200 }
    })
  })
})

describe('parseJumpHost', () => {
  it.each([
    ['bastion', { user: 'root', host: 'bastion', port: 22 }],
    ['ops@bastion.example.com', { user: 'ops', host: 'bastion.example.com', port: 22 }],
    ['bastion:2222', { user: 'root', host: 'bastion', port: 2222 }],
    ['ops@[::1]:2222', { user: 'ops', host: '::1', port: 2222 }]
  ])('%s', (text, expected) => {
    expect(parseJumpHost(text, 'root')).toEqual(expected)
  })

  it('rejects nonsense with the expected form', () => {
    expect(() => parseJumpHost('a@b@c', 'root')).toThrow("must look like '[user@]host[:port]'")
    expect(() => parseJumpHost('host:99999', 'root')).toThrow("must look like '[user@]host[:port]'")
  })
})

describe('what reaches the target of the runner’s environment', () => {
  it('takes the proxies and pip’s index and constraints, nothing else, and masks a proxy password', () => {
    const env = targetEnvironment({
      http_proxy: 'http://proxy.example.com:3128',
      HTTPS_PROXY: 'http://user:s3cr%40t@proxy.example.com:3128',
      no_proxy: '127.0.0.1,.internal',
      PIP_INDEX_URL: 'https://pypi.example.com/simple',
      PIP_CONSTRAINT: '/etc/pip/upper-constraints.txt',
      PIP_FIND_LINKS: '/opt/wheels',
      https_proxy: '  ',
      GITHUB_TOKEN: 'ghs_x',
      INPUT_SSH_PRIVATE_KEY: 'key',
      PATH: '/usr/bin'
    })
    expect(env).toEqual({
      http_proxy: 'http://proxy.example.com:3128',
      HTTPS_PROXY: 'http://user:s3cr%40t@proxy.example.com:3128',
      no_proxy: '127.0.0.1,.internal',
      PIP_INDEX_URL: 'https://pypi.example.com/simple',
      PIP_CONSTRAINT: '/etc/pip/upper-constraints.txt'
    })
    expect(redact('password s3cr@t here')).toBe('password *** here')
  })

  it('refuses tempest-path with install: git, naming both inputs', () => {
    inputs({
      'tempest-conf': '/etc/tempest/tempest.conf',
      install: 'git',
      'tempest-path': '/openstack/venvs/tempest-31.1.0'
    })
    expect(() => readConfig()).toThrow(
      "Input 'tempest-path' names a Tempest already on the target, but 'install: git' installs refstack-client's own"
    )
    inputs({ 'tempest-conf': '/etc/tempest/tempest.conf', 'tempest-workspace': 'root/workspace' })
    expect(() => readConfig()).toThrow(
      "Input 'tempest-workspace' must be an absolute path on the target (got 'root/workspace')"
    )
  })
})
