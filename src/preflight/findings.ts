/**
 * The pre-flight's prediction: what preflight.py found on the target, turned into findings (what is wrong,
 * the required tests and capabilities it affects, the option or resource that fixes it) and the set of
 * required tests predicted not to pass. Pure.
 */
import type { ProgramSelection } from '../guideline/model.js'

/** One option Tempest read while deciding a skip: tempest.conf [group] option = value. */
export interface OptionRead {
  group: string
  option: string
  value: unknown
}

/** preflight.py's JSON (see its docstring). */
export interface PreflightRaw {
  tempest: string | null
  /** unreachable: Keystone could not be asked (the identity finding says why), not a refusal. */
  accounts: Array<{ user: string; project: string; ok: boolean; error: string | null; unreachable?: boolean }>
  identity: Array<{ option: string; uri: string; ok: boolean; error: string | null }>
  /** Service types of the catalog; null when no account got a token. */
  catalog: string[] | null
  resources: Array<{ group: string; option: string; value: string; ok: boolean; error: string | null }>
  tests: Array<{
    name: string
    missing?: string
    idempotentId?: string | null
    movedTo?: string[]
    skip?: { reason: string; where: string; options: OptionRead[] }
    service?: { service: string; catalogType: string; group: string }
  }>
  errors: string[]
  seconds: number
  /** Seconds since the program started at the end of each phase. */
  timings?: Record<string, number>
}

const FINDING_KINDS = ['identity', 'accounts', 'catalog', 'config', 'resource', 'tempest'] as const
export type FindingKind = (typeof FINDING_KINDS)[number]

export type PredictedOutcome = 'failed' | 'skipped' | 'missing'

export interface Finding {
  kind: FindingKind
  /** What is wrong, in one sentence. */
  finding: string
  /** The option or resource that fixes it. */
  fix: string
  /** Required (non-flagged) tests it makes not pass, guideline names. */
  tests: string[]
  capabilities: string[]
}

export interface PredictedTest {
  name: string
  outcome: PredictedOutcome
  reason: string
}

export interface Prediction {
  findings: Finding[]
  /** Required non-flagged tests predicted not to pass, in guideline order. */
  notPassing: PredictedTest[]
  /** Distinct required non-flagged tests of the selection. */
  required: number
  tempest?: string
  /** Problems of the pre-flight itself (a check that could not run). */
  errors: string[]
  /** preflight.py's phases: seconds since it started at the end of each. */
  timings?: Record<string, number>
}

type RawTest = PreflightRaw['tests'][number]

/** "[compute-feature-enabled] xenapi_apis". */
function optionName(read: OptionRead): string {
  return `[${read.group}] ${read.option}`
}

/** What to write in tempest.conf to lift a skip that this option decided. */
export function optionFix(read: OptionRead): string {
  const name = optionName(read)
  if (read.value === false) return `set ${name} = true`
  if (read.value === true) return `set ${name} = false`
  if (read.value === null || read.value === '' || (Array.isArray(read.value) && read.value.length === 0)) {
    return `set ${name}`
  }
  return `change ${name} (now ${JSON.stringify(read.value)})`
}

interface Cause {
  kind: FindingKind
  key: string
  finding: string
  fix: string
  outcome: PredictedOutcome
  /** The reason shown for the test, when it is not the finding. */
  reason?: string
}

function skipCause(skip: NonNullable<RawTest['skip']>): Cause {
  const decisive = skip.options[0]
  if (decisive === undefined) {
    return {
      kind: 'config',
      key: `skip:${skip.reason}`,
      finding: `Tempest skips these tests: "${skip.reason}" (${skip.where}, not decided by tempest.conf)`,
      fix: 'a Tempest version that runs them',
      outcome: 'skipped'
    }
  }
  return {
    kind: 'config',
    key: `skip:${optionName(decisive)}:${JSON.stringify(decisive.value)}`,
    finding: `${optionName(decisive)} = ${JSON.stringify(decisive.value)}: Tempest skips these tests ("${skip.reason}")`,
    fix: optionFix(decisive),
    outcome: 'skipped'
  }
}

function missingCause(entries: RawTest[], tempest: string | null): Cause {
  const moved = [...new Set(entries.flatMap((e) => e.movedTo ?? []))]
  const version = tempest ? `Tempest ${tempest}` : 'the installed Tempest'
  if (moved.length > 0) {
    return {
      kind: 'tempest',
      key: 'moved',
      finding: `${version} has these tests under other names (same idempotent id): this guideline predates your Tempest`,
      fix: 'a guideline that lists the new names (or names them as aliases), or a Tempest as old as the guideline',
      outcome: 'missing',
      reason: `moved to ${moved.join(', ')}: this guideline predates your Tempest`
    }
  }
  return {
    kind: 'tempest',
    key: 'missing',
    finding: `${version} (and its installed plugins) has no test of these names`,
    fix: 'install the Tempest plugin or the Tempest version that has them',
    outcome: 'missing',
    reason: entries[0]?.missing ?? 'not in the installed Tempest'
  }
}

