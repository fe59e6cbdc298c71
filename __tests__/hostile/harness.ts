/**
 * A local run of the bundled action with a stub refstack-client (a shell script in the workdir's git checkout
 * place, found by the action's probe) that replays a real refstack-client stream: what a hostile target, file
 * or guideline can make the action do, seen from the runner's side.
 */
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

export const FIXTURES = path.join(import.meta.dirname, '..', '..', '__fixtures__')
/** A real refstack-client run of the 2020.06 object program (see __fixtures__/subunit/README.md). */
export const REAL_STREAM = path.join(FIXTURES, 'subunit', 'real-run', 'object-2020.06-local.v1')

export interface StubRun {
  /** Scratch directory of this run (the workdir, tempest.conf and the stub live under it). */
  dir: string
  workdir: string
  tempestConf: string
  /** The stub's environment, written by the stub to this file. */
  envDump: string
}

/**
 * A workdir with an executable refstack-client stub that runs `body` (POSIX sh; $STREAM is where it must put
 * its subunit stream), then prints refstack-client's "Subunit results located in:" line. `confExtra` is
 * appended to tempest.conf's [auth] section.
 */
export function stubRefstackClient(body: string, confExtra = ''): StubRun {
  const dir = mkdtempSync(path.join(tmpdir(), 'refstack-hostile-'))
  const workdir = path.join(dir, 'work')
  const bin = path.join(workdir, 'refstack-client', '.venv', 'bin')
  mkdirSync(bin, { recursive: true })
  mkdirSync(path.join(workdir, 'refstack-client', '.tempest', '.stestr'), { recursive: true })
  copyFileSync(REAL_STREAM, path.join(dir, 'real.v1'))
  const envDump = path.join(dir, 'child-env.txt')
  const stream = path.join(dir, 'out.v1')
  writeFileSync(
    path.join(bin, 'refstack-client'),
    [
      '#!/bin/sh',
      `/usr/bin/env > '${envDump}'`,
      `STREAM='${stream}'`,
      `cp '${path.join(dir, 'real.v1')}' "$STREAM"`,
      body,
      'echo "Subunit results located in: $STREAM"',
      ''
    ].join('\n')
  )
  chmodSync(path.join(bin, 'refstack-client'), 0o755)
  writeFileSync(
    path.join(dir, 'accounts.yaml'),
    '- username: demo\n  project_name: demo\n  password: demo-pw\n'
  )
  const tempestConf = path.join(dir, 'tempest.conf')
  writeFileSync(
    tempestConf,
    [
      '[auth]',
      'use_dynamic_credentials = false',
      `test_accounts_file = ${path.join(dir, 'accounts.yaml')}`,
      confExtra,
      '',
      '[identity]',
      'uri_v3 = http://127.0.0.1:5000/v3',
      ''
    ].join('\n')
  )
  return { dir, workdir, tempestConf, envDump }
}

/** The action's inputs for a local run of that stub on the bundled 2020.06 object program. */
export function stubInputs(run: StubRun): Record<string, string> {
  return {
    guideline: '2020.06',
    'guideline-source': 'bundled',
    program: 'object',
    'artifact-name': '',
    workdir: run.workdir,
    'tempest-conf': run.tempestConf,
    'clean-test-accounts': 'false'
  }
}

/**
 * The workflow commands a runner acts on in a step's output: `::name …::value` lines outside a
 * `::stop-commands::TOKEN` … `::TOKEN::` block (GitHub's "Stopping and starting workflow commands").
 */
export function effectiveCommands(stdout: string): string[] {
  const commands: string[] = []
  let stopToken: string | undefined
  for (const line of stdout.split(/\r?\n/)) {
    if (stopToken !== undefined) {
      if (line === `::${stopToken}::`) stopToken = undefined
      continue
    }
    const command = /^::([A-Za-z-]+)( [^:]*)?::(.*)$/.exec(line)
    if (!command) continue
    if (command[1] === 'stop-commands') stopToken = command[3]
    else commands.push(line)
  }
  return commands
}
