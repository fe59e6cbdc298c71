/** The format-independent model of an interop guideline or a plain test list, as parsers produce it. */

export const PROGRAMS = ['platform', 'compute', 'object', 'dns', 'orchestration'] as const
export type Program = (typeof PROGRAMS)[number]
/** The add-on programs: their own guideline files (`dns.2020.06.json`), one component `os_powered_<program>`. */
export const ADDON_PROGRAMS: readonly Program[] = ['dns', 'orchestration']

export const STATUSES = ['required', 'advisory', 'deprecated', 'removed'] as const
export type CapabilityStatus = (typeof STATUSES)[number]

export interface GuidelineTest {
  /** Tempest test id without attributes. */
  name: string
  /** Tempest idempotent id (uuid, without "id-"), when the guideline gives one. */
  idempotentId?: string
  /** Other names the same test had in other Tempest versions; passing any of them passes the test. */
  aliases: string[]
  /** Set when the test is flagged (known broken upstream): never run, never blocking, reported. */
  flagged?: { reason: string; action?: string }
}

export interface Capability {
  name: string
  /** The highest-priority status this capability has in the selected program (required > advisory > ...). */
  status: CapabilityStatus
  description?: string
  tests: GuidelineTest[]
}

export interface Guideline {
  /** The id as users write it: "2020.06", "next", "dns.2020.06". */
  id: string
  /** Where it came from, for messages: "bundled 2020.06.json", a URL, a path. */
  source: string
  /** Schema version and status as written in the file ("2.0", "approved"). */
  schema: string
  status: string
  /** OpenStack release names the guideline covers, lower case. */
  releases: string[]
  programs: Program[]
  /** The parsed JSON, for the test-list algorithm and anything the model does not carry. */
  raw: unknown
  /** Set when the standard is a plain Tempest test list (SCS-0128, an operator's list) instead of a guideline. */
  list?: ListedStandard
}

/**
 * What decides the verdict, as each standard states it. `every-test-passed`: a required test that failed, was
 * skipped or did not run fails the run (RefStack interop guidelines). `no-test-failed`: a listed test that
 * failed or did not run fails the run; skipped tests are reported and do not (SCS-0128: "Tempest MUST NOT report
 * any failed test cases").
 */
export type VerdictRule = 'every-test-passed' | 'no-test-failed'

/** A plain test list: one required Tempest test per line, no capabilities. */
export interface ListedStandard {
  /** The lines handed to refstack-client, as the list gives them (attributes kept), without duplicates. */
  lines: string[]
  /** The tests, without attributes; the idempotent id from the `[id-…]` attribute when the line has one. */
  tests: GuidelineTest[]
  /** The rule the list's standard states (see VerdictRule), before the `fail-on-skipped` input. */
  rule: VerdictRule
  /** Where the rule comes from, for the summary ("SCS-0128: …"). */
  ruleSource?: string
}

/** A program of a guideline narrowed to what runs: its required capabilities (after the `capabilities` filter). */
export interface ProgramSelection {
  guideline: Guideline
  program: Program
  /** In guideline order. */
  capabilities: Capability[]
  /** True when the `capabilities` input narrowed the selection. */
  partial: boolean
  /** The `capabilities` input that was applied, and its entries that matched nothing (worth a warning). */
  filter?: string[]
  unmatchedFilter?: string[]
  /** The verdict rule that applies; absent: `every-test-passed`. */
  rule?: VerdictRule
  /** `service` for a test list: `capabilities` then holds one synthetic group per service (compute, image, …). */
  groupedBy?: 'capability' | 'service'
}
