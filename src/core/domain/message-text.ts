/**
 * Rules for text that goes to an agent, and for command lines given as one string.
 * Messages are data: every character arrives verbatim, so control characters that a terminal
 * would act on (ESC, Ctrl-C, CR, …) are refused instead of being typed.
 */
import {CcmcpError} from './errors.js'

export const MAX_MESSAGE_BYTES = 64 * 1024

/** CRLF becomes LF (files from Windows); everything else must already be text. */
export function validateMessage(input: string, what = 'message'): string {
  const text = input.replaceAll('\r\n', '\n')
  if (text.trim().length === 0) {
    throw new CcmcpError('INVALID_INPUT', `The ${what} is empty.`, {hint: {cli: 'Give the text to send, or "-" to read it from stdin.', mcp: `Give the ${what} as a non-empty string.`}})
  }
  const bytes = Buffer.byteLength(text)
  if (bytes > MAX_MESSAGE_BYTES) {
    throw new CcmcpError('INVALID_INPUT', `The ${what} is ${bytes} bytes; the limit is ${MAX_MESSAGE_BYTES} bytes (64 KiB).`, {
      hint: 'Put long material in a file in the codebase and send the agent its path.',
    })
  }
  // With the u flag a surrogate PAIR is one code point, so this matches only lone halves.
  if (/[\uD800-\uDFFF]/u.test(text)) {
    throw new CcmcpError('INVALID_INPUT', `The ${what} is not valid Unicode text (it contains a lone surrogate).`, {
      hint: 'Send the text as UTF-8; a broken emoji or an unpaired \\uD800–\\uDFFF escape causes this.',
    })
  }
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index)
    const isC0 = code < 0x20 && code !== 0x09 && code !== 0x0a
    if (isC0 || code === 0x7f || (code >= 0x80 && code <= 0x9f)) {
      const line = text.slice(0, index).split('\n').length
      throw new CcmcpError('INVALID_INPUT', `The ${what} contains the control character U+${code.toString(16).toUpperCase().padStart(4, '0')} (${describeControl(code)}) at line ${line}, character ${index + 1}.`, {
        hint: 'Only tab and newline are allowed among control characters; remove it and send again.',
      })
    }
  }
  return text
}

function describeControl(code: number): string {
  if (code === 0x1b) return 'Escape'
  if (code === 0x0d) return 'carriage return'
  if (code === 0x7f) return 'Delete'
  if (code < 0x20) return `Ctrl-${String.fromCharCode(code + 0x40)}`
  return 'C1 control'
}

/**
 * Splits a command line like a POSIX shell would split words — quotes and backslashes — but
 * with no expansion of any kind: no variables, globs, substitutions or operators.
 */
export function splitCommandLine(line: string): string[] {
  const words: string[] = []
  let word = ''
  let inWord = false
  let quote: '"' | "'" | null = null
  for (let index = 0; index < line.length; index++) {
    const char = line[index] as string
    if (quote === "'") {
      if (char === "'") quote = null
      else word += char
    } else if (quote === '"') {
      if (char === '"') quote = null
      else if (char === '\\' && index + 1 < line.length && '"\\$`'.includes(line[index + 1] as string)) word += line[++index]
      else word += char
    } else if (char === "'" || char === '"') {
      quote = char
      inWord = true
    } else if (char === '\\' && index + 1 < line.length) {
      word += line[++index]
      inWord = true
    } else if (/\s/.test(char)) {
      if (inWord) words.push(word)
      word = ''
      inWord = false
    } else {
      word += char
      inWord = true
    }
  }
  if (quote) {
    throw new CcmcpError('INVALID_INPUT', `The command has an unclosed ${quote === '"' ? 'double' : 'single'} quote: ${line}`, {
      hint: 'Close the quote; ccmcp splits the command into words like a shell but never runs a shell.',
    })
  }
  if (inWord) words.push(word)
  if (words.length === 0) throw new CcmcpError('INVALID_INPUT', 'The command is empty.', {hint: {cli: 'Give a program to run, e.g. --command "aider --model x".', mcp: 'Give a program to run, e.g. command "aider --model x".'}})
  return words
}
