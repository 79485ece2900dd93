/**
 * Who is acting: every operation runs for one caller, built once at the surface and checked by
 * core (authorize) before anything else happens. An agent proves who it is with its per-launch
 * secret (CCMCP_AGENT_SECRET, only in its environment; state keeps its SHA-256); its launch id
 * only names the launch (any same-user process can read it off the tab). Kept free of heavy
 * imports: the hook path loads it.
 */
import {createHash} from 'node:crypto'

import type {State} from '../domain/state.js'
import {CcmcpError} from '../domain/errors.js'
import type {Store} from '../ports.js'
import type {SecurityLevel} from './operation.js'

/** The local user at the CLI or TUI. */
export interface OperatorCaller {
  kind: 'operator'
}

/** A client of `ccmcp serve`, limited to the server's security level. */
export interface McpCaller {
  kind: 'mcp'
  clearance: SecurityLevel
  /** Over HTTP: who holds the token (its name, or a digest of the server's token, never the token); null on stdio. */
  client: string | null
  /** Sessions a session-scoped token may touch (the agents' scope rule); absent or null: every session. */
  sessions?: readonly string[] | null
}

/** An agent ccmcp started, acting through the CLI, an MCP server in its environment, or its hooks. */
export interface AgentCaller {
  kind: 'agent'
  session: string
  agent: string
  /** The launch the agent says it is from (names it; proves nothing). */
  launchId: string
  /** SHA-256 (hex) of the per-launch secret it presents; absent or '': no proof. Core compares it with the stored digest. Never recorded. */
  secretDigest?: string
  /** Set when the agent acts through an MCP server: that server's security level. */
  clearance?: SecurityLevel
}

/** ccmcp itself: the detached flusher, reconciliation. */
export interface CcmcpCaller {
  kind: 'ccmcp'
  task: string
}

export type Caller = OperatorCaller | McpCaller | AgentCaller | CcmcpCaller

export const OPERATOR: OperatorCaller = {kind: 'operator'}

/** The variable that carries an agent's per-launch secret: set by ccmcp in the agent's environment only. */
export const AGENT_SECRET_ENV = 'CCMCP_AGENT_SECRET'

/** How state keeps an agent's secret: its SHA-256 (the secret is 32 random bytes, so no salt or stretching). */
export const secretDigest = (secret: string): string => createHash('sha256').update(secret).digest('hex')

/**
 * The agent whose environment this is (CCMCP_SESSION/CCMCP_AGENT/CCMCP_LAUNCH_ID, proven by
 * CCMCP_AGENT_SECRET), or null. The ONE place that reads the secret: every surface acting as an
 * agent (CLI, TUI, MCP server, hooks) builds its caller here.
 */
export function agentFromEnv(env: Record<string, string | undefined>, clearance?: SecurityLevel): AgentCaller | null {
  if (!env.CCMCP_AGENT) return null
  const secret = env[AGENT_SECRET_ENV]
  const caller: AgentCaller = {kind: 'agent', session: env.CCMCP_SESSION ?? '', agent: env.CCMCP_AGENT, launchId: env.CCMCP_LAUNCH_ID ?? '', secretDigest: secret ? secretDigest(secret) : ''}
  return clearance ? {...caller, clearance} : caller
}

/** What the CLI and TUI act as: the agent when run inside one's environment, else the operator. */
export function surfaceCaller(env: Record<string, string | undefined>): OperatorCaller | AgentCaller {
  return agentFromEnv(env) ?? OPERATOR
}

/** For messages and logs: `operator`, `mcp (LOW)`, `agent s/Agent_1`, `ccmcp (flusher)`. */
export function describeCaller(caller: Caller): string {
  switch (caller.kind) {
    case 'operator':
      return 'operator'
    case 'mcp':
      return `mcp client${caller.client ? ` ${caller.client}` : ''} (${caller.clearance}${caller.sessions ? `, sessions ${caller.sessions.join(', ') || '(none)'}` : ''})`
    case 'agent':
      return `agent ${caller.session}/${caller.agent}`
    case 'ccmcp':
      return `ccmcp (${caller.task})`
  }
}

/** The security level a caller is limited to, if any. */
export const clearanceOf = (caller: Caller): SecurityLevel | undefined => (caller.kind === 'mcp' || caller.kind === 'agent' ? caller.clearance : undefined)

/** The sessions a caller is limited to, or null for every session: an agent's own, a scoped token's. */
export function sessionScopeOf(caller: Caller): readonly string[] | null {
  if (caller.kind === 'agent') return [caller.session]
  if (caller.kind === 'mcp') return caller.sessions ?? null
  return null
}

/**
 * An agent caller is who it says only if that agent exists and the secret it presents is the one
 * of that agent's running launch: a tab from an earlier launch, a deleted agent, a launch id read
 * off a tab or a copied name proves nothing. Digests of 32 random bytes are compared, so plain
 * equality leaks nothing usable.
 */
export async function verifyAgent(state: Pick<Store<State>, 'read'>, caller: AgentCaller): Promise<void> {
  const key = `${caller.session}/${caller.agent}`
  const stored = (await state.read()).agents.find((agent) => agent.session === caller.session && agent.name === caller.agent)
  const refuse = (why: string, reason: string) =>
    new CcmcpError('FORBIDDEN', `Acting as agent ${key} was refused: ${why}; nothing was done.`, {
      reason,
      hint: "Act from the agent's current launch (its tab may be from an earlier one; restart_agent gives it a new secret), or as the operator outside any agent's environment.",
      details: {agent: key},
    })
  if (!stored) throw refuse('no such agent', 'unknown-agent')
  if (!caller.secretDigest) throw refuse(`no agent secret (${AGENT_SECRET_ENV}) was presented`, 'no-proof')
  if (caller.launchId && stored.launchId !== caller.launchId) throw refuse('it names a launch that is not the running launch of that agent', 'stale-launch')
  if (!stored.secretDigest || stored.secretDigest !== caller.secretDigest) throw refuse("its secret is not the one of that agent's running launch", 'wrong-secret')
}
