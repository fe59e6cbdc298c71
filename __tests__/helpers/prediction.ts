/**
 * Holds the pre-flight to its promise: the required tests it predicted not to pass are exactly the required
 * tests the run then did not pass. For any report.json of a run with `preflight: warn` (the default).
 */
import { expect } from 'vitest'
import type { Report } from '../../src/report/report.js'

export interface PredictionGap {
  /** Did not pass, but the pre-flight said nothing about them. */
  unpredicted: string[]
  /** Predicted not to pass, but passed. */
  wronglyPredicted: string[]
}

/** The difference between the pre-flight's prediction and the run's outcome. Pure. */
export function predictionGap(report: Report): PredictionGap {
  if (!report.preflight) throw new Error('report.json has no pre-flight (was preflight: off?)')
  const predicted = new Set(report.preflight.notPassing.map((t) => t.name))
  const notPassed = new Set(
    report.compliance.tests.filter((t) => !t.flagged && t.outcome !== 'passed').map((t) => t.name)
  )
  return {
    unpredicted: [...notPassed].filter((name) => !predicted.has(name)).sort(),
    wronglyPredicted: [...predicted].filter((name) => !notPassed.has(name)).sort()
  }
}

/** Fails with both lists when the prediction and the outcome differ; returns the predicted count. */
export function expectPredictionMatchesOutcome(report: Report): number {
  expect(predictionGap(report)).toEqual({ unpredicted: [], wronglyPredicted: [] })
  return report.preflight?.notPassing.length ?? 0
}
