/** Does the guideline cover the cloud's OpenStack release (input `openstack-release`)? */
import { ActionError } from '../errors.js'
import type { Guideline } from './model.js'

/**
 * OpenStack releases in order. From 2023.1 on a release also has a number "year.count" (the primary id since
 * then); names checked against openstack/releases `data/series_status.yaml`.
 */
export const RELEASES: ReadonlyArray<{ name: string; number?: string }> = [
  ...[
    'austin',
    'bexar',
    'cactus',
    'diablo',
    'essex',
    'folsom',
    'grizzly',
    'havana',
    'icehouse',
    'juno',
    'kilo',
    'liberty',
    'mitaka',
    'newton',
    'ocata',
    'pike',
    'queens',
    'rocky',
    'stein',
    'train',
    'ussuri',
    'victoria',
    'wallaby',
    'xena',
    'yoga',
    'zed'
  ].map((name) => ({ name })),
  { name: 'antelope', number: '2023.1' },
  { name: 'bobcat', number: '2023.2' },
  { name: 'caracal', number: '2024.1' },
  { name: 'dalmatian', number: '2024.2' },
  { name: 'epoxy', number: '2025.1' },
  { name: 'flamingo', number: '2025.2' },
  { name: 'gazpacho', number: '2026.1' },
  { name: 'hibiscus', number: '2026.2' },
  { name: 'indri', number: '2027.1' }
]

export interface OpenStackRelease {
  /** Lower-case name; for a number not mapped to a name yet, the number. */
  name: string
  number?: string
  /** Position in release order; numbers past the table sort after it. */
  order: number
  /** "victoria", "2024.1 (caracal)". */
  label: string
}

const ANTELOPE = RELEASES.findIndex((r) => r.name === 'antelope')

/**
 * The releases the interop guidelines published after the bundled ones cover, known before fetching them
 * ("Releases Covered" of each guideline's page, https://docs.opendev.org/openinfra/interop/latest/guidelines/;
 * 2022.11: "Applies to Xena, Yoga, Zed, Antelope"). Each covers the four releases up to the one after it was
 * published. 2022.11 is the last: the interop program was retired in September 2025.
 */
export const UNBUNDLED_GUIDELINE_RELEASES: Readonly<Record<string, readonly string[]>> = {
  '2020.11': ['train', 'ussuri', 'victoria', 'wallaby'],
  '2021.11': ['victoria', 'wallaby', 'xena', 'yoga'],
  '2022.06': ['wallaby', 'xena', 'yoga', 'zed'],
  '2022.11': ['xena', 'yoga', 'zed', 'antelope']
}

/**
 * `victoria`, `Victoria`, `2023.1`, `stable/2023.1`, `stable/zed` → the release. A number of the form
 * `YYYY.1`/`YYYY.2` from 2023 on that has no name in the table yet is accepted as is. Anything else →
 * ActionError listing the accepted forms.
 */
