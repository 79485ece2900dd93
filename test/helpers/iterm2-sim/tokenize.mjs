/**
 * iTerm2's handling of a profile/AppleScript `command` (iterm2.md §5b), as the simulator needs it:
 * `$$NAME$$` opens a modal parameter prompt, `\(…)` is an interpolated expression, and the rest is
 * split by -[NSString componentsInShellCommand] (cases from iTerm2's NSStringITermCategoryTests:
 * backslash escapes with \n \t \a \r as control characters even inside quotes, quotes group,
 * an unquoted leading ~ expands). The result is exec'd directly: no shell.
 */
export class ParameterPrompt extends Error {}

const ESCAPES = {n: '\n', t: '\t', a: '\u0007', r: '\r'}

export function componentsInShellCommand(command, home) {
  if (/\$\$[A-Za-z_][A-Za-z0-9_]*\$\$/.test(command)) throw new ParameterPrompt(command)
  if (command.includes('\\(')) throw new Error(`the simulator does not evaluate interpolated expressions: ${command}`)
  const words = []
  let word = ''
  let inWord = false
  let quote = null
  let quotedStart = false
  for (let index = 0; index < command.length; index++) {
    const char = command[index]
    if (char === '\\' && index + 1 < command.length) {
      const next = command[++index]
      word += ESCAPES[next] ?? next
      inWord = true
    } else if (quote) {
      if (char === quote) quote = null
      else word += char
    } else if (char === '"' || char === "'") {
      if (!inWord) quotedStart = true
      quote = char
      inWord = true
    } else if (/\s/.test(char)) {
      if (inWord) words.push(finish(word, quotedStart, home))
      word = ''
      inWord = false
      quotedStart = false
    } else {
      word += char
      inWord = true
    }
  }
  if (inWord) words.push(finish(word, quotedStart, home))
  return words
}

function finish(word, quotedStart, home) {
  return !quotedStart && (word === '~' || word.startsWith('~/')) ? home + word.slice(1) : word
}
