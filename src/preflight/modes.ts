/** Values of the `preflight` input. */
export const PREFLIGHT_MODES = ['warn', 'fail', 'only', 'off'] as const
export type PreflightMode = (typeof PREFLIGHT_MODES)[number]
