/**
 * What fixes a required test that did not pass, from the reason Tempest gave: the tempest.conf option (or the
 * cloud resource) behind Tempest's skip conditions. One small table, so the summary, and a later pre-flight
 * check, name the same fix for the same cause. Pure.
 *
 * The reasons are Tempest's own skip messages (Tempest 33: tempest/api/compute/servers/test_server_metadata.py,
 * tempest/test.py `validation_resources`, tempest/api/network/*, and the `[service_available]` checks).
 */

export interface Remedy {
  /** What went wrong, in a reader's words. */
  cause: string
  /** The option or resource that fixes it (Markdown). */
  fix: string
}

interface Rule extends Remedy {
  /** Matches the test's skip reason or failure text. */
  reason: RegExp
}

const SERVICE_OPTIONS: Record<string, string> = {
  nova: 'nova',
  compute: 'nova',
  cinder: 'cinder',
  volume: 'cinder',
  glance: 'glance',
  image: 'glance',
  neutron: 'neutron',
  network: 'neutron',
  swift: 'swift',
  'object storage': 'swift'
}

const RULES: Rule[] = [
  {
    reason: /Instance validation tests are disabled/,
    cause: 'skipped: instance validation is off, so Tempest does not log in to the guest',
    fix: '`[validation] run_validation = true`, with an image whose guests answer SSH (`[validation] image_ssh_user`) on a network Tempest reaches'
  },
  {
    reason: /Metadata is read-only on non-Xen-based deployments/,
    cause: 'skipped: Tempest treats server metadata as read-only',
    fix: '`[compute-feature-enabled] xenapi_apis = true` (the Nova API supports server metadata with any hypervisor)'
  },
  {
    reason: /public_network_id option must be specified/,
    cause: 'skipped: no external network configured',
    fix: '`[network] public_network_id` = the id of an external network'
  }
]

/** The remedy for a test's skip reason or failure text, when it is a known cause. */
export function remedyFor(detail: string | undefined): Remedy | undefined {
  if (detail === undefined) return undefined
  const rule = RULES.find((r) => r.reason.test(detail))
  if (rule) return { cause: rule.cause, fix: rule.fix }
  const service =
    /\b(nova|compute|cinder|volume|glance|image|neutron|network|swift|object storage)\b[^\n.]*\bnot available\b/i.exec(
      detail
    )
  if (service) {
    const option = SERVICE_OPTIONS[service[1].toLowerCase()]
    return {
      cause: `skipped: Tempest sees no ${option} service`,
      fix: `\`[service_available] ${option} = true\` (and the service in the catalog)`
    }
  }
  return undefined
}
