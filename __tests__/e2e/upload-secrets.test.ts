/**
 * Upload through the bundled action after a real run over SSH, to a RefStack API test server that answers as
 * the real one (signature verified), and a scan of everything the action leaves for secrets.
 */
import { generateKeyPairSync } from 'node:crypto'
import { readFileSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
// @ts-expect-error -- plain JavaScript helper shared with npm run demo
import { devCloudEnv, devCloudSshInputs, runAction } from '../../scripts/lib/run-action.mjs'
import {
  addResultsApi,
  type RefstackServer,
  type ResultsApi,
  startRefstackServer
} from '../helpers/refstack-server.js'
import { loadSigningKey } from '../../src/refstack-api/upload.js'

const skip = inject('cloudSkipReason')

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name)
    return statSync(file).isDirectory() ? filesUnder(file) : [file]
  })
}

describe.skipIf(skip !== '')(`upload and secrets${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let server: RefstackServer
  let api: ResultsApi
  let inputs: Record<string, string>
  let secrets: string[]
  const uploadKey = generateKeyPairSync('rsa', { modulusLength: 2048 })
    .privateKey.export({ type: 'pkcs1', format: 'pem' })
    .toString()

  beforeAll(async () => {
    server = await startRefstackServer()
    api = addResultsApi(server, { anonymousUpload: false })
    const cloud = devCloudEnv()
    const creds = Object.fromEntries(
      readFileSync(path.join(cloud.STATE_DIR, 'credentials.env'), 'utf8')
        .split('\n')
        .filter((line) => line.includes('='))
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)])
    )
    inputs = {
      guideline: '2020.06',
      'guideline-source': 'bundled',
      program: 'object',
      'tempest-conf': cloud.TEMPEST_CONF,
      ...devCloudSshInputs(cloud, { passphrase: true }),
      upload: 'true',
      'upload-key': uploadKey,
      'refstack-server': server.url,
      'junit-file': 'junit.xml',
      'artifact-name': ''
    }
    const keyBody = (text: string) =>
      text.split('\n').filter((line) => line !== '' && !line.startsWith('-----'))
    secrets = [
      inputs['ssh-passphrase'],
      ...keyBody(inputs['ssh-private-key']),
      ...keyBody(uploadKey),
      creds.ADMIN_PASSWORD,
      creds.TEMPEST_USERS_PASSWORD,
      creds.SWIFT_SERVICE_PASSWORD
    ].filter((s) => s && s.length >= 6)
    expect(secrets.length).toBeGreaterThan(6)
  })
  afterAll(async () => {
    await server?.stop()
  })

  function scan(result: { stdout: string; stderr: string; summary: string; dir: string }): void {
    // ::add-mask:: lines are how a secret is registered with the runner, which removes them from the log.
    const log = (result.stdout + result.stderr)
      .split('\n')
      .filter((line) => !line.startsWith('::add-mask::'))
      .join('\n')
    const places: Record<string, string> = { log, summary: result.summary }
    for (const file of filesUnder(result.dir)) places[file] = readFileSync(file, 'latin1')
    for (const [place, text] of Object.entries(places)) {
      for (const secret of secrets) expect(text.includes(secret), `a secret appears in ${place}`).toBe(false)
    }
  }

  it('uploads a signed result: the URL is in the outputs and the summary; no secret anywhere', async () => {
    api.knownKeys.add(loadSigningKey(uploadKey).publicKey.split(' ')[1])
    const result = await runAction(inputs)
    expect(result.code).toBe(0)
    expect(api.stored).toHaveLength(1)
    const stored = api.stored[0]
    expect(stored.result.results).toHaveLength(59)
    expect(result.outputs['result-id']).toBe(stored.id)
    expect(result.outputs['result-url']).toMatch(new RegExp(`#/results/${stored.id}$`))
    expect(result.summary).toContain(`](${result.outputs['result-url']})`)
    scan(result)
  })

  it('a refused upload fails the step with the server’s reason, and keeps and reports the results', async () => {
    api.knownKeys.clear()
    const result = await runAction(inputs)
    expect(result.code).toBe(1)
    const errors = result.stdout.split('\n').filter((line: string) => line.startsWith('::error::'))
    expect(errors.join('\n')).toContain('User with specified key not found')
    expect(result.outputs.compliant).toBe('true')
    expect(result.outputs.passed).toBe('58')
    expect(result.outputs['result-url']).toBe('')
    expect(readFileSync(result.outputs['report-file'], 'utf8')).toContain('"compliant": true')
    expect(result.summary).toContain('User with specified key not found')
    scan(result)
  })
})
