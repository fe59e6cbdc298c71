/**
 * PKCS#8 private keys (`BEGIN PRIVATE KEY`, `BEGIN ENCRYPTED PRIVATE KEY`: what `openssl genpkey` and
 * `ssh-keygen -m PKCS8` write) work as OpenSSH's ssh accepts them: ssh2 reads only OpenSSH and PKCS#1 / SEC1
 * keys, so node:crypto decodes the key and writes it in a form ssh2 reads — RSA as PKCS#1, ECDSA as SEC1,
 * Ed25519 as an unencrypted `openssh-key-v1` (PROTOCOL.key of OpenSSH). The converted key is a secret too.
 */
import { createPrivateKey, type KeyObject, randomBytes } from 'node:crypto'
import { ActionError } from '../errors.js'
import { registerSecret } from '../secrets.js'

const PKCS8 = /-----BEGIN (ENCRYPTED )?PRIVATE KEY-----/

/**
 * The key in a form ssh2 reads: a PKCS#8 key converted (and no longer encrypted), any other key unchanged.
 * Throws an ActionError naming the input when the key cannot be decoded or is of a type SSH does not use.
 */
export function sshReadableKey(key: string, passphrase?: string): string {
  const pkcs8 = PKCS8.exec(key)
  if (pkcs8 === null) return key
  const encrypted = pkcs8[1] !== undefined
  let object: KeyObject
  try {
    object = createPrivateKey({ key, format: 'pem', ...(passphrase ? { passphrase } : {}) })
  } catch (error) {
    if (encrypted) {
      throw new ActionError(
        passphrase
          ? 'ssh-passphrase does not decrypt ssh-private-key (an encrypted PKCS#8 key)'
          : 'ssh-private-key is an encrypted PKCS#8 key ("BEGIN ENCRYPTED PRIVATE KEY")',
        'Set ssh-passphrase to the passphrase of this key (as a secret)'
      )
    }
    throw new ActionError(
      `ssh-private-key is a PKCS#8 key ("BEGIN PRIVATE KEY") that cannot be decoded (${(error as Error).message})`,
      'Paste the whole private key file, from "-----BEGIN" to "-----END PRIVATE KEY-----", into the secret'
    )
  }
  let converted: string
  switch (object.asymmetricKeyType) {
    case 'rsa':
      converted = object.export({ type: 'pkcs1', format: 'pem' }).toString()
      break
    case 'ec':
      converted = object.export({ type: 'sec1', format: 'pem' }).toString()
      break
    case 'ed25519':
      converted = openSshEd25519(object)
      break
    default:
      throw new ActionError(
        `ssh-private-key is a PKCS#8 ${object.asymmetricKeyType ?? 'unknown'} key: SSH uses RSA, ECDSA and Ed25519 keys`,
        'Use an RSA, ECDSA or Ed25519 key (e.g. ssh-keygen -t ed25519)'
      )
  }
  registerSecret(converted)
  return converted
}

/** An RFC 4251 `string`: a uint32 length, then the bytes. */
export function sshString(data: Buffer | string): Buffer {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data
  const length = Buffer.alloc(4)
  length.writeUInt32BE(bytes.length)
  return Buffer.concat([length, bytes])
}

/** An Ed25519 key as an unencrypted openssh-key-v1 file (OpenSSH PROTOCOL.key). */
function openSshEd25519(key: KeyObject): string {
  const jwk = key.export({ format: 'jwk' })
  const seed = Buffer.from(jwk.d as string, 'base64url')
  const pub = Buffer.from(jwk.x as string, 'base64url')
  const publicBlob = Buffer.concat([sshString('ssh-ed25519'), sshString(pub)])
  const check = randomBytes(4)
  let secret = Buffer.concat([
    check,
    check,
    sshString('ssh-ed25519'),
    sshString(pub),
    sshString(Buffer.concat([seed, pub])),
    sshString('')
  ])
  const padding = (8 - (secret.length % 8)) % 8
  secret = Buffer.concat([secret, Buffer.from(Array.from({ length: padding }, (_, i) => i + 1))])
  const count = Buffer.alloc(4)
  count.writeUInt32BE(1)
  const body = Buffer.concat([
    Buffer.from('openssh-key-v1\0'),
    sshString('none'),
    sshString('none'),
    sshString(''),
    count,
    sshString(publicBlob),
    sshString(secret)
  ])
  const lines = body.toString('base64').match(/.{1,70}/g) ?? []
  return ['-----BEGIN OPENSSH PRIVATE KEY-----', ...lines, '-----END OPENSSH PRIVATE KEY-----', ''].join('\n')
}
