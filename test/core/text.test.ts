import {describe, expect, it} from 'vitest'

import {CcmcpError} from '../../src/core/domain/errors.js'
import {MAX_MESSAGE_BYTES, splitCommandLine, validateMessage} from '../../src/core/domain/message-text.js'

describe('validateMessage', () => {
  const hostile = [
    `it's "quoted"`,
    '$(rm -rf /) and `id`',
    'a; b | c & d',
    '-n --help',
    'Enter',
    'C-c',
    'back\\slash \\n \\\\',
    'emoji 🎉 CJK 日本語 RTL עברית',
    'line one\nline two\n\tindented',
    'ends with;',
  ]
  it.each(hostile)('keeps %j verbatim', (text) => {
    expect(validateMessage(text)).toBe(text)
  })

  it('turns CRLF into LF', () => {
    expect(validateMessage('a\r\nb')).toBe('a\nb')
  })

  it.each([
    ['\u001B[201~escape', 'U+001B (Escape)'],
    ['ctrl \u0003 c', 'U+0003 (Ctrl-C)'],
    ['lone \r cr', 'U+000D (carriage return)'],
    ['del \u007F', 'U+007F (Delete)'],
    ['c1 \u009B', 'U+009B (C1 control)'],
  ])('refuses control characters: %j', (text, named) => {
    expect(() => validateMessage(text)).toThrowError(named)
    try {
      validateMessage(text)
    } catch (error) {
      expect((error as CcmcpError).code).toBe('INVALID_INPUT')
      expect((error as CcmcpError).hint).toMatch(/tab and newline/)
    }
  })

  it('refuses text that is not valid Unicode (a lone surrogate)', () => {
    expect(() => validateMessage('broken \uD83D emoji')).toThrowError('lone surrogate')
  })

  it('says where the control character is', () => {
    expect(() => validateMessage('ok\nno\u0007')).toThrowError('line 2, character 6')
  })

  it('refuses empty and oversized messages with the limit named', () => {
    expect(() => validateMessage('  \n ')).toThrowError('empty')
    expect(() => validateMessage('x'.repeat(MAX_MESSAGE_BYTES + 1))).toThrowError(`the limit is ${MAX_MESSAGE_BYTES} bytes`)
    expect(validateMessage('x'.repeat(MAX_MESSAGE_BYTES))).toHaveLength(MAX_MESSAGE_BYTES)
  })

  it('counts bytes, not characters', () => {
    const emoji = '🎉'.repeat(MAX_MESSAGE_BYTES / 4 + 1)
    expect(() => validateMessage(emoji)).toThrowError('limit')
  })
})

describe('splitCommandLine', () => {
  it.each([
    ['aider --model x', ['aider', '--model', 'x']],
    [`sh -c "echo hi; exit 3"`, ['sh', '-c', 'echo hi; exit 3']],
    [`printf '%s\\n' "a b" c\\ d`, ['printf', '%s\\n', 'a b', 'c d']],
    [`echo $(id) \`x\` $HOME *`, ['echo', '$(id)', '`x`', '$HOME', '*']],
    [`cmd "" ''`, ['cmd', '', '']],
    [`say "she said \\"hi\\""`, ['say', 'she said "hi"']],
    ['  spaced\tout  ', ['spaced', 'out']],
  ])('%j', (line, words) => {
    expect(splitCommandLine(line)).toEqual(words)
  })

  it('refuses unclosed quotes and empty commands', () => {
    expect(() => splitCommandLine(`echo "open`)).toThrowError('unclosed double quote')
    expect(() => splitCommandLine(`echo 'open`)).toThrowError('unclosed single quote')
    expect(() => splitCommandLine('   ')).toThrowError('empty')
  })
})