/**
 * Turns preflight.py's output into findings and the required tests predicted not to pass. A test is predicted
 * by its first cause, in this order: the cloud cannot be reached or logged into at all, the test is not
 * installed, Tempest skips it, its service is not in the catalog, an image or flavor it uses does not exist.
 */
export function predict(selection: ProgramSelection, raw: PreflightRaw): Prediction {
  const byName = new Map(raw.tests.map((entry) => [entry.name, entry]))
  const causes = new Map<string, Cause & { tests: Set<string>; capabilities: Set<string> }>()
  const notPassing = new Map<string, PredictedTest>()
  const required = new Set<string>()

  const identityDown = raw.identity.filter((i) => !i.ok)
  const refused = raw.accounts.filter((a) => !a.ok && !a.unreachable)
  const noAccount = raw.accounts.length > 0 && refused.length === raw.accounts.length
  const badResources = raw.resources.filter((r) => !r.ok)

  const globalCauses: Cause[] = [
    ...identityDown.map((i): Cause => ({
      kind: 'identity',
      key: `identity:${i.option}`,
      finding: `[identity] ${i.option} = ${i.uri} does not answer (${i.error ?? 'no answer'})`,
      fix: `set [identity] ${i.option} to Keystone's public endpoint, reachable from the target`,
      outcome: 'failed'
    })),
    ...(noAccount
      ? [
          {
            kind: 'accounts' as const,
            key: 'accounts:all',
            finding: `Keystone refused a token to every account of [auth] test_accounts_file (${refused.map((a) => `${a.user}: ${a.error ?? 'refused'}`).join(', ')})`,
            fix: '[auth] test_accounts_file: the user names, projects and passwords of existing accounts',
            outcome: 'failed' as const
          }
        ]
      : [])
  ]

  for (const capability of selection.capabilities) {
    for (const test of capability.tests) {
      if (test.flagged) continue
      required.add(test.name)
      const entries = [test.name, ...test.aliases]
        .map((n) => byName.get(n))
        .filter((e): e is RawTest => e !== undefined)
      if (entries.length === 0) continue // not in the list preflight.py saw: nothing predicted
      const installed = entries.filter((e) => e.missing === undefined)
      const testCauses: Cause[] = [...globalCauses]
      if (installed.length === 0) testCauses.push(missingCause(entries, raw.tempest))
      else if (installed.every((e) => e.skip)) testCauses.push(skipCause(installed[0].skip as never))
      const service = (installed[0] ?? entries[0]).service
      if (service) {
        testCauses.push({
          kind: 'catalog',
          key: `catalog:${service.catalogType}`,
          finding: `The catalog has no '${service.catalogType}' service (${service.service} tests)`,
          fix: `deploy the ${service.service} service and register its endpoint, or set [${service.group}] catalog_type to the type the catalog uses`,
          outcome: 'failed'
        })
      }
      if (test.name.startsWith('tempest.api.compute.') && installed.length > 0) {
        for (const r of badResources) {
          testCauses.push({
            kind: 'resource',
            key: `resource:${r.option}`,
            finding: `[${r.group}] ${r.option} = ${r.value} does not exist in the cloud (${r.error ?? 'not found'})`,
            fix: `set [${r.group}] ${r.option} to the id of an existing ${r.option.startsWith('image') ? 'image (openstack image list)' : 'flavor (openstack flavor list)'}`,
            outcome: 'failed'
          })
        }
      }
      for (const cause of testCauses) {
        let entry = causes.get(cause.key)
        if (!entry) {
          entry = { ...cause, tests: new Set(), capabilities: new Set() }
          causes.set(cause.key, entry)
        }
        entry.tests.add(test.name)
        entry.capabilities.add(capability.name)
      }
      const first = testCauses[0]
      if (first && !notPassing.has(test.name)) {
        notPassing.set(test.name, {
          name: test.name,
          outcome: first.outcome,
          reason: first.reason ?? first.finding
        })
      }
    }
  }

  const findings: Finding[] = [...causes.values()].map((c) => ({
    kind: c.kind,
    finding: c.finding,
    fix: c.fix,
    tests: [...c.tests],
    capabilities: [...c.capabilities]
  }))
  // A refused account among working ones: the tests that get it fail, which ones is Tempest's choice.
  if (!noAccount) {
    for (const a of refused) {
      findings.push({
        kind: 'accounts',
        finding: `Keystone refused a token to account '${a.user}' (project ${a.project}): ${a.error ?? 'refused'}; the tests Tempest gives it will fail`,
        fix: `fix or remove '${a.user}' in [auth] test_accounts_file`,
        tests: [],
        capabilities: []
      })
    }
  }
  const order = (f: Finding): number => FINDING_KINDS.indexOf(f.kind)
  findings.sort((a, b) => order(a) - order(b) || b.tests.length - a.tests.length)
  return {
    findings,
    notPassing: [...notPassing.values()],
    required: required.size,
    tempest: raw.tempest ?? undefined,
    errors: raw.errors,
    timings: raw.timings
  }
}
