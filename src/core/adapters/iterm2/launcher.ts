/**
 * How an agent starts in an iTerm2 tab. iTerm2's `command` is not a shell (iterm2.md §5b): it is
 * split into argv by iTerm2's own tokenizer, with no cd, no environment and odd escapes. So the
 * tab runs `/bin/sh "<launcher>" "<data>"`:
 *
 * - the launcher is ONE fixed script (below), written once, mode 0600 (run by /bin/sh, never
 *   executed itself); it never contains user data;
 * - the data file is per launch, mode 0600, and deleted by the launcher as soon as it is read. It
 *   holds the directory, the environment and the argv, one value per line, each byte outside
 *   [A-Za-z0-9/._-] written as an octal escape `\0ooo` that `printf %b` turns back into the byte.
 *   No value is ever parsed as shell source: there is no eval and no unquoted expansion;
 * - the launcher first writes its pid next to the data file (launch-<id>.pid), forgets every
 *   inherited variable, exports the data file's with the `export` builtin (never `env -i K=V…`,
 *   which would show them on an argv) and execs the program: exec keeps the pid, so the agent
 *   itself becomes the tab's process (signals, SIGHUP on close) and ccmcp can tell by pid whether
 *   it still runs.
 *
 * Chosen over a per-launch generated script (quoting user values into shell source) and a node
 * launcher (Node 20 cannot exec(2), so node would stay the tab's process).
 */
import {CcmcpError} from '../../domain/errors.js'

/** The launchers' shared shell: how they fail (exit 97 with a message on stderr). */
export const FAIL_FUNCTION = `fail() {
  printf 'ccmcp: %s\\n' "$1" >&2
  exit 97
}
`

/**
 * The launchers' shared shell: reads the data file into "$@" (`envLines`: what a launcher does with
 * an environment line), deletes it, checks it was complete and enters the directory. Values are
 * decoded with printf %b; nothing is ever evaluated.
 */
export function readLaunchData(envLines: string): string {
  return `dir=
complete=
bad=
while IFS= read -r line || [ -n "$line" ]; do
  # printf %b decodes the \\0ooo escapes; the x keeps trailing newlines from $(...).
  value=$(printf '%bx' "\${line#? }")
  value=\${value%x}
  case $line in
    'V 1') ;;
    'C '*) dir=$value ;;
${envLines}    'Z .') complete=1 ;;
    *) bad=1 ;;
  esac
done <"$data"
rm -f -- "$data"
[ -z "$bad" ] && [ -n "$complete" ] || fail "the launch data file is damaged"
cd -- "$dir" || fail "cannot enter the session root"
`
}

/** The launchers' shared shell: puts each of the terminal's own variables that is set into "$@" as NAME=value. */
export function keepTerminalVars(names: readonly string[]): string {
  return names.map((name) => `[ -n "\${${name}+x}" ] && set -- "$@" "${name}=$${name}"\n`).join('')
}

/**
 * The launchers' shared shell: forgets every inherited variable, exports the first
 * $ccmcp_exports words of "$@" (NAME=value: the terminal's own, then the data file's) with the
 * `export` builtin and execs the rest. Builtins only, so no value is ever on an argv (/proc/<pid>/cmdline
 * is readable by every local user): `env -i NAME=value…` would put them there.
 */
export const EXPORT_AND_EXEC = `# Forget everything inherited (builtins only: PATH goes too).
while IFS= read -r line; do
  case $line in
    'export '*)
      name=\${line#export }
      name=\${name%%=*}
      case $name in
        '' | [0-9]* | *[!A-Za-z0-9_]*) ;;
        *) command unset "$name" 2>/dev/null || : ;;
      esac
      ;;
  esac
done <<ccmcp_exported
$(export -p)
ccmcp_exported
while [ "$ccmcp_exports" -gt 0 ]; do
  command export "$1" 2>/dev/null || :
  shift
  ccmcp_exports=$((ccmcp_exports - 1))
done
exec "$@"
`