export function parseRelease(input: string): OpenStackRelease {
  const value = input
    .trim()
    .toLowerCase()
    .replace(/^(stable|unmaintained)\//, '')
  const index = RELEASES.findIndex((r) => r.name === value || r.number === value)
  if (index >= 0) {
    const release = RELEASES[index]
    return {
      name: release.name,
      ...(release.number ? { number: release.number } : {}),
      order: index,
      label: release.number ? `${release.number} (${release.name})` : release.name
    }
  }
  const number = /^(\d{4})\.([12])$/.exec(value)
  if (number && Number(number[1]) >= 2023) {
    const order = ANTELOPE + (Number(number[1]) - 2023) * 2 + Number(number[2]) - 1
    return { name: value, number: value, order, label: value }
  }
  const names = RELEASES.slice(RELEASES.findIndex((r) => r.name === 'havana')).map((r) => r.name)
  const numbers = RELEASES.slice(ANTELOPE).map((r) => r.number)
  throw new ActionError(
    `Input 'openstack-release' is not an OpenStack release: '${input}'`,
    `Give a release name (${names.join(', ')}) or, from 2023.1 on, its number (${numbers.join(', ')}; also accepted with a stable/ prefix)`
  )
}

/** That the release is covered, or (with allowUncovered) the warning for an uncovered release. */
export interface ReleaseCoverage {
  covered: boolean
  message: string
}

/**
 * The cloud's release against the guideline's releases. Not covered → ActionError naming the covered releases and
 * the `allow-uncovered-release` opt-out, or with allowUncovered a warning.
 */
export function checkReleaseCoverage(
  guideline: Guideline,
  release: string,
  allowUncovered: boolean
): ReleaseCoverage {
  const cloud = parseRelease(release)
  if (guideline.list) {
    return {
      covered: true,
      message: `The test list ${guideline.id} names no OpenStack releases: coverage of ${cloud.label} was not checked`
    }
  }
  // Lower case, as parseGuideline and UNBUNDLED_GUIDELINE_RELEASES give them.
  const releases = guideline.releases
  const covered =
    releases.includes(cloud.name) || (cloud.number !== undefined && releases.includes(cloud.number))
  const coveredList = releases.length ? releases.join(', ') : 'none listed'
  if (covered) {
    return {
      covered: true,
      message: `Guideline ${guideline.id} covers OpenStack ${cloud.label} (${coveredList})`
    }
  }
  const message = `Guideline ${guideline.id} does not cover OpenStack ${cloud.label}: it covers ${coveredList}`
  if (allowUncovered) {
    return {
      covered: false,
      message: `${message}; running anyway because 'allow-uncovered-release' is true — the verdict is not a statement for ${cloud.label}`
    }
  }
  throw new ActionError(message, uncoveredHint(releases, cloud))
}

/**
 * The release check for a guideline id whose releases are known without fetching it (2020.11 … 2022.11), so an
 * uncovered release fails before any download. Undefined for other inputs (checked once resolved).
 */
export function checkKnownReleaseCoverage(
  guidelineInput: string,
  release: string,
  allowUncovered: boolean
): ReleaseCoverage | undefined {
  const id = guidelineInput.trim()
  const releases = UNBUNDLED_GUIDELINE_RELEASES[id]
  if (!releases || release.trim() === '') return undefined
  return checkReleaseCoverage(
    { id, source: '', schema: '2.0', status: '', releases: [...releases], programs: [], raw: undefined },
    release,
    allowUncovered
  )
}

function uncoveredHint(releases: string[], cloud: OpenStackRelease): string {
  const orders = releases
    .map((r) => RELEASES.findIndex((x) => x.name === r || x.number === r))
    .filter((i) => i >= 0)
  const newest = orders.length ? Math.max(...orders) : -1
  const optOut = "or set 'allow-uncovered-release: true' to run it anyway"
  const current =
    "guideline: scs-0128 (SCS end-to-end testing, bundled: the Tempest tests of 2022.11 without admin-only ones, the successor of 'OpenStack Powered Compute') or your own Tempest test list (guideline: ./tempest-tests.lst)"
  if (cloud.order > ANTELOPE) {
    return (
      `No interop guideline covers ${cloud.label}: the interop program was retired in September 2025 and its last ` +
      `guideline, 2022.11, covers xena, yoga, zed, antelope. Use ${current}, ${optOut}`
    )
  }
  if (cloud.order > newest) {
    const covering = Object.entries(UNBUNDLED_GUIDELINE_RELEASES)
      .filter(([, names]) => names.includes(cloud.name))
      .map(([id]) => id)
    if (covering.length === 0) {
      return `Set input 'guideline' to a newer guideline whose releases include ${cloud.name} (the action bundles them up to 2020.06), ${optOut}`
    }
    return (
      `Use a newer guideline whose releases include ${cloud.name}: guideline: ${covering.join(' or ')} ` +
      `(fetched from the RefStack server or openinfra/interop), a file or URL of one, or ${current}, ${optOut}`
    )
  }
  return `Set input 'guideline' to an older guideline whose releases include ${cloud.name}, ${optOut}`
}
