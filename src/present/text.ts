/**
 * Making text that an agent (or anyone) produced safe to print on a user's terminal: escape
 * sequences (OSC 52 clipboard writes, title changes, screen clears, cursor moves) and other
 * control characters are removed before the text reaches the CLI, the TUI or an MCP prompt.
 */

// CSI (ESC [ … final), string sequences (OSC ESC ], DCS P, SOS X, PM ^, APC _ … up to BEL or ESC \,
// or the end when unterminated) and two-character ones (ESC c resets the terminal). C1 controls are
// removed as controls.
// eslint-disable-next-line no-control-regex -- terminal escape sequences are exactly what is removed
const ESCAPE_SEQUENCE = /\u001B(?:\[[0-?]*[ -/]*[@-~]?|[\]PX^_][^\u0007\u001B]*(?:\u0007|\u001B\\)?|[ -/]*[0-~]?)/g
// eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g

/** Text with its line structure kept (newlines, tabs) and every escape sequence and other control removed. */
export function terminalSafe(text: string): string {
  return text.replaceAll('\r\n', '\n').replaceAll(ESCAPE_SEQUENCE, '').replaceAll(CONTROL, ' ')
}

/** Any text as one line: escapes dropped, runs of whitespace (newlines too) made one space; cut at `max` with "…". */
export function oneLine(text: string | null | undefined, max = Number.POSITIVE_INFINITY): string {
  if (!text) return ''
  const flat = terminalSafe(text).replaceAll(/\s+/g, ' ').trim()
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat
}

/** A terminal screen as drawable lines: escapes dropped, tabs expanded, trailing blank lines removed. */
export function screenLines(text: string): string[] {
  const lines = terminalSafe(text.replaceAll('\r\n', '\n').replaceAll('\r', ''))
    .split('\n')
    .map((line) => expandTabs(line).trimEnd())
  while (lines.length > 0 && lines.at(-1) === '') lines.pop()
  return lines
}

function expandTabs(line: string): string {
  if (!line.includes('\t')) return line
  let out = ''
  for (const char of line) out += char === '\t' ? ' '.repeat(8 - (out.length % 8)) : char
  return out
}
