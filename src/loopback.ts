/** Loopback hosts: where plain http:// is accepted (test servers on the runner), and nowhere else. */
import { isIPv4 } from 'node:net'

/** `localhost`, an IPv4 literal in 127.0.0.0/8, or `[::1]` (a URL's hostname). Pure. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase()
  return (
    host === 'localhost' || (isIPv4(host) && host.startsWith('127.')) || host === '[::1]' || host === '::1'
  )
}
