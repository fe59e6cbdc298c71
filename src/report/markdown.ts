/**
 * The Markdown pieces the job summaries share: GitHub Flavored Markdown tables and escaped text. Pure.
 *
 * Every text a summary did not write itself (names and messages from a report, a baseline, a stream, an input)
 * goes through `escapeText`, so it shows as the text it is: no HTML, no Markdown structure, one line.
 */

/**
 * HTML entities for the characters that start HTML, Markdown inline structure (links need `[`, so parentheses
 * stay), GitHub math (`$`), or end a table cell.
 */
const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '|': '&#124;',
  '\\': '&#92;',
  '`': '&#96;',
  '*': '&#42;',
  '[': '&#91;',
  ']': '&#93;',
  '#': '&#35;',
  '~': '&#126;',
  $: '&#36;'
}
const SPECIAL = /[&<>|\\`*[\]#~$]/g
/** An underscore that could open or close emphasis (one inside a word cannot). */
const EMPHASIS_UNDERSCORE = /(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu
/**
 * Line and paragraph breaks (`\r` too: GitHub ends a table row at it), tabs, the other C0/C1 controls and the
 * bidirectional overrides, which would reorder what a reader sees.
 */
// eslint-disable-next-line no-control-regex -- control characters are what is looked for
const BREAKS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]+/g

/**
 * Foreign text as one line of plain text for Markdown and HTML alike: in a paragraph, a list item, a table cell,
 * a `<summary>` or a `<pre>`. Breaks and controls become one space; a leading `- `, `+ ` or `1. ` cannot start a list.
 */
export function escapeText(text: string): string {
  return text
    .replace(BREAKS, ' ')
    .replace(SPECIAL, (c) => ENTITIES[c])
    .replace(EMPHASIS_UNDERSCORE, '&#95;')
    .replace(/^([-+])(?= |$)/, (c) => `&#${c.charCodeAt(0)};`)
    .replace(
      /^(\d{1,9})([.)])(?= |$)/,
      (_, digits: string, mark: string) => `${digits}&#${mark.charCodeAt(0)};`
    )
}

/** Multi-line foreign text (a traceback) for a `<pre>` block: HTML escaped, line breaks kept (`\r\n` → `\n`). */
export function escapeHtml(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/** A table cell's text the summary wrote itself (Markdown kept): a pipe would end the cell, a break the row. */
export function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/[\r\n\u2028\u2029]+/g, ' ')
}

/** A table's lines; `escape` makes each header and cell safe (escapeCell by default). */
export function table(header: string[], rows: string[][], escape = escapeCell): string[] {
  const line = (cells: string[]): string => `| ${cells.map(escape).join(' | ')} |`
  return [line(header), `| ${header.map(() => '---').join(' | ')} |`, ...rows.map(line)]
}

/** "Class.test_method" of a dotted Tempest test name. */
export function shortName(name: string): string {
  return name.split('.').slice(-2).join('.')
}

/** A name as code: in backticks when it is a plain identifier-like name, else escaped inside `<code>`. */
export function code(name: string): string {
  return /^[A-Za-z0-9_.,:=/[\] -]+$/.test(name) ? `\`${name}\`` : `<code>${escapeText(name)}</code>`
}

/** The last `bytes` bytes of `text` (UTF-8), starting at a character boundary. */
export function tailBytes(text: string, bytes: number): string {
  const buffer = Buffer.from(text)
  if (buffer.length <= bytes) return text
  let start = buffer.length - bytes
  while (start < buffer.length && (buffer[start] & 0xc0) === 0x80) start++
  return buffer.subarray(start).toString('utf8')
}

/** The first `bytes` bytes of `text` (UTF-8), ending at a character boundary. */
export function headBytes(text: string, bytes: number): string {
  const buffer = Buffer.from(text)
  if (buffer.length <= bytes) return text
  let end = bytes
  while (end > 0 && (buffer[end] & 0xc0) === 0x80) end--
  return buffer.subarray(0, end).toString('utf8')
}
