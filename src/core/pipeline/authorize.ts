/**
 * The authorize steps of the pipeline, applied the same way for every surface. Before the input
 * is looked at: who may call the operation at all (`callers`), the caller's clearance against
 * the operation's level (LOW only reads, MEDIUM starts and talks to agents, HIGH deletes and runs
 * arbitrary programs), and an agent's proof. After validation (authorizeInput): the level the
 * input raises it to, and the session scope of agents and scoped tokens. Light on imports: the
 * hook path loads it.
 */
import {type Caller, clearanceOf, describeCaller, sessionScopeOf, verifyAgent} from './caller.js'
import type {State} from '../domain/state.js'
import {CcmcpError} from '../domain/errors.js'
import type {Store} from '../ports.js'
import {type Operation, type RaisedLevel, type Scope, type SecurityLevel, levelRank} from './operation.js'

export function isCleared(operation: Pick<Operation, 'level'>, clearance: SecurityLevel): boolean {
  return levelRank(operation.level) <= levelRank(clearance)
}

export function assertCleared(operation: Pick<Operation, 'name' | 'level'>, clearance: SecurityLevel): void {
  if (isCleared(operation, clearance)) return
  throw new CcmcpError('FORBIDDEN', `${operation.name} is a ${operation.level}-level operation, and this server runs at security level ${clearance}; nothing was done.`, {
    hint: `Whoever starts the server can allow it with --security-level ${operation.level}.`,
    details: {operation: operation.name, level: operation.level, clearance},
  })
}

export interface Authorizable {
  name: string
  level: SecurityLevel
  /** Who may call it; absent: any caller. */
  callers?: readonly Caller['kind'][]
  /** What the validated input touches; absent: closed to callers limited to some sessions. */
  scope?(input: unknown): Scope
  /** The level the validated input needs when more than `level`. */
  raisedLevel?(input: unknown): RaisedLevel | null
}

const AS_OPERATOR = "Run it as the operator: the ccmcp CLI in your own terminal, outside any agent's environment."

const forbidden = (message: string, hint: string, reason: string, details: Record<string, unknown> = {}) => new CcmcpError('FORBIDDEN', message, {hint, reason, details})

/** Throws FORBIDDEN unless this caller may run this operation. Cheap checks first; an agent's proof reads the state. */
export async function authorize(caller: Caller, operation: Authorizable, state: Pick<Store<State>, 'read'>): Promise<void> {
  if (operation.callers && !operation.callers.includes(caller.kind)) {
    if (!operation.callers.includes('operator') && !operation.callers.includes('mcp')) {
      throw forbidden(`${operation.name} is internal to ccmcp, and ${describeCaller(caller)} may not call it; nothing was done.`, 'Nothing outside ccmcp runs it.', 'internal-operation', {operation: operation.name})
    }
    const who = operation.callers.includes('mcp') ? "the operator's or an MCP client's" : "the operator's"
    throw forbidden(`${operation.name} is ${who} business, and ${describeCaller(caller)} may not run it; nothing was done.`, AS_OPERATOR, 'role', {operation: operation.name, caller: caller.kind})
  }
  const clearance = clearanceOf(caller)
  if (clearance) assertCleared(operation, clearance)
  if (caller.kind === 'agent') await verifyAgent(state, caller)
}

/**
 * The authorize step after validation: what this input makes of the operation. An input that
 * runs an arbitrary program needs that level (and no agent starts one: it would run outside the
 * agent's confinement); a caller limited to some sessions reaches only those.
 */
