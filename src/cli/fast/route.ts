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
  | {kind: 'serve'; flags: ServeFlags}

/** `ccmcp serve`'s flags as oclif parses them (src/commands/serve.ts), defaults applied. */
export interface ServeFlags {
  'security-level': 'LOW' | 'MEDIUM' | 'HIGH'
  transport: 'stdio' | 'http'
  port: number
  host: string
  /** Present only when given, as oclif leaves it. */
  agent?: boolean
  'max-agents'?: number
  'max-sessions'?: number
  'log-dir'?: string
  token?: string
}

/** The bounds of config maxAgents and maxSessions (core/domain/config.ts; a test keeps them equal). */
export const LIMIT_BOUNDS = {min: 1, max: 1000} as const

const FAST_COMMANDS: readonly string[] = ['session status', 'session list', 'agent list'] satisfies FastCommand[]
const isFastCommand = (command: string): command is FastCommand => FAST_COMMANDS.includes(command)

const plain = (value: string | undefined): value is string => value !== undefined && value !== '' && !value.startsWith('-')

export function fastRoute(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): FastRoute | undefined {
  // oclif prints debug output (DEBUG) or switches to JSON by environment (CCMCP_CONTENT_TYPE): leave those to it.
  if (env.DEBUG || env.CCMCP_CONTENT_TYPE) return undefined
  // oclif answers --version only as the first word, whatever follows.
  if (argv[0] === '--version') return {kind: 'version'}
  if (argv[0] === 'serve') return serveRoute(argv.slice(1), env)
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

const SERVE_VALUES: Record<string, (value: string) => string | number | undefined> = {
  'security-level': (value) => (['LOW', 'MEDIUM', 'HIGH'].includes(value) ? value : undefined),
  transport: (value) => (['stdio', 'http'].includes(value) ? value : undefined),
  port: (value) => integerWithin(value, 0, 65_535),
  host: (value) => value,
  'max-agents': (value) => integerWithin(value, LIMIT_BOUNDS.min, LIMIT_BOUNDS.max),
  'max-sessions': (value) => integerWithin(value, LIMIT_BOUNDS.min, LIMIT_BOUNDS.max),
  'log-dir': (value) => value,
  token: (value) => value,
}

function integerWithin(value: string, min: number, max: number): number | undefined {
  if (!/^\d{1,6}$/.test(value)) return undefined
  const number = Number(value)
  return number >= min && number <= max ? number : undefined
}

/**
 * `serve` is what every MCP client and every claude agent (its own `serve --agent`) starts, and it
 * lives for hours: without oclif it holds about 7 MB less. `--flag value`, `--flag=value` and
 * `--agent`, each once, with a valid value; anything else is oclif's to parse and report.
 */
function serveRoute(words: readonly string[], env: Readonly<Record<string, string | undefined>>): FastRoute | undefined {
  // oclif takes the token from CCMCP_TOKEN when the flag is absent; an empty one is left to it.
  if (env.CCMCP_TOKEN === '') return undefined
  const flags: ServeFlags = {'security-level': 'HIGH', transport: 'stdio', port: 8000, host: '127.0.0.1', ...(env.CCMCP_TOKEN ? {token: env.CCMCP_TOKEN} : {})}
  const seen = new Set<string>()
  for (let index = 0; index < words.length; index++) {
    const word = words[index] ?? ''
    if (!word.startsWith('--')) return undefined
    const equals = word.indexOf('=')
    const name = word.slice(2, equals === -1 ? undefined : equals)
    if (seen.has(name)) return undefined
    seen.add(name)
    if (name === 'agent' && equals === -1) {
      flags.agent = true
      continue
    }
    const parse = Object.hasOwn(SERVE_VALUES, name) ? SERVE_VALUES[name] : undefined
    const raw = equals === -1 ? words[++index] : word.slice(equals + 1)
    if (!parse || !plain(raw)) return undefined
    const value = parse(raw)
    if (value === undefined) return undefined
    Object.assign(flags, {[name]: value})
  }
  return {kind: 'serve', flags}
}
