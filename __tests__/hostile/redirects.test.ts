/**
 * Redirects of a guideline URL through the bundled action (dist/index.js): every hop is checked as the first URL
 * is (https://, or plain http:// only from loopback to loopback), and a relative Location is resolved. The
 * server is a loopback HTTP server of the test.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
// @ts-expect-error -- plain JavaScript helper shared with npm run demo
import { runAction } from '../../scripts/lib/run-action.mjs'
import { redirectAllowed } from '../../src/http.js'

const LIST = 'tempest.api.identity.v3.test_tokens.TokensV3Test.test_create_token\n'
const HANG = { signalAfterMs: 60_000, signal: 'SIGKILL' }

let server: Server
let base: string
/** Paths the server was asked for. */
const asked: string[] = []

beforeAll(async () => {
  server = createServer((request, response) => {
    asked.push(request.url ?? '')
    const redirect = (location: string): void => {
      response.writeHead(302, { location })
      response.end()
    }
    if (request.url === '/relative/list.txt') return redirect('../lists/list.txt')
    if (request.url === '/away/list.txt') return redirect('http://refstack-redirect-target.invalid/list.txt')
    if (request.url === '/loop/list.txt') return redirect('/loop/list.txt')
    if (request.url === '/huge/list.txt') {
      // More than a list may be, sent until the client hangs up.
      response.writeHead(200, { 'content-type': 'text/plain' })
      const line = Buffer.from(LIST.repeat(1000))
      const send = (): void => {
        while (response.write(line)) if (response.writableLength > 1 << 20) break
      }
      response.on('drain', send)
      response.on('close', () => response.removeAllListeners('drain'))
      send()
      return
    }
    if (request.url === '/lists/list.txt') {
      response.writeHead(200, { 'content-type': 'text/plain' })
      return response.end(LIST)
    }
    response.writeHead(404)
    response.end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve))
})

function dryRun(url: string) {
  return runAction({ guideline: url, 'dry-run': 'true', 'artifact-name': '' }, HANG)
}

describe('7. redirects are checked on every hop', () => {
  it('a relative Location is resolved against the URL it came from', async () => {
    const result = await dryRun(`${base}/relative/list.txt`)
    expect(result.code).toBe(0)
    expect(result.outputs).toMatchObject({ guideline: 'list.txt', required: '1' })
    expect(asked).toContain('/lists/list.txt')
  })

  it('plain http:// from loopback to another host is not followed', async () => {
    const result = await dryRun(`${base}/away/list.txt`)
    expect(result.code).toBe(1)
    expect(result.stdout).toContain(
      `redirected to http://refstack-redirect-target.invalid/list.txt, which is not followed: only https://, or plain http:// from a loopback address to a loopback address`
    )
  })

  it('an endless redirect ends with an error naming it', async () => {
    const result = await dryRun(`${base}/loop/list.txt`)
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('more than 10 redirects')
  })

  it('an answer larger than a list can be is dropped once that many bytes arrived', async () => {
    const result = await dryRun(`${base}/huge/list.txt`)
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('the answer is larger than 16777216 bytes')
  })

  it.each([
    ['https://a.example/x', 'https://b.example/y', true],
    ['https://a.example/x', 'http://b.example/y', false],
    ['https://a.example/x', 'http://127.0.0.1/y', false],
    ['http://127.0.0.1:8/x', 'http://localhost:9/y', true],
    ['http://127.0.0.1/x', 'http://10.0.0.1/y', false],
    ['http://127.0.0.1/x', 'https://b.example/y', true],
    ['http://127.0.0.1/x', 'ftp://127.0.0.1/y', false]
  ])('%s → %s followed: %s', (from, to, allowed) => {
    expect(redirectAllowed(new URL(from), new URL(to))).toBe(allowed)
  })
})
