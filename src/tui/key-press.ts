/**
 * What Ink hands over, taken apart: the key flags, the character one key alone would give, and
 * the sequences Ink does not decode itself (bracketed-paste markers, xterm's Shift+Enter).
 */
import type {Key} from 'ink'

export type KeyPress = Pick<
  Key,
  'upArrow' | 'downArrow' | 'leftArrow' | 'rightArrow' | 'pageUp' | 'pageDown' | 'home' | 'end' | 'return' | 'escape' | 'ctrl' | 'shift' | 'meta' | 'backspace' | 'delete' | 'tab'
>

/** What Ink leaves of an escape sequence it does not know (e.g. xterm's Shift+Enter, ESC [27;2;13~). */
export const UNKNOWN_SEQUENCE = /^\[[\d;]*[~A-Za-z]$/
export const SHIFT_ENTER_SEQUENCE = /^\[27;[2-9];13~$/
// What Ink leaves of the bracketed-paste markers (the app turns bracketed paste on).
export const PASTE_START = '[200~'
export const PASTE_END = '[201~'
// eslint-disable-next-line no-control-regex -- splitting at control characters is the point
export const CONTROL_CHAR = /([\u0000-\u001F\u007F])/

export const NO_KEY: KeyPress = {
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageUp: false, pageDown: false, home: false, end: false,
  return: false, escape: false, ctrl: false, shift: false, meta: false, backspace: false, delete: false, tab: false,
}

/** A single character as Ink would report it on its own. */
export function keyOf(char: string): [string, KeyPress] {
  switch (char) {
    case '\r':
      return ['\r', {...NO_KEY, return: true}]
    case '\n':
      return ['\n', NO_KEY]
    case '\t':
      return ['', {...NO_KEY, tab: true}]
    case '\b':
      return ['', {...NO_KEY, backspace: true}]
    case '\u007F':
      return ['', {...NO_KEY, delete: true}]
    case '\u001B':
      return ['', {...NO_KEY, escape: true, meta: true}]
  }
  const code = char.charCodeAt(0)
  if (char.length === 1 && code < 0x20) return [String.fromCharCode(code + 0x60), {...NO_KEY, ctrl: true}]
  return [char, NO_KEY]
}
