/** Values of the `preflight` input, and what a pre-flight step hands on. Types only: imported by report/ too. */
import type { Prediction } from './findings.js'

export const PREFLIGHT_MODES = ['warn', 'fail', 'only', 'off'] as const
export type PreflightMode = (typeof PREFLIGHT_MODES)[number]

/** The pre-flight's prediction as the report keeps it. */
export interface PreflightResult extends Prediction {
  mode: PreflightMode
  /** Time of the step on the runner, connection round trips included. */
  seconds: number
}
