/**
 * The schema of report.json as a reader checks it (read-report.ts): what a baseline comparison and a fleet
 * summary read, field by field. Fields it does not name are ignored, so reports that add fields still read; to
 * read a new field, add it here (optional, so older reports still read).
 */
import * as z from 'zod'
import { PROGRAMS } from '../guideline/model.js'
import { CAPABILITY_NAME, CLOUD_NAME, LIST_ID, TEST_NAME } from './names.js'

export const REPORT_SCHEMA = 'refstack-action/report@1'

const count = z.number().int().nonnegative()
/** Text shown (escaped) in a summary: one size limit for all of it. */
const text = z.string().max(64 * 1024)
const testName = z.string().regex(TEST_NAME, 'not a Tempest test name')
const capabilityName = z.string().regex(CAPABILITY_NAME, 'not a capability or service name')

const testVerdict = z.object({
  name: testName,
  aliases: z.array(testName).max(100).default([]),
  flagged: z.boolean().default(false),
  outcome: z.enum(['passed', 'failed', 'skipped', 'missing']),
  idempotentId: z.string().max(64).optional(),
  matchedId: z.string().max(2000).optional(),
  detail: z
    .string()
    .max(1024 * 1024)
    .optional(),
  flaky: z.boolean().optional()
})

const capabilityVerdict = z.object({
  name: capabilityName,
  status: z.enum(['passed', 'failed']),
  passed: count,
  total: count,
  flagged: count.default(0),
  tests: z.array(testVerdict).max(100_000).default([])
})

/** What a comparison or a fleet summary reads of a report. */
export const reportSchema = z.object({
  schema: z.literal(REPORT_SCHEMA),
  generatedAt: z.iso.datetime({ offset: true }),
  guideline: z.object({
    id: z.string().regex(LIST_ID, 'not a guideline or test list id'),
    source: text.default(''),
    status: text.default(''),
    releases: z.array(z.string().max(100)).max(100).default([]),
    kind: z.enum(['interop-guideline', 'test-list']).optional(),
    rule: z
      .object({
        id: z.enum(['every-test-passed', 'no-test-failed']),
        text,
        source: text.optional()
      })
      .optional()
  }),
  program: z.enum(PROGRAMS),
  partial: z.boolean().default(false),
  target: text.default(''),
  cloudName: z.string().regex(CLOUD_NAME, 'not a cloud name').optional(),
  compliance: z.object({
    compliant: z.boolean(),
    percent: z.number().min(0).max(100),
    required: count,
    passed: count,
    failed: count,
    missing: count,
    skipped: count,
    flagged: count.default(0),
    flaky: count.default(0),
    testsRun: count,
    capabilities: z.array(capabilityVerdict).max(10_000),
    tests: z.array(testVerdict).max(100_000),
    failingCapabilities: z.array(capabilityName).max(10_000).optional()
  }),
  notes: z.array(text).max(1000).default([]),
  errors: z.array(text).max(1000).default([])
})

/** A report as read: every field checked. */
export type ReadReport = z.infer<typeof reportSchema>