// A plain template literal: \${ is a literal ${ and \\n a literal \n in the script.
export const LAUNCHER_SCRIPT = `#!/bin/sh
# ccmcp launcher for iTerm2 tabs. Fixed content: it never holds user data.
# Usage: /bin/sh launch.sh DATA-FILE  (see launcher.ts in ccmcp for the data format)
# ccmcp_exports must not carry an inherited export flag (it would be unset with the rest).
unset CDPATH ccmcp_exports
umask 077
data=$1
# First of all the pid, next to the data file: ccmcp tells a live agent from an ended one by it.
# exec keeps the pid, so it stays the agent's pid.
printf '%s\\n' "$$" >"\${data%.data}.pid" || :
${FAIL_FUNCTION}[ -f "$data" ] || fail "the launch data file is gone: a tab reopened after a restart cannot start its agent again; use: ccmcp agent new-conversation"
# The terminal's own variables come from iTerm2; every other one comes from the data file.
set --
${keepTerminalVars(['TERM', 'COLORTERM', 'TERM_PROGRAM', 'TERM_PROGRAM_VERSION', 'TERM_SESSION_ID', 'ITERM_SESSION_ID', 'ITERM_PROFILE', 'LC_TERMINAL', 'LC_TERMINAL_VERSION'])}ccmcp_exports=$#
${readLaunchData("    'E '*) set -- \"$@\" \"$value\"; ccmcp_exports=$((ccmcp_exports + 1)) ;;\n    'A '*) set -- \"$@\" \"$value\" ;;\n")}${EXPORT_AND_EXEC}`

/** Variables iTerm2 sets for each session; the launcher takes them from the terminal, never from ccmcp. */
export const TERMINAL_OWNED_ENV = new Set([
  'TERM',
  'COLORTERM',
  'TERM_PROGRAM',
  'TERM_PROGRAM_VERSION',
  'TERM_SESSION_ID',
  'ITERM_SESSION_ID',
  'ITERM_PROFILE',
  'LC_TERMINAL',
  'LC_TERMINAL_VERSION',
  'COLUMNS',
  'LINES',
  // ccmcp itself may run inside tmux; that says nothing about the iTerm2 tab.
  'TMUX',
  'TMUX_PANE',
])

/** The environment an agent gets in iTerm2: the requested one, minus what the terminal owns. */
export function agentEnvironment(env: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [key, value] of Object.entries(env)) {
    // Only names the launcher's `export` can set (a shell cannot carry others); ccmcp_* is the launcher's own.
    if (!TERMINAL_OWNED_ENV.has(key) && /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) && !key.startsWith('ccmcp_')) out[key] = value
  }
  // Claude Code retitles its tab; the tab is named Agent_N · session (iterm2.md §9).
  out.CLAUDE_CODE_DISABLE_TERMINAL_TITLE ??= '1'
  return out
}

/** Every byte outside [A-Za-z0-9/._-] as `\0ooo` (printf %b's octal escape). */
export function encodeValue(value: string): string {
  let out = ''
  for (const byte of Buffer.from(value, 'utf8')) {
    out += /[A-Za-z0-9/._-]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `\\0${byte.toString(8).padStart(3, '0')}`
  }
  return out
}

export interface LaunchData {
  cwd: string
  env: Record<string, string>
  argv: readonly string[]
}

/** The data file's text; refuses what exec(2) cannot carry or `env` would misread. */
export function launchDataText(data: LaunchData): string {
  const [program] = data.argv
  if (program === undefined || program === '') throw new CcmcpError('INVALID_INPUT', 'The command to run is empty.')
  if (program.includes('=')) {
    throw new CcmcpError('INVALID_INPUT', `The program name "${program}" contains "=", which iTerm2 tabs cannot run.`, {hint: 'Rename or symlink the program, or run it through its full path without "=".'})
  }
  const values = [data.cwd, ...Object.entries(data.env).flat(), ...data.argv]
  if (values.some((value) => value.includes('\0'))) throw new CcmcpError('INVALID_INPUT', 'A command argument, the directory or an environment value contains a NUL byte.')
  const lines = [
    'V 1',
    `C ${encodeValue(data.cwd)}`,
    ...Object.entries(data.env).map(([key, value]) => `E ${encodeValue(`${key}=${value}`)}`),
    ...data.argv.map((arg) => `A ${encodeValue(arg)}`),
    'Z .',
  ]
  return `${lines.join('\n')}\n`
}

/**
 * iTerm2's `command` for the launcher: each word double-quoted. iTerm2 evaluates `\(…)` and
 * `$$NAME$$` in this string and treats backslashes as escapes, so a word may hold none of
 * `"`, `\`, `$` or control characters; spaces are fine ("Application Support").
 */
export function iTermCommand(words: readonly string[]): string {
  for (const word of words) {
    if ([...word].some((char) => char < ' ' || char === '\u007f' || '"\\$'.includes(char))) {
      throw new CcmcpError('BACKEND_UNAVAILABLE', `iTerm2 cannot be given the path ${JSON.stringify(word)}: it contains a quote, backslash, "$" or control character.`, {
        hint: 'Set CCMCP_HOME to a directory whose path has none of these characters.',
      })
    }
  }
  return words.map((word) => `"${word}"`).join(' ')
}
