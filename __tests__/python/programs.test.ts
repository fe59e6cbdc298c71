/** Running the bundled Python programs on a target, and reading their one-line JSON answer. */
import { mkdtempSync, rmSync } from 'node:fs'
import * as net from 'node:net'
import * as os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ActionError } from '../../src/errors.js'
import { lastLineJson, runPythonProgram } from '../../src/python/programs.js'
import { LocalTarget } from '../../src/target/local.js'

const workdir = mkdtempSync(path.join(os.tmpdir(), 'programs-test-'))
afterAll(() => rmSync(workdir, { recursive: true, force: true }))

describe('lastLineJson', () => {
  it('reads the last line, after whatever Tempest logged', () => {
    expect(lastLineJson('2026 INFO tempest log line\n{"tests": []}\n\n')).toEqual({ tests: [] })
    expect(lastLineJson('removed one\n["user: container x"]')).toEqual(['user: container x'])
    expect(lastLineJson('Traceback (most recent call last):\n  boom\n')).toBeUndefined()
    expect(lastLineJson('{"cut')).toBeUndefined()
    expect(lastLineJson('')).toBeUndefined()
  })
})

describe('runPythonProgram', () => {
  it("installs the programs under <workdir>/python and returns the program's answer", async () => {
    // Keystone on a port nothing listens on: keystone_roles.py answers with the connection error.
    const server = net.createServer()
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const port = (server.address() as net.AddressInfo).port
    await new Promise((resolve) => server.close(resolve))
    const input = { url: `http://127.0.0.1:${port}/v3`, username: 'u', password: 'p', project_name: 'p' }
    const { result, answer } = await runPythonProgram(
      new LocalTarget(),
      { python: '/usr/bin/python3', workdir, program: 'keystone_roles.py' },
      { stdin: JSON.stringify(input), timeoutMs: 60_000 }
    )
    expect(result.code).toBe(3)
    expect(answer).toEqual({ error: expect.stringMatching(/refused/i) })
  })

  it('names the Python it could not start, with what to change', async () => {
    const run = runPythonProgram(new LocalTarget(), {
      python: path.join(workdir, 'no-such-python3'),
      workdir,
      program: 'preflight.py'
    })
    await expect(run).rejects.toBeInstanceOf(ActionError)
    await expect(run).rejects.toMatchObject({
      message: expect.stringMatching(/^Cannot run .*no-such-python3 on the runner: /),
      hint: 'Python 3 must be installed on the target'
    })
  })
})
