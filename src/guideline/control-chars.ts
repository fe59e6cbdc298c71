/**
 * Strings of a guideline end up in the log, the job summary, annotations and the test list file written to
 * the target, one name per line: a newline in a test name would split the list, and one in `metadata.id`
 * would start a line of its own in the log, i.e. a workflow command. No published guideline holds a control
 * character anywhere, so any found is refused with where it is.
 */

/** C0 controls, DEL, C1 controls and the Unicode line/paragraph separators. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/

/** Whether a string taken from a file or stream holds a control character. */
export function hasControlCharacter(text: string): boolean {
  return CONTROL.test(text)
}

/** The JSON path (`capabilities["x"].tests`) of the first key or string value holding one, or undefined. Pure. */
export function findControlCharacter(value: unknown, at = ''): string | undefined {
  if (typeof value === 'string') return hasControlCharacter(value) ? at || '(top level)' : undefined
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findControlCharacter(value[i], `${at}[${i}]`)
      if (found !== undefined) return found
    }
    return undefined
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const here = /^[A-Za-z_][A-Za-z0-9_]*$/.test(key)
        ? `${at}${at ? '.' : ''}${key}`
        : `${at}[${JSON.stringify(key)}]`
      if (hasControlCharacter(key)) return `${here} (the key)`
      const found = findControlCharacter(item, here)
      if (found !== undefined) return found
    }
  }
  return undefined
}
