// Runs the bundled action exactly as a GitHub runner does: inputs as INPUT_* environment variables (names
// keep their hyphens), GITHUB_OUTPUT / GITHUB_STEP_SUMMARY / GITHUB_STATE files, then the post step with
// STATE_* variables from the state file. Used by `npm run demo`, `npm run local` and the end-to-end tests.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import YAML from 'yaml'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')

/** Parses a GITHUB_OUTPUT / GITHUB_STATE file (`name<<delimiter` blocks, or `name=value` lines). */
export function parseCommandFile(text) {
  const values = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i])
    if (heredoc) {
      const body = []
      for (i++; i < lines.length && lines[i] !== heredoc[2]; i++) body.push(lines[i])
      values[heredoc[1]] = body.join('\n')
    } else if (lines[i].includes('=')) {
      const eq = lines[i].indexOf('=')
      values[lines[i].slice(0, eq)] = lines[i].slice(eq + 1)
    }
  }
  return values
}

function spawnNode(
  script,
  env,
  { echo = false, signalAfterMs, signal = 'SIGINT', signalWhen, onStdout } = {}
) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script], {
      cwd: env.GITHUB_WORKSPACE,
      env,
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let stdout = ''
    let stderr = ''
    let signalled = false
    child.stdout.on('data', (chunk) => {
      stdout += chunk
      if (echo) process.stdout.write(chunk)
      onStdout?.(stdout, child)
      if (!signalled && signalWhen?.(stdout)) {
        signalled = true
        child.kill(signal)
      }
    })
    child.stderr.on('data', (chunk) => {
      stderr += chunk
      if (echo) process.stderr.write(chunk)
    })
    const timer =
      signalAfterMs === undefined ? undefined : setTimeout(() => child.kill(signal), signalAfterMs)
    child.on('error', reject)
    child.on('close', (code) => {
      if (timer) clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
}

/** The defaults action.yml declares, as the runner fills them in. */
export function actionDefaults() {
  const action = YAML.parse(readFileSync(path.join(ROOT, 'action.yml'), 'utf8'))
  return Object.fromEntries(Object.entries(action.inputs).map(([name, input]) => [name, input.default ?? '']))
}

/**
 * What a runner gives a step, under `dir`: empty GITHUB_OUTPUT / GITHUB_STEP_SUMMARY / GITHUB_STATE / GITHUB_ENV /
 * GITHUB_PATH files, the run's variables, and every input of action.yml (its default when `inputs` gives none)
 * as INPUT_<NAME>. `base`: the rest of the environment, under the runner's variables; `overrides`: over them.
 * Returns { env, files }.
 */
export function runnerEnv(dir, inputs, base = {}, overrides = {}) {
  const files = {
    GITHUB_OUTPUT: path.join(dir, 'output'),
    GITHUB_STEP_SUMMARY: path.join(dir, 'summary.md'),
    GITHUB_STATE: path.join(dir, 'state'),
    GITHUB_ENV: path.join(dir, 'env'),
    GITHUB_PATH: path.join(dir, 'path')
  }
  for (const file of Object.values(files)) writeFileSync(file, '')
  const env = {
    GITHUB_WORKSPACE: dir,
    ...base,
    ...files,
    GITHUB_ACTIONS: 'true',
    RUNNER_TEMP: path.join(dir, 'runner-temp'),
    GITHUB_RUN_ID: '1',
    GITHUB_RUN_ATTEMPT: '1',
    ...overrides
  }
  for (const [name, value] of Object.entries({ ...actionDefaults(), ...inputs })) {
    env[`INPUT_${name.toUpperCase()}`] = String(value)
  }
  return { env, files }
}

/**
 * inputs: { 'program': 'object', ... }; options: { post: true, echo: false, env: {}, signalAfterMs, signal,
 * signalWhen(allOutputSoFar) → boolean, onStdout(allOutputSoFar, mainProcess) }. `signal` goes to the main step
 * once, when signalWhen first returns true (an event in its output), or signalAfterMs after the start (a bound
 * for hangs).
 * Returns { code, stdout, stderr, outputs, summary, state, post: { code, stdout, stderr } | undefined, dir }.
 */
export async function runAction(inputs, options = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'refstack-action-run-'))
  const base = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('INPUT_') && !key.startsWith('STATE_') && !key.startsWith('GITHUB_'))
      base[key] = value
  }
  const { env, files } = runnerEnv(dir, inputs, base, {
    GITHUB_WORKSPACE: options.workspace ?? dir,
    ...options.env
  })
  const main = await spawnNode(path.join(ROOT, 'dist', 'index.js'), env, options)
  const state = parseCommandFile(readFileSync(files.GITHUB_STATE, 'utf8'))
  let post
  if (options.post !== false) {
    const postEnv = { ...env }
    for (const [name, value] of Object.entries(state)) postEnv[`STATE_${name}`] = value
    post = await spawnNode(path.join(ROOT, 'dist', 'post', 'index.js'), postEnv, { echo: options.echo })
  }
  return {
    ...main,
    outputs: parseCommandFile(readFileSync(files.GITHUB_OUTPUT, 'utf8')),
    summary: readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8'),
    state,
    post,
    dir
  }
}

/** Reads the dev cloud's env file (KEY=VALUE lines written by scripts/dev-cloud/up.sh). */
export function devCloudEnv(stateDir = process.env.DEV_CLOUD_DIR || '/var/lib/refstack-dev-cloud') {
  return parseCommandFile(readFileSync(path.join(stateDir, 'env'), 'utf8'))
}

/**
 * The action's SSH inputs for the loopback cloud's sshd (`cloud`: devCloudEnv()), with its plain key, or with
 * the passphrase-protected one and its passphrase when `passphrase` is true.
 */
export function devCloudSshInputs(cloud, { passphrase = false } = {}) {
  const inputs = {
    'ssh-host': cloud.SSH_HOST,
    'ssh-port': cloud.SSH_PORT,
    'ssh-user': cloud.SSH_USER,
    'ssh-private-key': readFileSync(passphrase ? cloud.SSH_KEY_WITH_PASSPHRASE : cloud.SSH_KEY, 'utf8'),
    'ssh-known-hosts': readFileSync(cloud.SSH_KNOWN_HOSTS, 'utf8')
  }
  if (passphrase) inputs['ssh-passphrase'] = readFileSync(cloud.SSH_KEY_PASSPHRASE_FILE, 'utf8')
  return inputs
}
