/** Messages that must arrive byte-exact and never execute (issue 2, "Bad input"). */
export const HOSTILE_MESSAGES = [
  `it's "double" and 'single' quoted`,
  'substitution $(touch /tmp/ccmcp-pwned) and `touch /tmp/ccmcp-pwned2` and ${HOME}',
  'operators ; | & && || > /tmp/ccmcp-redirect < x',
  'ends with a semicolon;',
  ';',
  '--leading-dashes -n -e',
  'Enter',
  'C-c',
  'back\\slash \\n \\t \\\\ \\;',
  'emoji 🎉👩‍👩‍👧 CJK 日本語の文 RTL עברית مرحبا',
  'multi\nline\n\twith tab',
  '#{pane_id} ~ * ? [a-z] !',
]

/**
 * Text an agent could report (a reply, an error, what it waits for, its screen) that a terminal
 * would act on: clipboard writes (OSC 52), title changes, screen clears and resets, cursor moves,
 * 8-bit C1 controls, an unterminated OSC.
 */
export const HOSTILE_TERMINAL_TEXT = [
  'copied \u001B]52;c;ZWNobyBwd25lZA==\u0007 to your clipboard',
  'title \u001B]0;you have been pwned\u001B\\ changed',
  'clear \u001B[2J\u001B[H\u001B[3J screen',
  'reset \u001Bc terminal',
  'cursor \u001B[10A\u001B[2K up and erase',
  'C1 \u009B2J clear and \u009D0;title\u009C title',
  'bell \u0007 and backspace \b\b\b',
  'unterminated \u001B]52;c;cGFzdGU=',
]

/** True when `text` holds anything a terminal would interpret besides newline and tab. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what is looked for
export const hasTerminalControls = (text: string): boolean => /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/.test(text)
