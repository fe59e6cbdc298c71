/**
 * The shapes of the names that enter reports and summaries from outside: a cloud's name (input `cloud-name`, a
 * report's `cloudName`), a test list's id (its file or URL name: guideline/plain-list.ts), a capability or service
 * name. Each enters only
 * when it has its shape; anything else is refused where it enters, naming the input or field. Pure.
 */

/** A cloud's name: letters (any script) or digits first, then letters, digits, space, `.`, `_`, `-`, `:`, `@`, `+`; 100 at most. */
export const CLOUD_NAME = /^[\p{L}\p{N}][\p{L}\p{N} ._:@+-]{0,99}$/u
export const CLOUD_NAME_RULE =
  'a letter or digit, then letters, digits, spaces and . _ - : @ + (100 characters at most)'

export { LIST_ID, LIST_ID_RULE } from '../guideline/plain-list.js'

/** A capability (`compute-servers-create`) or a test list's service (`object-storage`). */
export const CAPABILITY_NAME = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/

/** A Tempest test name or alias as a guideline holds it: dotted Python identifiers, attributes allowed. */
export const TEST_NAME = /^[A-Za-z_][A-Za-z0-9_.[\],=:-]{0,999}$/
