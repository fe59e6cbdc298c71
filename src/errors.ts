/**
 * An error the user can fix: the message names what is wrong (the input, the file, the host),
 * the hint says what to change. main.ts prints both and never a stack trace.
 */
export class ActionError extends Error {
  constructor(
    message: string,
    readonly hint?: string
  ) {
    super(message)
    this.name = 'ActionError'
  }
}

/** The message and hint of an ActionError as one line for core.setFailed. */
export function describeError(error: unknown): string {
  if (error instanceof ActionError) return error.hint ? `${error.message}. ${error.hint}` : error.message
  if (error instanceof Error) return error.message
  return String(error)
}

/** The last `count` lines of a command's output, trailing blank lines dropped: what an error message quotes. */
export function lastLines(text: string, count = 1): string {
  return text.trimEnd().split('\n').slice(-count).join('\n')
}
