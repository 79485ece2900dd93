/** The editable text of an inline input (possibly several lines) and its cursor. Pure. */

export interface TextBuffer {
  text: string
  /** Offset into text, 0 … text.length. */
  cursor: number
}

export const bufferOf = (text: string): TextBuffer => ({text, cursor: text.length})

export function insertText(buffer: TextBuffer, input: string): TextBuffer {
  return {text: buffer.text.slice(0, buffer.cursor) + input + buffer.text.slice(buffer.cursor), cursor: buffer.cursor + input.length}
}

export function deleteBack(buffer: TextBuffer): TextBuffer {
  if (buffer.cursor === 0) return buffer
  // A surrogate pair is one character to the user.
  const width = isLowSurrogate(buffer.text.charCodeAt(buffer.cursor - 1)) && buffer.cursor >= 2 ? 2 : 1
  return {text: buffer.text.slice(0, buffer.cursor - width) + buffer.text.slice(buffer.cursor), cursor: buffer.cursor - width}
}

export function moveCursor(buffer: TextBuffer, delta: -1 | 1): TextBuffer {
  let cursor = buffer.cursor + delta
  if (delta === -1 && isLowSurrogate(buffer.text.charCodeAt(cursor))) cursor--
  if (delta === 1 && isLowSurrogate(buffer.text.charCodeAt(cursor))) cursor++
  return {...buffer, cursor: Math.min(Math.max(cursor, 0), buffer.text.length)}
}

export function lineStart(buffer: TextBuffer): TextBuffer {
  return {...buffer, cursor: buffer.text.lastIndexOf('\n', buffer.cursor - 1) + 1}
}

export function lineEnd(buffer: TextBuffer): TextBuffer {
  const end = buffer.text.indexOf('\n', buffer.cursor)
  return {...buffer, cursor: end < 0 ? buffer.text.length : end}
}

/** Ctrl-U: delete from the start of the current line to the cursor. */
export function deleteToLineStart(buffer: TextBuffer): TextBuffer {
  const start = lineStart(buffer).cursor
  return {text: buffer.text.slice(0, start) + buffer.text.slice(buffer.cursor), cursor: start}
}

/** The buffer's lines and where the cursor is among them. */
export function cursorPosition(buffer: TextBuffer): {lines: string[]; line: number; column: number} {
  const before = buffer.text.slice(0, buffer.cursor).split('\n')
  return {lines: buffer.text.split('\n'), line: before.length - 1, column: before.at(-1)?.length ?? 0}
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff
}
