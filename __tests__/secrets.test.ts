/** Secrets: masked whole and line by line, redacted from kept files. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { neverSecret, redact, redactFile, registerSecret, secretParts } from '../src/secrets.js'

describe('secretParts', () => {
  it('a one-line secret is masked whole, however short', () => {
    expect(secretParts('pa')).toEqual(['pa'])
    expect(secretParts('  pa;ss#word \n')).toEqual(['pa;ss#word'])
    expect(secretParts('   ')).toEqual([])
  })

  it('a key: whole, and each line but the PEM armour and lines under 4 characters', () => {
    const key =
      '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\r\nq2w3e4r5\nAB=\n-----END RSA PRIVATE KEY-----\n'
    expect(secretParts(key)).toEqual([key.trim(), 'MIIEowIBAAKCAQEA', 'q2w3e4r5'])
  })
})

describe('redact', () => {
  it('replaces every registered secret and each line of a multi-line one, longest first', async () => {
    registerSecret('s3cret')
    registerSecret('s3cret-longer')
    registerSecret('first-line-of-key\nsecond-line-of-key')
    expect(redact('a s3cret-longer and s3cret; second-line-of-key')).toBe('a *** and ***; ***')
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'redact-')), 'tool.log')
    writeFileSync(file, 'ok\nlogin with s3cret\r\nkey first-line-of-key\n')
    await redactFile(file)
    expect(readFileSync(file, 'utf8')).toBe('ok\nlogin with ***\nkey ***\n')
  })
})

describe('neverSecret', () => {
  it.each(['false', 'True', ' no ', 'on', 'None', '0', '5000', '123456'])('%j is never masked', (value) => {
    expect(neverSecret(value)).toBe(true)
  })

  it.each(['s3cret', 'falsey', '1234567', 'p@ss false', 'password'])('%j is a secret', (value) => {
    expect(neverSecret(value)).toBe(false)
  })

  it('registerSecret leaves booleans and short numbers readable', () => {
    registerSecret('false')
    registerSecret('true')
    registerSecret('8080')
    expect(redact('change_password = false, enabled = true, port 8080')).toBe(
      'change_password = false, enabled = true, port 8080'
    )
  })
})
