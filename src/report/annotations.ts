/** Annotations: one error per failing capability, within GitHub's limit of 10 errors per step. */
import * as core from '@actions/core'
import type { Compliance } from '../results/model.js'
import { shortName } from './markdown.js'

const MAX_ERROR_ANNOTATIONS = 10

interface Annotation {
  title: string
  message: string
}

/**
 * One annotation per failing capability (per service for a test list: `group` 'Service'), the rest folded into
 * the last. Pure.
 */
export function capabilityAnnotations(
  compliance: Compliance,
  max = MAX_ERROR_ANNOTATIONS,
  group: 'Capability' | 'Service' = 'Capability'
): Annotation[] {
  const failing = compliance.capabilities.filter((cap) => cap.status === 'failed')
  const annotations = failing.map((cap) => {
    const bad = cap.tests.filter((t) => !t.flagged && t.outcome !== 'passed')
    const names = bad.map((t) => `${shortName(t.name)} (${t.outcome})`)
    return {
      title: `${group} ${cap.name} failed: ${cap.passed}/${cap.total} passed`,
      message: names.slice(0, 10).join(', ') + (names.length > 10 ? `, and ${names.length - 10} more` : '')
    }
  })
  if (annotations.length <= max) return annotations
  const rest = failing.slice(max - 1).map((cap) => cap.name)
  return [
    ...annotations.slice(0, max - 1),
    {
      title: `${rest.length} more ${group === 'Service' ? 'services' : 'capabilities'} failed`,
      message: rest.join(', ') + ' (see the job summary)'
    }
  ]
}

/** A warning per flaky test (passed in one attempt, failed in another), the rest folded into the last. Pure. */
export function flakyAnnotations(compliance: Compliance, max = MAX_ERROR_ANNOTATIONS): Annotation[] {
  const flaky = compliance.tests.filter((t) => t.flaky)
  const annotations = flaky.map((t) => ({
    title: 'Flaky test: passed in one attempt, failed in another',
    message: `${t.name} failed in one attempt and passed in another; it counts as passed`
  }))
  if (annotations.length <= max) return annotations
  return [
    ...annotations.slice(0, max - 1),
    { title: `${flaky.length - max + 1} more flaky tests`, message: 'see the job summary' }
  ]
}

export function annotate(compliance: Compliance, group: 'Capability' | 'Service' = 'Capability'): void {
  for (const annotation of capabilityAnnotations(compliance, MAX_ERROR_ANNOTATIONS, group)) {
    core.error(annotation.message, { title: annotation.title })
  }
  for (const annotation of flakyAnnotations(compliance)) {
    core.warning(annotation.message, { title: annotation.title })
  }
}
