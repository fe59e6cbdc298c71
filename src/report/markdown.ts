/** The Markdown pieces the job summaries share: GitHub Flavored Markdown tables and escaped text. Pure. */

/** A table cell's text: a pipe would end the cell, a newline the row. */
export function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ')
}

/** Text shown as text where Markdown allows HTML (test names, tracebacks, reasons). */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
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
