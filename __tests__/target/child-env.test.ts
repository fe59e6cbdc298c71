/** The environment of commands on the runner: an allowlist. */
import { describe, expect, it } from 'vitest'
import { childEnvironment } from '../../src/target/child-env.js'

describe('childEnvironment', () => {
  it('keeps what tools need, drops inputs, state and tokens, and puts the command’s own variables over it', () => {
    const env = childEnvironment(
      {
        PATH: '/usr/bin',
        HOME: '/root',
        LC_ALL: 'C.UTF-8',
        https_proxy: 'http://proxy:3128',
        NO_PROXY: 'localhost',
        PIP_INDEX_URL: 'https://pypi.example/simple',
        REQUESTS_CA_BUNDLE: '/etc/ssl/ca.pem',
        'INPUT_SSH-PRIVATE-KEY': 'key',
        INPUT_UPLOAD_KEY: 'key',
        'STATE_run-pid': '1',
        ACTIONS_RUNTIME_TOKEN: 't',
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: 't',
        GITHUB_TOKEN: 't',
        OS_PASSWORD: 'p'
      },
      { DEBIAN_FRONTEND: 'noninteractive', PATH: '/opt/bin' }
    )
    expect(env).toEqual({
      PATH: '/opt/bin',
      HOME: '/root',
      LC_ALL: 'C.UTF-8',
      https_proxy: 'http://proxy:3128',
      NO_PROXY: 'localhost',
      PIP_INDEX_URL: 'https://pypi.example/simple',
      REQUESTS_CA_BUNDLE: '/etc/ssl/ca.pem',
      DEBIAN_FRONTEND: 'noninteractive'
    })
  })
})