export async function authorizeInput(caller: Caller, operation: Authorizable, input: unknown, state: Pick<Store<State>, 'read'>): Promise<void> {
  const raised = operation.raisedLevel?.(input)
  if (raised) {
    if (caller.kind === 'agent') {
      throw forbidden(`${operation.name} here ${raised.because}, and ${describeCaller(caller)} may not start programs; nothing was done.`, `Leave that out (a Claude Code agent with its defaults), or ${AS_OPERATOR.charAt(0).toLowerCase()}${AS_OPERATOR.slice(1)}`, 'runs-program', {operation: operation.name, level: raised.level})
    }
    const clearance = clearanceOf(caller)
    if (clearance && levelRank(raised.level) > levelRank(clearance)) {
      throw forbidden(`${operation.name} here ${raised.because}, a ${raised.level}-level action, and ${describeCaller(caller)} is cleared for ${clearance}; nothing was done.`, `Leave that out, or use a server started with --security-level ${raised.level} (or a token created with --level ${raised.level}).`, 'clearance', {operation: operation.name, level: raised.level, clearance})
    }
  }
  const allowed = sessionScopeOf(caller)
  if (!allowed) return
  const who = describeCaller(caller)
  const limited = `limited to session${allowed.length === 1 ? '' : 's'} ${allowed.join(', ') || '(none)'}`
  if (!operation.scope) {
    throw forbidden(`${operation.name} is not scoped to a session, and ${who} is ${limited}; nothing was done.`, AS_OPERATOR, 'scope', {operation: operation.name})
  }
  const scope = operation.scope(input)
  if (scope === 'every-session') {
    const mine = allowed[0] ?? 'S'
    throw new CcmcpError('FORBIDDEN', `${operation.name} without a session covers every session, and ${who} is ${limited}; nothing was done.`, {
      reason: 'scope',
      hint: {cli: `Name the session: \`ccmcp session status ${mine}\`, \`ccmcp agent list --session ${mine}\`.`, mcp: `Name the session: get_session_status (name "${mine}") or list_agents (session "${mine}").`},
      details: {operation: operation.name},
    })
  }
  const current = scope.agents?.some((ref) => ref !== undefined) || scope.startsAgent ? await state.read() : null
  // A bare name that means no agent yet could mean one of another session by the time the handler looks.
  const unknown = (scope.agents ?? []).find((ref) => ref !== undefined && !ref.includes('/') && sessionsOfAgent(current as State, ref).length === 0)
  if (unknown !== undefined) {
    throw forbidden(`${who} is ${limited}, and no agent there is named "${unknown}"; nothing was done.`, `Name the agent with its session, e.g. ${allowed[0] ?? 'S'}/${unknown}.`, 'scope', {operation: operation.name})
  }
  const touched = [...(scope.sessions ?? []), ...(scope.agents ?? []).flatMap((ref) => sessionsOfAgent(current as State, ref))].filter((name): name is string => name !== undefined)
  const outside = [...new Set(touched.filter((name) => !allowed.includes(name)))]
  if (outside.length > 0) {
    throw forbidden(`${who} is ${limited}, and this ${operation.name} reaches session ${outside.join(', ')}; nothing was done.`, `Name only ${allowed.length === 1 ? 'its own session' : 'those sessions'} (${allowed.join(', ')}), as session/agent for agents; other sessions are the operator's.`, 'scope', {operation: operation.name, sessions: outside})
  }
  if (scope.startsAgent && caller.kind === 'agent') {
    const session = current?.sessions.find((candidate) => candidate.name === caller.session)
    if (!session?.agentsMayCreateAgents) {
      throw forbidden(`Session ${caller.session} does not let its agents start agents, and ${who} asked to; nothing was done.`, `The operator decides it when creating a session (ccmcp session create <name> --agents-may-create-agents; for an existing one, create it again).`, 'agents-may-not-create-agents', {session: caller.session})
    }
  }
}

/** The sessions an agent reference can mean: its own for session/name, every session with that name for a bare one. */
function sessionsOfAgent(state: State, ref: string | undefined): string[] {
  if (ref === undefined) return []
  const slash = ref.indexOf('/')
  if (slash >= 0) return [ref.slice(0, slash)]
  return state.agents.filter((agent) => agent.name === ref).map((agent) => agent.session)
}
