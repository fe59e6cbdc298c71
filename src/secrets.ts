/**
 * Every secret the action learns (inputs, passwords of tempest.conf, accounts files and openrc files) is
 * registered here: masked in the log before its first use, and redacted from the files the action keeps
 * (the logs copied into the results artifact hold the tools' output, which the runner never masked).
 */
import * as core from '@actions/core'
import { createReadStream, createWriteStream, promises as fs } from 'node:fs'
import { createInterface } from 'node:readline'
import { once } from 'node:events'

const registered = new Set<string>()

/**
 * The parts of a secret that get masked: the whole value, and for a multi-line value (a key) each line on
 * its own, since the runner masks and prints logs line by line. PEM armour lines (`-----BEGIN …`) are not
 * secret, and lines under 4 characters are left out of line-wise masking so a key's short last line does
 * not mask every "=" in the log. Pure.
 */
export function secretParts(value: string): string[] {
  const whole = value.trim()
  if (whole === '') return []
  const lines = whole.split(/\r?\n/).map((line) => line.trim())
  if (lines.length === 1) return [whole]
  return [whole, ...lines.filter((line) => line.length >= 4 && !line.startsWith('-----'))]
}

/**
 * Values never masked, whatever option holds them: a boolean as oslo.config reads one, or a number of up to six
 * digits (a port, a count, a timeout). Masking one would print *** for every `false` or `5000` in the log, and a
 * secret that is one of them protects nothing. Pure.
 */
export function neverSecret(value: string): boolean {
  return /^(true|false|yes|no|on|off|none|null)$/i.test(value.trim()) || /^\d{1,6}$/.test(value.trim())
}

/** Masks a secret (and each of its lines) in the log from now on, and remembers it for `redact`. */
export function registerSecret(value: string): void {
  if (neverSecret(value)) return
  for (const part of secretParts(value)) {
    if (registered.has(part)) continue
    registered.add(part)
    core.setSecret(part)
  }
}

/** Text with every registered secret replaced by *** (longest first, so no part of a longer one is left). */
export function redact(text: string): string {
  const secrets = [...registered].sort((a, b) => b.length - a.length)
  let result = text
  for (const secret of secrets) result = result.replaceAll(secret, '***') // the runner's own mask
  return result
}

/** Rewrites a file on the runner with every registered secret redacted, line by line (any size). */
export async function redactFile(file: string): Promise<void> {
  if (registered.size === 0) return
  const temp = `${file}.redacting`
  const output = createWriteStream(temp, { mode: 0o600 })
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity })
  let first = true
  for await (const line of lines) {
    if (!output.write(`${first ? '' : '\n'}${redact(line)}`)) await once(output, 'drain')
    first = false
  }
  output.end('\n')
  await once(output, 'close')
  await fs.rename(temp, file)
}
