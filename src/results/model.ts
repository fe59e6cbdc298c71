/**
 * The format-independent model of a test run. The subunit parsers produce it, compliance, JUnit and the
 * report consume it.
 */

/** Final status of a test as python-subunit / testtools name them. */
export type TestStatus =
  'success' | 'fail' | 'skip' | 'xfail' | 'uxsuccess' | 'exists' | 'inprogress' | 'unknown'

/** Statuses of a test that ran and did not pass (the ones that never finished included). */
const failed: TestStatus[] = ['fail', 'uxsuccess', 'inprogress', 'unknown', 'xfail']
export const FAILED: ReadonlySet<TestStatus> = new Set(failed)

export interface Attachment {
  /** Detail name: "traceback", "reason", "pythonlogging:''", … */
  name: string
  /** UTF-8 text of the attachment (capped). */
  text: string
  /** True when the text was cut at the cap. */
  truncated: boolean
  /** Size in bytes of the whole attachment as it was in the stream (before the cap). */
  bytes?: number
}

export interface TestResult {
  /** The id exactly as in the stream, attributes included: "tempest.api…AccountTest.test_x[id-…,smoke]". */
  id: string
  status: TestStatus
  tags: string[]
  /** Start and stop time, when the stream carries them. */
  start?: Date
  stop?: Date
  /** Attachments are kept only for tests that did not pass. */
  attachments: Attachment[]
  /**
   * On a passed result: a record of the same id in the same stream that failed (a rerun appended, a second
   * worker). The test passed (any pass counts) and is flaky.
   */
  failedRecord?: TestResult
}

export interface StreamRead {
  format: 'v1' | 'v2'
  /**
   * The stream's tests, one result per id in the order of its first event (a pass in any record of the id
   * wins); when the read asked for some names only, those and the class/module fixtures.
   */
  tests: TestResult[]
  bytes: number
  /** Distinct test ids in the whole stream (`tests.length` when every test was kept). */
  distinct: number
  /** Distinct ids that ran: not only enumerated (`exists`), the parser's own `subunit.parser` left out. */
  testsRun: number
  /** Set when the stream is truncated or corrupt: what was read before is still in `tests`. */
  error?: { message: string; offset: number }
}

/** What happened to one required test of the guideline. */
export type TestOutcome = 'passed' | 'failed' | 'skipped' | 'missing'

export interface TestVerdict {
  /** The guideline's name of the test (not an alias). */
  name: string
  idempotentId?: string
  aliases: string[]
  flagged: boolean
  outcome: TestOutcome
  /** The id in the stream that decided the outcome (the name or an alias, with attributes). */
  matchedId?: string
  /** Traceback of a failure, skip reason, or why the test is missing (e.g. the setUpClass failure). */
  detail?: string
  /** Passed in one attempt and failed in another (a rerun, a second record of it in the stream). */
  flaky?: boolean
}

export interface CapabilityVerdict {
  name: string
  /** passed: every non-flagged test passed; failed: at least one did not. */
  status: 'passed' | 'failed'
  /** Tests of this capability (a test in two capabilities appears in both). */
  tests: TestVerdict[]
  /** Non-flagged tests passed / non-flagged tests: the per-capability row, as the RefStack UI counts. */
  passed: number
  total: number
  flagged: number
}

export interface Compliance {
  /** True iff every non-flagged required test passed and at least one test ran. */
  compliant: boolean
  /** Percent of distinct non-flagged required tests passed, one decimal (97.8). */
  percent: number
  /** Distinct non-flagged required tests (2020.06 object: 58). */
  required: number
  passed: number
  failed: number
  /** Required tests that did not run at all. */
  missing: number
  skipped: number
  /** Distinct flagged tests of the selected capabilities. */
  flagged: number
  flaky: number
  /** Tests in the stream, required or not. */
  testsRun: number
  capabilities: CapabilityVerdict[]
  /** Distinct required tests with their outcome, in guideline order. */
  tests: TestVerdict[]
  failingCapabilities: string[]
}
