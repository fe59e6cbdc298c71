import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  checkHostKey,
  entryMatchesHost,
  fingerprintSha256,
  keyTypeOf,
  keyscanCommand,
  knownHostsLine,
  knownHostsName,
  knownKeyTypes,
  parseKnownHosts
} from '../../src/target/known-hosts.js'
import { SSH_KEYGEN, skipUnlessAvailable } from '../helpers/sshd.js'

/** A syntactically valid key blob of `type` (fixed bytes, not a real key). */
function blob(type: string, fill: number): Buffer {
  const name = Buffer.from(type)
  const length = Buffer.alloc(4)
  length.writeUInt32BE(name.length)
  const body = Buffer.alloc(36, fill)
  body.writeUInt32BE(32, 0)
  return Buffer.concat([length, name, body])
}

const ED_A = blob('ssh-ed25519', 1)
const ED_B = blob('ssh-ed25519', 2)
const RSA = blob('ssh-rsa', 3)
const b64 = (key: Buffer): string => key.toString('base64')

describe('parseKnownHosts', () => {
  it('reads plain, bracketed, comma lists, markers and comments; reports bad lines', () => {
    const text = [
      '# a comment',
      '',
      `example.org,10.0.0.5 ssh-ed25519 ${b64(ED_A)} comment words`,
      `[utility.example.org]:2222 ssh-rsa ${b64(RSA)}`,
      `@revoked old.example.org ssh-ed25519 ${b64(ED_B)}`,
      `@cert-authority *.example.org ssh-ed25519 ${b64(ED_B)}`,
      '@bogus host ssh-ed25519 AAAA',
      'onlyhost',
      `host ssh-rsa ${b64(ED_A)}`,
      'host ssh-ed25519 not*base64',
      `|1|bad ssh-ed25519 ${b64(ED_A)}`,
      `  Indented.Example.Org\tssh-ed25519   ${b64(ED_A)}\r`
    ].join('\n')
    const parsed = parseKnownHosts(text)
    expect(parsed.entries.map((e) => [e.marker, e.patterns, e.keyType])).toEqual([
      [undefined, ['example.org', '10.0.0.5'], 'ssh-ed25519'],
      [undefined, ['[utility.example.org]:2222'], 'ssh-rsa'],
      ['revoked', ['old.example.org'], 'ssh-ed25519'],
      ['cert-authority', ['*.example.org'], 'ssh-ed25519'],
      [undefined, ['indented.example.org'], 'ssh-ed25519']
    ])
    expect(parsed.problems).toEqual([
      "line 7: unknown marker '@bogus'",
      'line 8: expected "HOSTS KEYTYPE BASE64-KEY [comment]"',
      "line 9: key type 'ssh-rsa' does not match the key itself ('ssh-ed25519')",
      'line 10: the key is not valid base64',
      'line 11: hashed host field must look like |1|SALT|HASH'
    ])
  })

  it('never throws on garbage', () => {
    expect(parseKnownHosts('\0\0\0 \n|||| a b\n@\n').entries).toEqual([])
  })
})

