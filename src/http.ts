/**
 * One HTTP exchange through @actions/http-client (which honours HTTPS_PROXY / NO_PROXY), with `timeoutMs` for
 * the whole exchange: the client's own socketTimeout only limits each wait for data. No retries, no keep-alive.
 * Redirects are followed here, hop by hop, each checked as the first URL is: https://, or plain http:// only
 * from a loopback address to a loopback address; a relative `Location` is resolved against the URL it came from.
 */
import { HttpClient } from '@actions/http-client'
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http'
import { isLoopbackHost } from './input-checks.js'

/** Redirects followed before giving up (browsers stop at 20). */
const MAX_REDIRECTS = 10
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308])

/** Whether a redirect from `from` to `to` may be followed: to https://, or plain http:// between loopback hosts. */
export function redirectAllowed(from: URL, to: URL): boolean {
  if (to.protocol === 'https:') return true
  return (
    to.protocol === 'http:' &&
    from.protocol === 'http:' &&
    isLoopbackHost(from.hostname) &&
    isLoopbackHost(to.hostname)
  )
}

export interface HttpRequest {
  method: 'GET' | 'POST'
  url: string
  body?: string
  headers?: OutgoingHttpHeaders
  timeoutMs: number
  /** false: a 3xx is the answer (default: redirects are followed). */
  allowRedirects?: boolean
  /** The largest body read; a larger answer is an error once that many bytes arrived (default: no limit). */
  maxBytes?: number
}

export interface HttpAnswer {
  status: number
  body: string
}

/** The answer, whatever its status. Rejects with the client's error, a refused redirect, or `no answer within N ms`. */
export async function httpRequest(request: HttpRequest): Promise<HttpAnswer> {
  // Redirects are followed by exchange() below, so each hop is checked.
  const client = new HttpClient('refstack-action', [], {
    socketTimeout: request.timeoutMs,
    allowRetries: false,
    keepAlive: false,
    allowRedirects: false
  })
  const noAnswer = `no answer within ${request.timeoutMs} ms`
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(noAnswer)), request.timeoutMs)
  })
  const exchange = follow(client, request)
  exchange.catch(() => undefined) // a late failure after the deadline must not become an unhandled rejection
  try {
    return await Promise.race([exchange, deadline])
  } catch (error) {
    // The client's socketTimeout fired first.
    if (error instanceof Error && error.message.startsWith('Request timeout')) throw new Error(noAnswer)
    throw error
  } finally {
    clearTimeout(timer)
    client.dispose()
  }
}

/** The body of an answer as UTF-8 text, read up to `maxBytes` (then the answer is dropped and an error thrown). */
async function readBody(message: IncomingMessage, maxBytes = Infinity): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of message as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > maxBytes) {
      message.destroy()
      throw new Error(`the answer is larger than ${maxBytes} bytes, more than expected`)
    }
    chunks.push(chunk)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/** The exchange, following redirects (unless `allowRedirects` is false) while redirectAllowed says so. */
async function follow(client: HttpClient, request: HttpRequest): Promise<HttpAnswer> {
  let url = new URL(request.url)
  let method: string = request.method
  let body = request.body ?? null
  let headers = { ...(request.headers ?? {}) }
  for (let hop = 0; ; hop++) {
    const response = await client.request(method, url.href, body, headers)
    const status = response.message.statusCode ?? 0
    const location = response.message.headers.location
    if (request.allowRedirects === false || !REDIRECT_STATUSES.has(status) || location === undefined) {
      return { status, body: await readBody(response.message, request.maxBytes) }
    }
    response.message.resume() // the redirect's own body is not wanted
    if (hop >= MAX_REDIRECTS) throw new Error(`more than ${MAX_REDIRECTS} redirects (last from ${url.href})`)
    let next: URL
    try {
      next = new URL(location, url)
    } catch {
      throw new Error(`${url.href} redirected to an invalid Location (HTTP ${status})`)
    }
    if (!redirectAllowed(url, next)) {
      throw new Error(
        `${url.href} redirected to ${next.protocol}//${next.host}${next.pathname}, which is not followed: only https://, or plain http:// from a loopback address to a loopback address`
      )
    }
    if (next.origin !== url.origin) {
      // Credentials are for the server they were given to.
      headers = Object.fromEntries(
        Object.entries(headers).filter(([name]) => !/^(authorization|cookie)$/i.test(name))
      )
    }
    // 303, and 301/302 of a POST, become a GET without body (as browsers and the client do); 307/308 keep both.
    if (status === 303 || ((status === 301 || status === 302) && method === 'POST')) {
      method = 'GET'
      body = null
    }
    url = next
  }
}

/** A failed exchange in words: the message, with the system error code (ECONNREFUSED, …) when it lacks it. */
export function transportProblem(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  const code = (error as { code?: unknown } | undefined)?.code
  return typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message
}

/**
 * `title: detail` of an error body in the RefStack API's JSON format, or the start of any other body (an HTML
 * error page of a proxy, or of a URL that is not the API) as one line of text.
 */
export function errorBody(body: string): string {
  try {
    const json: unknown = JSON.parse(body)
    if (typeof json === 'object' && json !== null && !Array.isArray(json)) {
      const { title, detail } = json as { title?: unknown; detail?: unknown }
      return [title, detail].filter((v) => typeof v === 'string' && v !== '').join(': ')
    }
  } catch {
    // not JSON
  }
  const flat = body
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat
}

/** "HTTP 500 (Internal Server Error: The server was unable to …)": the status and what the body says. */
export function describeAnswer(answer: HttpAnswer): string {
  const text = errorBody(answer.body)
  return `HTTP ${answer.status}${text ? ` (${text})` : ''}`
}
