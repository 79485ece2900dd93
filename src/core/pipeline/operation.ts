/**
 * The operation registry: each operation defined once — name (its MCP tool name), zod input and
 * output, security level, honest annotations, handler over injected dependencies. The CLI, the
 * MCP server and the TUI are views of these definitions.
 */
import type * as z from 'zod'

import type {Caller} from './caller.js'
import type {Config} from '../domain/config.js'
import type {BackendName, State} from '../domain/state.js'
import type {MessageLog} from '../messages/message-log.js'
import type {Paths} from '../platform/paths.js'
import type {TaskBoard} from '../tasks/board.js'
import type {AuditReader, Clock, Exec, Host, KeyRotation, KeySource, Logger, RemoteHosts, Store, TerminalBackend} from '../ports.js'
import type {Tokens} from '../tokens/token-store.js'

export const SECURITY_LEVELS = ['LOW', 'MEDIUM', 'HIGH'] as const
export type SecurityLevel = (typeof SECURITY_LEVELS)[number]

export const levelRank = (level: SecurityLevel): number => SECURITY_LEVELS.indexOf(level)

/** What core reaches the outside world through: stores, terminals, programs, files, time, logs. */
export interface CorePorts {
  state: Store<State>
  config: Store<Config>
  /** A session's task board (its own file, beside state.json); the board of a session without one is empty. */
  tasks(session: string): Store<TaskBoard>
  /** HTTP client tokens (digests only), kept 0600 in ccmcp's home. */
  tokens: Store<Tokens>
  /** Lazy: a backend is only built (and its program looked for) when a session uses it. */
  backend(name: BackendName): TerminalBackend
  clock: Clock
  logger: Logger
  /** Runs programs (claude --version); argv only. */
  exec: Exec
  /** Files, the user's home and this process, on the machine the agents run on. */
  host: Host
  /** Starts a short-lived process that delivers the agent's next queued message. */
  startFlusher(agentKey: string): void
  /** The ccmcp on other hosts, for sessions whose agents run there (over the user's OpenSSH). */
  remote: RemoteHosts
  /** The message history of one session (`<home>/messages/<session>.json`). */
  messages(session: string): Store<MessageLog>
  /** The audit log, for `audit verify` and `audit show`; absent where none is kept (test fakes). */
  audit?: AuditReader
  /** ccmcp's master key (encryption at rest, audit signatures): CCMCP_KEY, the OS keychain or the key file. */
  keys: KeySource
  /** Re-encrypts everything at rest with a new master key (`ccmcp key rotate`). */
  keyRotation: KeyRotation
}

/** Where ccmcp keeps its files, and what new sessions get when nothing is asked for. */
export interface CoreSettings {
  paths: Paths
  /** The backend for new sessions when none is asked for. */
  defaultBackend(config: Config): BackendName
}

/** What starting an agent (or registering ccmcp with an MCP client) needs to know. */
export interface LaunchSettings {
  /** Environment agents inherit: the creating process's own, without ccmcp's secrets (launch-spec.ts CCMCP_PRIVATE_ENV). */
  env: Record<string, string>
  /** Shell command line Claude Code runs for each hook event. */
  hookCommand: string
  /** The claude program, from env CCMCP_CLAUDE_BIN, else config, else "claude". */
  claudeBin(config: Config): string
  /** The argv that runs this ccmcp (node + bin/run.js), for MCP client config entries. */
  ccmcpCommand: readonly string[]
}

export interface CoreDeps {
  ports: CorePorts
  settings: CoreSettings
  launch: LaunchSettings
}

/** Per-surface overrides of config limits (CLI flags, `serve --max-agents`). */
export interface Limits {
  maxAgents?: number
  maxSessions?: number
}

export interface OperationContext {
  deps: CoreDeps
  limits: Limits
  /** Who is acting, already authorized by the pipeline (an agent caller has proven its launch id). */
  caller: Caller
  /**
   * What a relative path in the input is relative to: the CLI's current directory. null for a
   * caller elsewhere (an MCP client: the server's cwd is not the client's, `/` under Claude
   * Desktop), whose paths must be absolute.
   */
  workingDir: string | null
  /** Long waits report what they wait for (the MCP server turns it into progress notifications). */
  progress?: (message: string) => void
}

/**
 * What an operation's input reaches, for callers limited to some sessions (agents, session-scoped
 * tokens): sessions and agents named in it (`session/name`, or a bare name resolved as core
 * resolves it), or 'every-session' when it covers them all (a list without a filter).
 */
export type Scope = 'every-session' | {
  sessions?: readonly (string | undefined)[]
  agents?: readonly (string | undefined)[]
  /** It starts a new agent in `sessions`: an agent caller also needs the session's agentsMayCreateAgents. */
  startsAgent?: boolean
}

/** An input that makes the operation more than its level: why, and the level it needs then. */
export interface RaisedLevel {
  level: SecurityLevel
  /** What the input does, as "runs … " for messages. */
  because: string
}

export interface Operation<I extends z.ZodObject = z.ZodObject, O extends z.ZodObject = z.ZodObject> {
  name: string
  title: string
  description: string
  level: SecurityLevel
  /** Who may run it at all; absent: every caller (within its clearance and scope). ['operator'] for ccmcp's own business. */
  callers?: readonly Caller['kind'][]
  /**
   * What the validated input touches (see Scope). Without it, a caller limited to some sessions
   * (an agent, a scoped token) is refused the operation: new operations are closed until they say.
   */
  scope?(input: z.infer<I>): Scope
  /** The level this input needs when more than `level` (e.g. create_agent running an arbitrary program). */
  raisedLevel?(input: z.infer<I>): RaisedLevel | null
  annotations: {readOnly: boolean; destructive: boolean; idempotent: boolean}
  /** false: the operation is not offered as an MCP tool (it changes ccmcp itself). */
  mcp: boolean
  input: I
  output: O
  handler(input: z.infer<I>, context: OperationContext): Promise<z.infer<O>>
}

export function defineOperation<I extends z.ZodObject, O extends z.ZodObject>(operation: Operation<I, O>): Operation<I, O> {
  return operation
}
