/** PKCS#8 keys (openssl genpkey, ssh-keygen -m PKCS8) in a form ssh2 reads, with the same public key. */
import { execFileSync } from 'node:child_process'
import { createPublicKey } from 'node:crypto'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import ssh2 from 'ssh2'
import { describe, expect, it } from 'vitest'
import { ActionError } from '../../src/errors.js'
import { sshReadableKey } from '../../src/target/pkcs8.js'

const dir = mkdtempSync(path.join(tmpdir(), 'pkcs8-'))

function sshKeygen(type: string): { key: string; publicKey: string } {
  const file = path.join(dir, type)
  execFileSync('ssh-keygen', ['-q', '-t', type, '-m', 'PKCS8', '-N', '', '-f', file])
  return { key: readFileSync(file, 'utf8'), publicKey: readFileSync(`${file}.pub`, 'utf8').split(' ')[1] }
}

function publicOf(key: string): string {
  const parsed = ssh2.utils.parseKey(key)
  if (parsed instanceof Error) throw parsed
  const one = Array.isArray(parsed) ? parsed[0] : parsed
  return one.getPublicSSH().toString('base64')
}

describe('PKCS#8 private keys', () => {
  for (const type of ['rsa', 'ecdsa']) {
    it(`${type} from ssh-keygen -m PKCS8: the key ssh2 reads has the public key ssh-keygen wrote`, () => {
      const { key, publicKey } = sshKeygen(type)
      expect(key).toContain('BEGIN PRIVATE KEY')
      expect(ssh2.utils.parseKey(key)).toBeInstanceOf(Error)
      expect(publicOf(sshReadableKey(key))).toBe(publicKey)
    })
  }

  it('ed25519 from openssl genpkey: written as an OpenSSH key with the same public key', () => {
    const file = path.join(dir, 'ed25519.pem')
    execFileSync('openssl', ['genpkey', '-algorithm', 'ed25519', '-out', file])
    const key = readFileSync(file, 'utf8')
    const raw = Buffer.from(createPublicKey(key).export({ format: 'jwk' }).x as string, 'base64url')
    const converted = sshReadableKey(key)
    expect(converted).toContain('BEGIN OPENSSH PRIVATE KEY')
    const blob = Buffer.from(publicOf(converted), 'base64')
    expect(blob.subarray(blob.length - 32).equals(raw)).toBe(true)
  })

  it('an encrypted PKCS#8 key: decrypted with ssh-passphrase, or an error naming it', () => {
    const file = path.join(dir, 'enc.pem')
    execFileSync('openssl', [
      'genpkey',
      '-algorithm',
      'rsa',
      '-aes256',
      '-pass',
      'pass:hunter22',
      '-out',
      file
    ])
    const key = readFileSync(file, 'utf8')
    expect(key).toContain('BEGIN ENCRYPTED PRIVATE KEY')
    expect(publicOf(sshReadableKey(key, 'hunter22'))).toMatch(/^AAAAB3NzaC1yc2E/)
    expect(() => sshReadableKey(key)).toThrow(ActionError)
    expect(() => sshReadableKey(key, 'wrong')).toThrow('ssh-passphrase does not decrypt ssh-private-key')
  })

  it('other keys pass unchanged', () => {
    const file = path.join(dir, 'openssh')
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', file])
    const key = readFileSync(file, 'utf8')
    expect(sshReadableKey(key)).toBe(key)
  })
})
