import { describe, expect, it } from 'vitest'
import { ActionError, describeError, lastLines } from '../src/errors.js'

describe('lastLines', () => {
  it('quotes the last lines of an output, trailing blank lines dropped', () => {
    expect(lastLines('one\ntwo\n\nthree\n\n')).toBe('three')
    expect(lastLines('one\ntwo\n\nthree\n', 3)).toBe('two\n\nthree')
    expect(lastLines('only', 5)).toBe('only')
    expect(lastLines('')).toBe('')
  })
})

describe('describeError', () => {
  it('joins an ActionError and its hint; any other error is its message', () => {
    expect(describeError(new ActionError('Input x is wrong', 'Set x to y'))).toBe(
      'Input x is wrong. Set x to y'
    )
    expect(describeError(new Error('connect ECONNREFUSED'))).toBe('connect ECONNREFUSED')
    expect(describeError('text')).toBe('text')
  })
})
