/**
 * The bundled action inside a real openstack-ansible-style utility container (`container: utility`): an LXC
 * overlay clone `aio1_utility_container-<8 hex>` sharing the host's network, so it reaches the loopback cloud
 * on 127.0.0.1. The action installs refstack-client in it with apt (`install: auto`), runs the 2020.06 object
 * program there, and a cancelled job ends the Tempest processes inside the container (signals to lxc-attach
 * never reach them: lxc-attach(1), --clear-env). Then the same through SSH → lxc-attach.
 *
 * Real runs share one cloud and one set of test accounts: run this file under the lock,
 * `flock /tmp/refstack-dev-cloud.lock npx vitest run --project e2e __tests__/e2e/lxc.test.ts`.
 */
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
// @ts-expect-error -- plain JavaScript helper shared with npm run demo
import { devCloudEnv, devCloudSshInputs, runAction } from '../../scripts/lib/run-action.mjs'
import { skipUnlessAvailable } from '../helpers/sshd.js'
import { lxcUnavailableReason } from '../target/lxc-fixture.js'
import {
  IN_CONTAINER,
  attach,
  attachOk,
  createUtilityContainer,
  destroyClone,
  installTempestConf,
  otherUtilityContainers,
  tempestProcesses,
  type Clone,
  type InnerProcess
} from './lxc-utility.js'
import { onceWhen, tempestFinished, tempestHasAResult } from './events.js'

const cloudSkip = inject('cloudSkipReason')
const gate = skipUnlessAvailable(
  cloudSkip !== '' ? cloudSkip : lxcUnavailableReason(),
  'the bundled action in a real LXC utility container'
)

