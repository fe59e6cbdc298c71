import { marked } from 'marked'
import { describe, expect, it } from 'vitest'
import { code, escapeText, headBytes, table, tailBytes } from '../../src/report/markdown.js'

describe('escapeText', () => {
  it.each([
    ['<img src=x onerror=alert(1)>', '<img'],
    ['<script>alert(1)</script>', '<script'],
    ['</details>', '</details>'],
    ['[link](https://evil.example)', '>link</a>'],
    ['# heading', '<h1'],
    ['**bold**', '<strong>'],
    ['`code`', '<code>'],
    ['- item', '<li>'],
    ['1. item', '<li>'],
    ['a\\r> [!CAUTION]\\n> forged', '<blockquote>'],
    ['$x^2$', '<math']
  ])('%j shows as text (no %s)', async (text, tag) => {
    const raw = text.replace(/\\r/g, '\r').replace(/\\n/g, '\n')
    const html = await marked.parse(escapeText(raw))
    expect(html).not.toContain(tag)
    expect(html.startsWith('<p>')).toBe(true)
  })

  it('keeps a table whole: a pipe, \\r, \\n or U+2028 in a cell adds no cell and no row', async () => {
    const hostile = ['a | b', 'c\rd', 'e\nf', 'g\u2028h'].map(escapeText)
    const markdown = table(
      ['x', 'y'],
      hostile.map((cell) => [cell, 'ok'])
    ).join('\n')
    const html = await marked.parse(markdown)
    expect(html.match(/<tr>/g)).toHaveLength(5)
    expect(html.match(/<td>ok<\/td>/g)).toHaveLength(4)
  })

  it('leaves plain names readable', () => {
    expect(escapeText('objectstore-account-list')).toBe('objectstore-account-list')
    expect(escapeText('2020.06 object (partial)')).toBe('2020.06 object (partial)')
    expect(escapeText('test_create_token')).toBe('test_create_token')
  })

  it('code spans only plain names; anything else is escaped inside <code>', () => {
    expect(code('tempest.api.A.test_b')).toBe('`tempest.api.A.test_b`')
    expect(code('a`b<c')).toBe('<code>a&#96;b&lt;c</code>')
  })
})

describe('cutting in bytes', () => {
  it('ends and starts at character boundaries', () => {
    const text = '失敗'.repeat(10) // 3 bytes each
    expect(headBytes(text, 7)).toBe('失敗')
    expect(tailBytes(text, 7)).toBe('失敗')
    expect(headBytes('😀x', 3)).toBe('')
  })
})
