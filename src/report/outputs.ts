/** Step outputs: always every one of them, also when the step fails (empty when unknown). */
import * as core from '@actions/core'
import { Output } from '../constants.js'
import type { Compliance } from '../results/model.js'

export type Outputs = Partial<Record<(typeof Output)[keyof typeof Output], string>>

/** The outputs a compliance result gives. Pure. */
export function complianceOutputs(compliance: Compliance): Outputs {
  return {
    [Output.Compliant]: String(compliance.compliant),
    [Output.Compliance]: String(compliance.percent),
    [Output.Required]: String(compliance.required),
    [Output.Passed]: String(compliance.passed),
    [Output.Failed]: String(compliance.failed),
    [Output.Missing]: String(compliance.missing),
    [Output.Flagged]: String(compliance.flagged),
    [Output.Skipped]: String(compliance.skipped),
    [Output.Flaky]: String(compliance.flaky)
  }
}

/** Sets every output: the given values, and '' for the rest, so later steps never read a stale value. */
export function setAllOutputs(values: Outputs): void {
  for (const name of Object.values(Output)) core.setOutput(name, values[name] ?? '')
}