describe('host matching', () => {
  const known = parseKnownHosts(
    [
      `example.org,10.0.0.5 ssh-ed25519 ${b64(ED_A)}`,
      `[utility.example.org]:2222 ssh-rsa ${b64(RSA)}`,
      `*.lab.example.org,!secret.lab.example.org ssh-ed25519 ${b64(ED_B)}`,
      `node?.example.org ssh-ed25519 ${b64(ED_B)}`,
      `@revoked example.org ssh-ed25519 ${b64(ED_B)}`
    ].join('\n')
  )

  it.each([
    ['example.org', 22, 'match', ED_A],
    ['EXAMPLE.org', 22, 'match', ED_A],
    ['10.0.0.5', 22, 'match', ED_A],
    ['example.org', 2222, 'unknown', ED_A],
    ['utility.example.org', 2222, 'match', RSA],
    ['utility.example.org', 22, 'unknown', RSA],
    ['utility.example.org', 2222, 'mismatch', ED_A],
    ['a.lab.example.org', 22, 'match', ED_B],
    ['secret.lab.example.org', 22, 'unknown', ED_B],
    ['node1.example.org', 22, 'match', ED_B],
    ['node12.example.org', 22, 'unknown', ED_B],
    ['example.org', 22, 'revoked', ED_B],
    ['other.org', 22, 'unknown', ED_A]
  ] as const)('%s:%i offering a key → %s', (host, port, status, key) => {
    expect(checkHostKey(known, host, port, key)).toBe(status)
  })

  it('lists the key types known for a host', () => {
    expect(knownKeyTypes(known, 'utility.example.org', 2222)).toEqual(['ssh-rsa'])
    expect(knownKeyTypes(known, 'nowhere', 22)).toEqual([])
  })

  it('names the host as OpenSSH does', () => {
    expect(knownHostsName('Host.Example', 22)).toBe('host.example')
    expect(knownHostsName('10.1.2.3', 2222)).toBe('[10.1.2.3]:2222')
    expect(keyscanCommand('h', 22)).toBe('ssh-keyscan h')
    expect(keyscanCommand('h', 2222)).toBe('ssh-keyscan -p 2222 h')
    expect(knownHostsLine('h', 2222, ED_A)).toBe(`[h]:2222 ssh-ed25519 ${b64(ED_A)}`)
  })

  it('reads the key type from a blob', () => {
    expect(keyTypeOf(RSA)).toBe('ssh-rsa')
    expect(keyTypeOf(Buffer.from([0, 0]))).toBeUndefined()
    expect(keyTypeOf(Buffer.from([0, 0, 1, 0, 1]))).toBeUndefined()
  })
})

const keygen = skipUnlessAvailable(
  existsSync(SSH_KEYGEN) ? undefined : `${SSH_KEYGEN} not found`,
  'with ssh-keygen'
)

describe.skipIf(keygen.skip)(keygen.title, () => {
  let dir = ''
  const keys: Record<string, { line: string; fingerprint: string; blob: Buffer }> = {}

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'refstack-kh-'))
    for (const type of ['ed25519', 'ecdsa', 'rsa']) {
      const path = join(dir, type)
      execFileSync(SSH_KEYGEN, ['-q', '-t', type, '-N', '', '-f', path])
      const line = readFileSync(`${path}.pub`, 'utf8').trim()
      const fingerprint = execFileSync(SSH_KEYGEN, ['-l', '-E', 'sha256', '-f', `${path}.pub`], {
        encoding: 'utf8'
      }).split(/\s+/)[1] as string
      keys[type] = { line, fingerprint, blob: Buffer.from(line.split(' ')[1] as string, 'base64') }
    }
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it.each(['ed25519', 'ecdsa', 'rsa'])('fingerprint of a %s key equals ssh-keygen -lf', (type) => {
    const key = keys[type]
    expect(key).toBeDefined()
    expect(fingerprintSha256(key?.blob ?? Buffer.alloc(0))).toBe(key?.fingerprint)
  })

  it('accepts entries hashed by ssh-keygen -H (plain and [host]:port)', () => {
    const ed = keys.ed25519
    const rsa = keys.rsa
    if (ed === undefined || rsa === undefined) throw new Error('keys missing')
    const file = join(dir, 'known_hosts')
    const [edType, edKey] = ed.line.split(' ')
    const [rsaType, rsaKey] = rsa.line.split(' ')
    writeFileSync(file, `utility.example.org ${edType} ${edKey}\n[10.0.0.9]:2200 ${rsaType} ${rsaKey}\n`)
    execFileSync(SSH_KEYGEN, ['-H', '-f', file], { stdio: 'ignore' })
    const text = readFileSync(file, 'utf8')
    expect(text).toMatch(/^\|1\|/)
    expect(text).not.toContain('utility.example.org')
    const known = parseKnownHosts(text)
    expect(known.problems).toEqual([])
    expect(known.entries.every((entry) => entry.hashed !== undefined)).toBe(true)
    expect(checkHostKey(known, 'utility.example.org', 22, ed.blob)).toBe('match')
    expect(checkHostKey(known, 'Utility.Example.Org', 22, ed.blob)).toBe('match')
    expect(checkHostKey(known, '10.0.0.9', 2200, rsa.blob)).toBe('match')
    expect(checkHostKey(known, '10.0.0.9', 2200, ed.blob)).toBe('mismatch')
    expect(checkHostKey(known, '10.0.0.9', 22, rsa.blob)).toBe('unknown')
    const entry = known.entries[0]
    expect(entry !== undefined && entryMatchesHost(entry, 'utility.example.org', 2222)).toBe(false)
  })
})