describe.skipIf(gate.skip)(gate.title, () => {
  let cloud: Record<string, string>
  let utility: Clone
  let inputs: Record<string, string>

  beforeAll(() => {
    cloud = devCloudEnv()
    const started = Date.now()
    utility = createUtilityContainer()
    installTempestConf(utility.name, cloud)
    console.log(`utility container ${utility.name} ready in ${Date.now() - started} ms`)
    inputs = {
      guideline: '2020.06',
      'guideline-source': 'bundled',
      program: 'object',
      container: 'utility',
      install: 'auto',
      'tempest-conf': IN_CONTAINER.tempestConf,
      'artifact-name': ''
    }
  }, 600_000)

  afterAll(() => {
    if (utility !== undefined) destroyClone(utility)
  })

  it('the container is a bare Debian clone on the host network, without refstack-client', () => {
    expect(otherUtilityContainers([utility.name])).toEqual([])
    expect(readFileSync(`${utility.lxcPath}/${utility.name}/config`, 'utf8')).toMatch(
      /^lxc\.net\.0\.type = none$/m
    )
    expect(attach(utility.name, ['sh', '-c', 'command -v refstack-client']).code).not.toBe(0)
    // tempest.conf and everything it names exist inside the container only.
    expect(attach(utility.name, ['test', '-d', IN_CONTAINER.logDir]).code).toBe(0)
  })

  it('installs refstack-client with apt inside the container and is compliant there (58/58)', async () => {
    const started = Date.now()
    const result = await runAction(inputs)
    const seconds = Math.round((Date.now() - started) / 1000)
    console.log(`install + run in ${utility.name}: ${seconds} s`)
    expect(result.stdout).toContain(`Running on container ${utility.name} on the runner`)
    expect(result.stdout).toContain(
      `Installing refstack-client and tempest with apt on container ${utility.name} on the runner`
    )
    expect(result.stdout).not.toContain('::error')
    expect(result.code).toBe(0)
    expect(result.outputs).toMatchObject({
      compliant: 'true',
      required: '58',
      passed: '58',
      failed: '0',
      compliance: '100'
    })
    expect(result.stdout).toMatch(/59\/59 tests: 59 passed, 0 failed, 0 skipped/)
    const report = JSON.parse(readFileSync(result.outputs['report-file'], 'utf8'))
    expect(report.target).toBe('container utility on the runner')
    expect(report.run.toolchain).toMatch(/^apt: deb /)
    // refstack-client, its run directory and Tempest's log are inside the container.
    expect(attachOk(utility.name, ['dpkg-query', '-W', '-f=${Status}', 'refstack-client'])).toBe(
      'install ok installed'
    )
    const runDir = result.state['run-dir']
    expect(attachOk(utility.name, ['cat', `${runDir}/exit-status`]).trim()).toBe('0')
    expect(attachOk(utility.name, ['ls', IN_CONTAINER.logDir])).toContain('tempest.log')
    expect(report.files.tempestLog).toBeTruthy()
    expect(tempestProcesses(utility.name)).toEqual([])
    expect(result.post.code).toBe(0)
  })

  /**
   * The action on the container, sent `signal` once Tempest has its first result inside the container; the
   * container's processes are sampled at that moment, to prove there was something to stop.
   */
  async function runSignalled(signal: NodeJS.Signals) {
    let during: InnerProcess[] = []
    const firstResult = onceWhen(tempestHasAResult, () => {
      during = tempestProcesses(utility.name)
    })
    const result = await runAction(inputs, { signalWhen: firstResult.check, signal })
    const atSignal = firstResult.seen()
    // The signal went while Tempest was running (after its first result, before it had finished).
    expect(atSignal, 'the run ended before Tempest had a result').toBeDefined()
    expect(atSignal).toMatch(/^Running on .*: \S*refstack-client test /m)
    expect(tempestFinished(atSignal ?? '')).toBe(false)
    return { result, during }
  }

  it('a cancelled job ends the Tempest processes inside the container', async () => {
    const { result, during } = await runSignalled('SIGINT')
    expect(result.stdout).toMatch(
      new RegExp(`Running on container ${utility.name} on the runner: \\S*refstack-client test`)
    )
    expect(result.stdout).toContain('The job is being cancelled; stopping the Tempest run')
    expect(result.code).not.toBe(0)
    expect(result.outputs.compliant).toBe('false')
    const pgid = Number(result.state['run-pid'])
    expect(pgid).toBeGreaterThan(1)
    // The run's process group (container pids) was alive at the signal, and is gone now, with every Tempest process.
    expect(during.some((p) => p.pgid === pgid && /refstack-client/.test(p.args))).toBe(true)
    expect(attach(utility.name, ['sh', '-c', 'kill -0 -"$1"', 'sh', String(pgid)]).code).not.toBe(0)
    expect(tempestProcesses(utility.name)).toEqual([])
    // Stopped with SIGINT: refstack-client's status (not 0) was written; the post step found nothing left to stop.
    expect(attachOk(utility.name, ['cat', `${result.state['run-dir']}/exit-status`]).trim()).not.toBe('0')
    expect(result.post.code).toBe(0)
    expect(result.post.stdout).toContain('Nothing of this run is left running')
  })

  it('when the action itself is killed mid-run, the post step ends the Tempest run inside the container', async () => {
    // SIGKILL: main cannot stop anything; only the post step (post-if: always()) can.
    const { result, during } = await runSignalled('SIGKILL')
    expect(result.code).toBeNull()
    const pgid = Number(result.state['run-pid'])
    expect(pgid).toBeGreaterThan(1)
    expect(during.some((p) => p.pgid === pgid && /refstack-client/.test(p.args))).toBe(true)
    expect(result.post.code).toBe(0)
    expect(result.post.stdout).toContain(
      `Stopped what was left running on container ${utility.name} on the runner: ${result.state['run-dir']}`
    )
    expect(attach(utility.name, ['sh', '-c', 'kill -0 -"$1"', 'sh', String(pgid)]).code).not.toBe(0)
    expect(tempestProcesses(utility.name)).toEqual([])
  })

  it('runs in the container through SSH → lxc-attach, compliant', async () => {
    const started = Date.now()
    const result = await runAction({
      ...inputs,
      ...devCloudSshInputs(cloud)
    })
    console.log(`SSH → LXC run: ${Math.round((Date.now() - started) / 1000)} s`)
    expect(result.stdout).toContain(
      `Running on container ${utility.name} on root@${cloud.SSH_HOST}:${cloud.SSH_PORT}`
    )
    expect(result.stdout).toContain(`refstack-client found on container ${utility.name}`)
    expect(result.stdout).not.toContain('::error')
    expect(result.code).toBe(0)
    expect(result.outputs).toMatchObject({ compliant: 'true', required: '58', passed: '58' })
    expect(attachOk(utility.name, ['cat', `${result.state['run-dir']}/exit-status`]).trim()).toBe('0')
    expect(tempestProcesses(utility.name)).toEqual([])
  })
})
