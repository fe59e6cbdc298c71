/**
 * One HTTP exchange through @actions/http-client (which honours HTTPS_PROXY / NO_PROXY), with `timeoutMs` for
 * the whole exchange: the client's own socketTimeout only limits each wait for data. No retries, no keep-alive.
 */
import { HttpClient } from '@actions/http-client'
import type { OutgoingHttpHeaders } from 'node:http'

export interface HttpRequest {
  method: 'GET' | 'POST'
  url: string
  body?: string
  headers?: OutgoingHttpHeaders
  timeoutMs: number
  /** false: a 3xx is the answer (default: redirects are followed). */
  allowRedirects?: boolean
}

export interface HttpAnswer {
  status: number
  body: string
}

/** The answer, whatever its status. Rejects with the client's error, or `no answer within N ms`. */
export async function httpRequest(request: HttpRequest): Promise<HttpAnswer> {
  const client = new HttpClient('refstack-action', [], {
    socketTimeout: request.timeoutMs,
    allowRetries: false,
    keepAlive: false,
    ...(request.allowRedirects === false ? { allowRedirects: false } : {})
  })
  const noAnswer = `no answer within ${request.timeoutMs} ms`
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(noAnswer)), request.timeoutMs)
  })
  const exchange = client
    .request(request.method, request.url, request.body ?? null, request.headers ?? {})
    .then(async (response) => ({ status: response.message.statusCode ?? 0, body: await response.readBody() }))
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
