/**
 * Which operations run on another host: those about one session (by its name, its agent
 * `session/Agent_N`, or a `session` input) whose session lives on a host. They go there whole, as
 * the same operation with the same input, after this side has authorized the caller; hooks,
 * trust, recovery and confinement stay with the ccmcp that runs the agents.
 */
import type {SessionRecord, State} from '../domain/state.js'
import type {RemoteTarget} from '../ports.js'

/** Operations whose `name` input is a session name. */
const BY_SESSION_NAME: ReadonlySet<string> = new Set(['get_session_status', 'delete_session', 'trust_session', 'recover_session'])

/** Operations that never go to another host: they are about this ccmcp or about every session. */
const LOCAL_ONLY: ReadonlySet<string> = new Set(['create_session', 'list_sessions', 'get_overview', 'get_config', 'set_config', 'unset_config', 'doctor', 'install_claude_desktop', 'install_claude_code'])

export const DEFAULT_REMOTE_CCMCP = 'ccmcp'

/** The session an operation's input is about, if it names exactly one. */
export function sessionNamed(operation: string, input: unknown): string | null {
  if (LOCAL_ONLY.has(operation) || typeof input !== 'object' || input === null) return null
  const fields = input as Record<string, unknown>
  if (BY_SESSION_NAME.has(operation)) return typeof fields.name === 'string' ? fields.name : null
  if (typeof fields.session === 'string') return fields.session
  if (typeof fields.agent === 'string' && fields.agent.includes('/')) return fields.agent.slice(0, fields.agent.indexOf('/'))
  return null
}

export function remoteTarget(record: Pick<SessionRecord, 'host' | 'remoteCcmcp'>): RemoteTarget | null {
  return record.host ? {host: record.host, remoteCcmcp: record.remoteCcmcp ?? DEFAULT_REMOTE_CCMCP} : null
}

/** The remote session an operation is about, or null when it runs here. */
export function remoteSessionFor(operation: string, input: unknown, state: State): {record: SessionRecord; target: RemoteTarget} | null {
  const name = sessionNamed(operation, input)
  if (name === null) return null
  const record = state.sessions.find((session) => session.name === name)
  const target = record && remoteTarget(record)
  return record && target ? {record, target} : null
}
