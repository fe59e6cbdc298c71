/**
 * Checks of inputs that reach a network or a command line where a hostile value would do harm: the RefStack
 * server receives the upload key's signature and serves guidelines, so it is reached over TLS; a git ref
 * that starts with "-" would be read by git as an option. Pure; each throws one ActionError naming the input.
 */
import { isIPv4 } from 'node:net'
import { Input } from './constants.js'
import { ActionError } from './errors.js'

/** `localhost`, an IPv4 literal in 127.0.0.0/8, or `[::1]` (a URL's hostname): where plain http:// is accepted. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase()
  return (
    host === 'localhost' || (isIPv4(host) && host.startsWith('127.')) || host === '[::1]' || host === '::1'
  )
}

/** `refstack-server` must be https://, except on a loopback address (a test server on the runner). */
export function checkRefstackServerScheme(value: string): void {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return // the URL's shape is checked with the other rules of the input
  }
  if (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname))) return
  throw new ActionError(
    `Input '${Input.RefstackServer}' must be an https:// URL (got '${value}')`,
    `Guidelines and uploads travel to it: use https:// (plain http:// is accepted only for loopback addresses such as 127.0.0.1, for tests)`
  )
}

/** Git revisions and repository URLs never start with "-": one that does would be an option to git. */
export function checkGitArgument(name: string, value: string): void {
  if (!value.startsWith('-')) return
  throw new ActionError(
    `Input '${name}' cannot start with '-' (got '${value}')`,
    name === Input.RefstackClientRef
      ? `Give a commit, tag or branch of refstack-client, e.g. 'eb3c6d4957253cee8488e227a85863f2e58f6b77'`
      : `Give the repository's URL, e.g. 'https://opendev.org/openinfra/refstack-client'`
  )
}
