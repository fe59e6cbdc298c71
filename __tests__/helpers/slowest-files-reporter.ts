/**
 * A vitest reporter that prints, after the run's own summary, the ten test files that took longest, so whoever
 * runs `npm test` sees where the minutes go. A file's time is what vitest measured for it: environment set-up,
 * import and collection, setup files, and every test and hook.
 */
import type { Reporter, TestModule } from 'vitest/node'

export interface FileTime {
  project: string
  file: string
  seconds: number
}

/** The `count` slowest files, slowest first (ties in path order). Pure. */
export function slowest(times: readonly FileTime[], count = 10): FileTime[] {
  return [...times].sort((a, b) => b.seconds - a.seconds || a.file.localeCompare(b.file)).slice(0, count)
}

/** The printed table: a heading, then one line per file, seconds right-aligned, the share of all files' time. */
export function formatSlowest(times: readonly FileTime[], count = 10): string {
  const total = times.reduce((sum, t) => sum + t.seconds, 0)
  const top = slowest(times, count)
  if (top.length === 0) return ''
  const width = Math.max(...top.map((t) => t.seconds.toFixed(1).length))
  const lines = top.map((t) => {
    const share = total > 0 ? Math.round((100 * t.seconds) / total) : 0
    const project = t.project === '' ? '' : ` (${t.project})`
    return `  ${t.seconds.toFixed(1).padStart(width)} s  ${String(share).padStart(3)}%  ${t.file}${project}`
  })
  return [
    `Slowest ${top.length} of ${times.length} test files (all files: ${total.toFixed(1)} s):`,
    ...lines
  ].join('\n')
}

function fileTime(module: TestModule): FileTime {
  const d = module.diagnostic()
  const ms = d.environmentSetupDuration + d.prepareDuration + d.collectDuration + d.setupDuration + d.duration
  return { project: module.project.name, file: module.relativeModuleId, seconds: ms / 1000 }
}

export default class SlowestFilesReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const text = formatSlowest(testModules.map(fileTime))
    if (text !== '') process.stdout.write(`\n${text}\n`)
  }
}
