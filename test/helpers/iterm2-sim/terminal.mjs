/**
 * Turns what a program wrote to its pty into the text iTerm2's `text` property gives: escape
 * sequences dropped, CR returns to the line start, LF starts a line, BS steps back. Enough for
 * line-oriented programs and the fake agent; no cursor addressing.
 */
export function renderScreen(raw) {
  const lines = [[]]
  let row = 0
  let col = 0
  for (let index = 0; index < raw.length; index++) {
    const char = raw[index]
    if (char === '\u001B') {
      const next = raw[index + 1]
      if (next === '[') {
        index += 2
        while (index < raw.length && !/[\u0040-\u007E]/.test(raw[index])) index++
      } else if (next === ']') {
        index += 2
        while (index < raw.length && raw[index] !== '\u0007' && !(raw[index] === '\u001B' && raw[index + 1] === '\\')) index++
        if (raw[index] === '\u001B') index++
      } else {
        index++
      }
    } else if (char === '\r') {
      col = 0
    } else if (char === '\n') {
      row++
      col = 0
      lines[row] ??= []
    } else if (char === '\b') {
      col = Math.max(0, col - 1)
    } else if (char === '\t') {
      col = (Math.floor(col / 8) + 1) * 8
    } else if (char >= ' ') {
      const line = lines[row]
      while (line.length < col) line.push(' ')
      line[col++] = char
    }
  }
  return lines.map((line) => line.join('')).join('\n')
}
