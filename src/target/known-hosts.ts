/**
 * `known_hosts` (the `ssh-known-hosts` input) parsing and host key checks, with OpenSSH's semantics:
 * plain and hashed (`|1|salt|hash`) host fields, `[host]:port` for non-default ports, comma-separated
 * patterns with `*`/`?` wildcards and `!` negation, `@revoked` and `@cert-authority` markers, comments.
 */
import { createHash, createHmac } from 'node:crypto'

export interface KnownHostEntry {
  marker?: 'revoked' | 'cert-authority'
  /** Plain host patterns (lowercased), e.g. `['example.org', '[10.0.0.5]:2222', '!bad.example.org']`. */
  patterns?: string[]
  /** A hashed host field `|1|salt|hash` (HMAC-SHA1 of the lookup name keyed with the salt). */
  hashed?: { salt: Buffer; hash: Buffer }
  keyType: string
  /** The public key blob. */
  key: Buffer
}

export interface KnownHosts {
  entries: KnownHostEntry[]
  /** Lines that could not be parsed ("line 3: …"); they are ignored, the caller may warn. */
  problems: string[]
}

/** Parse known_hosts text. Never throws: bad lines are reported in `problems` and skipped. */
export function parseKnownHosts(text: string): KnownHosts {
  const entries: KnownHostEntry[] = []
  const problems: string[] = []
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1
    const trimmed = raw.trim()
    if (trimmed === '' || trimmed.startsWith('#')) return
    const fields = trimmed.split(/\s+/)
    let marker: KnownHostEntry['marker']
    if (fields[0]?.startsWith('@')) {
      const name = fields.shift()?.slice(1)
      if (name !== 'revoked' && name !== 'cert-authority') {
        problems.push(`line ${line}: unknown marker '@${name ?? ''}'`)
        return
      }
      marker = name
    }
    const [hostField, keyType, keyText] = fields
    if (hostField === undefined || keyType === undefined || keyText === undefined) {
      problems.push(`line ${line}: expected "HOSTS KEYTYPE BASE64-KEY [comment]"`)
      return
    }
    const key = decodeBase64(keyText)
    if (key === undefined || key.length === 0) {
      problems.push(`line ${line}: the key is not valid base64`)
      return
    }
    const embeddedType = keyTypeOf(key)
    if (embeddedType !== keyType) {
      problems.push(
        `line ${line}: key type '${keyType}' does not match the key itself ('${embeddedType ?? 'unreadable'}')`
      )
      return
    }
    const entry: KnownHostEntry = { keyType, key, ...(marker === undefined ? {} : { marker }) }
    if (hostField.startsWith('|')) {
      const parts = hostField.split('|')
      const salt = parts[2] === undefined ? undefined : decodeBase64(parts[2])
      const hash = parts[3] === undefined ? undefined : decodeBase64(parts[3])
      if (parts.length !== 4 || parts[1] !== '1' || salt === undefined || hash === undefined) {
        problems.push(`line ${line}: hashed host field must look like |1|SALT|HASH`)
        return
      }
      entry.hashed = { salt, hash }
    } else {
      entry.patterns = hostField
        .toLowerCase()
        .split(',')
        .filter((pattern) => pattern !== '')
    }
    entries.push(entry)
  })
  return { entries, problems }
}

/** The name OpenSSH looks up: `host` on port 22, `[host]:port` otherwise (lowercased). */
export function knownHostsName(host: string, port: number): string {
  const name = host.toLowerCase()
  return port === 22 ? name : `[${name}]:${port}`
}

/** Whether a known_hosts entry applies to `host`:`port`. */
export function entryMatchesHost(entry: KnownHostEntry, host: string, port: number): boolean {
  const name = knownHostsName(host, port)
  if (entry.hashed !== undefined) {
    const digest = createHmac('sha1', entry.hashed.salt).update(name).digest()
    return digest.equals(entry.hashed.hash)
  }
  let matched = false
  for (const pattern of entry.patterns ?? []) {
    if (pattern.startsWith('!')) {
      if (wildcardMatch(pattern.slice(1), name)) return false
    } else if (wildcardMatch(pattern, name)) {
      matched = true
    }
  }
  return matched
}

/**
 * `match`: an entry has exactly this key; `revoked`: marked `@revoked` for this host (never accepted, whatever
 * else says); `mismatch`: the host is listed with other keys only; `unknown`: the host is not listed.
 */
export type HostKeyStatus = 'match' | 'revoked' | 'mismatch' | 'unknown'

/** Check a server's offered host key blob against parsed known_hosts entries. */
export function checkHostKey(knownHosts: KnownHosts, host: string, port: number, key: Buffer): HostKeyStatus {
  const forHost = knownHosts.entries.filter((entry) => entryMatchesHost(entry, host, port))
  const plain = forHost.filter((entry) => entry.marker === undefined)
  if (forHost.some((entry) => entry.marker === 'revoked' && entry.key.equals(key))) return 'revoked'
  if (plain.some((entry) => entry.key.equals(key))) return 'match'
  return plain.length > 0 ? 'mismatch' : 'unknown'
}

/** Key types listed (unmarked) for a host, to prefer them in host key algorithm negotiation. */
export function knownKeyTypes(knownHosts: KnownHosts, host: string, port: number): string[] {
  const types = knownHosts.entries
    .filter((entry) => entry.marker === undefined && entryMatchesHost(entry, host, port))
    .map((entry) => entry.keyType)
  return [...new Set(types)]
}

/** The key type written at the start of an SSH public key blob (`ssh-ed25519`, `ssh-rsa`, …). */
export function keyTypeOf(blob: Buffer): string | undefined {
  if (blob.length < 4) return undefined
  const length = blob.readUInt32BE(0)
  if (length === 0 || length > 64 || 4 + length > blob.length) return undefined
  const type = blob.subarray(4, 4 + length).toString('latin1')
  return /^[\x21-\x7e]+$/.test(type) ? type : undefined
}

/** `SHA256:…` fingerprint of a public key blob, exactly as `ssh-keygen -lf` prints it (unpadded base64). */
export function fingerprintSha256(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`
}

/** A known_hosts line pinning `blob` for `host`:`port`. */
export function knownHostsLine(host: string, port: number, blob: Buffer): string {
  return `${knownHostsName(host, port)} ${keyTypeOf(blob) ?? 'unknown'} ${blob.toString('base64')}`
}

/** The `ssh-keyscan` command that prints known_hosts lines for `host`:`port`. */
export function keyscanCommand(host: string, port: number): string {
  return port === 22 ? `ssh-keyscan ${host}` : `ssh-keyscan -p ${port} ${host}`
}

function decodeBase64(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return undefined
  return Buffer.from(text, 'base64')
}

/** OpenSSH `match_pattern`: `*` any run of characters, `?` exactly one; everything else literal. */
function wildcardMatch(pattern: string, name: string): boolean {
  let p = 0
  let n = 0
  let starP = -1
  let starN = 0
  while (n < name.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === name[n])) {
      p++
      n++
    } else if (p < pattern.length && pattern[p] === '*') {
      starP = p++
      starN = n
    } else if (starP !== -1) {
      p = starP + 1
      n = ++starN
    } else {
      return false
    }
  }
  while (pattern[p] === '*') p++
  return p === pattern.length
}
