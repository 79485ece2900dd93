/**
 * The commands users wait on most, recognised without oclif: loading @oclif/core and finding a
 * command costs several times a bare Node start (README § Performance). Only argv shapes whose
 * meaning is certain take the fast path; anything else (help, an unknown or repeated flag, a
 * missing or extra argument, `--`, a value that looks like a flag) goes through oclif, which
 * parses it and reports errors as always. This module imports nothing: bin/run.js loads it first.
 */
export type FastCommand = 'session status' | 'session list' | 'agent list'

export type FastRoute =
  | {kind: 'version'}
  | {kind: 'command'; command: FastCommand; json: boolean; name?: string; session?: string}

const FAST_COMMANDS: readonly string[] = ['session status', 'session list', 'agent list'] satisfies FastCommand[]
const isFastCommand = (command: string): command is FastCommand => FAST_COMMANDS.includes(command)

const plain = (value: string | undefined): value is string => value !== undefined && value !== '' && !value.startsWith('-')

export function fastRoute(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): FastRoute | undefined {
  // oclif prints debug output (DEBUG) or switches to JSON by environment (CCMCP_CONTENT_TYPE): leave those to it.
  if (env.DEBUG || env.CCMCP_CONTENT_TYPE) return undefined
  // oclif answers --version only as the first word, whatever follows.
  if (argv[0] === '--version') return {kind: 'version'}
  const [topic, verb, ...rest] = argv
  const command = `${topic} ${verb}`
  if (!isFastCommand(command)) return undefined
  const jsonFlags = rest.filter((word) => word === '--json').length
  if (jsonFlags > 1) return undefined
  const words = rest.filter((word) => word !== '--json')
  const route = {kind: 'command' as const, command, json: jsonFlags === 1}
  if (command === 'session list') return words.length === 0 ? route : undefined
  if (command === 'session status') return words.length === 1 && plain(words[0]) ? {...route, name: words[0]} : undefined
  if (words.length === 0) return route
  const [flag, value] = words
  if (words.length === 1 && flag?.startsWith('--session=')) {
    const session = flag.slice('--session='.length)
    return plain(session) ? {...route, session} : undefined
  }
  return words.length === 2 && (flag === '--session' || flag === '-s') && plain(value) ? {...route, session: value} : undefined
}
