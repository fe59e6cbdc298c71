/** A small report as the action builds it: two capabilities of the object program, one failing. */
import type { Report } from '../../src/report/report.js'
import type { CapabilityVerdict, Compliance, TestVerdict } from '../../src/results/model.js'

const pass = (name: string): TestVerdict => ({ name, aliases: [], flagged: false, outcome: 'passed' })
const failed: TestVerdict = {
  name: 'tempest.api.object_storage.test_object_slo.ObjectSloTest.test_upload_manifest',
  aliases: [],
  flagged: false,
  outcome: 'failed',
  detail:
    'Traceback (most recent call last):\n  File "x.py", line 1\n<b>not html</b>\ntesttools.matchers._impl.MismatchError: 201 != 400'
}
const skipped: TestVerdict = {
  name: 'tempest.api.x.Y.test_skip',
  aliases: [],
  flagged: false,
  outcome: 'skipped',
  detail: 'Skipped: no container sync'
}
const flagged: TestVerdict = {
  name: 'tempest.api.x.Y.test_flagged',
  aliases: [],
  flagged: true,
  outcome: 'missing'
}

function capability(name: string, tests: TestVerdict[]): CapabilityVerdict {
  const counted = tests.filter((t) => !t.flagged)
  const passed = counted.filter((t) => t.outcome === 'passed').length
  return {
    name,
    status: passed === counted.length ? 'passed' : 'failed',
    tests,
    passed,
    total: counted.length,
    flagged: tests.length - counted.length
  }
}

export function report(overrides: Partial<Compliance> = {}): Report {
  const capabilities = [
    capability('objectstore-container-create', [pass('tempest.api.a.B.test_one'), flagged]),
    capability('objectstore-slo-support', [failed, skipped])
  ]
  const compliance: Compliance = {
    compliant: false,
    percent: 33.3,
    required: 3,
    passed: 1,
    failed: 1,
    missing: 0,
    skipped: 1,
    flagged: 1,
    flaky: 0,
    testsRun: 3,
    capabilities,
    tests: [pass('tempest.api.a.B.test_one'), failed, skipped, flagged],
    failingCapabilities: ['objectstore-slo-support'],
    ...overrides
  }
  return {
    schema: 'refstack-action/report@1',
    generatedAt: '2026-11-26T00:00:00Z',
    guideline: {
      id: '2020.06',
      source: 'bundled 2020.06.json',
      status: 'approved',
      releases: ['ussuri', 'train', 'stein']
    },
    program: 'object',
    partial: false,
    target: 'the runner',
    compliance,
    run: { exitCode: 1, timedOut: false, durationSeconds: 95, notInTempest: [] },
    notes: [],
    errors: [],
    files: {}
  }
}
