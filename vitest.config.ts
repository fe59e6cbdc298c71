import { defineConfig } from 'vitest/config'
import E2ESequencer from './__tests__/helpers/e2e-sequencer.js'

// Both projects share one loopback cloud (scripts/dev-cloud/) and one Tempest workspace: the global setup
// stands it up once (as root) and starts the compute runs in the background; the end-to-end files run one at a
// time, after the unit project, those that wait for the compute runs last (the sequencer).
const globalSetup = ['__tests__/e2e/global-setup.ts']
const SLOWEST_FILES = './__tests__/helpers/slowest-files-reporter.ts'

export default defineConfig({
  test: {
    sequence: { sequencer: E2ESequencer },
    // Under CI, a JSON report too: .ci/run prints its closing 'N passed, N failed' line from it. Last, the ten
    // slowest files with their times.
    reporters: [
      'default',
      ...(process.env.CI === 'true'
        ? [['json', { outputFile: 'build/vitest-results.json' }] as [string, Record<string, unknown>]]
        : []),
      SLOWEST_FILES
    ],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['__tests__/**/*.test.ts'],
          exclude: ['__tests__/e2e/**'],
          // Its ESM imports a JSON schema without an import attribute, which Node refuses: vitest transforms it.
          server: { deps: { inline: ['@actions/workflow-parser'] } },
          testTimeout: 60_000,
          hookTimeout: 900_000,
          globalSetup,
          sequence: { groupOrder: 0 }
        }
      },
      {
        test: {
          name: 'e2e',
          include: ['__tests__/e2e/**/*.test.ts'],
          testTimeout: 900_000,
          hookTimeout: 900_000,
          fileParallelism: false,
          globalSetup,
          sequence: { groupOrder: 1 }
        }
      }
    ]
  }
})
