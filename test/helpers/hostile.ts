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
