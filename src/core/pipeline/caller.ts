/**
 * Who is acting: every operation runs for one caller, built once at the surface and checked by
 * core (authorize) before anything else happens. An agent proves who it is with its per-launch
 * secret (today the launch id ccmcp put in its environment); the surface only passes it on.
 * Kept free of heavy imports: the hook path loads it.
 */
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
  /** Over HTTP: who holds the token (a digest, never the token); null on stdio. */
  client: string | null
}

/** An agent ccmcp started, acting through the CLI, an MCP server in its environment, or its hooks. */
export interface AgentCaller {
  kind: 'agent'
  session: string
  agent: string
  /** The per-launch secret the agent presents; core compares it with the stored one. */
  launchId: string
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

/** The agent whose environment this is (CCMCP_SESSION/CCMCP_AGENT/CCMCP_LAUNCH_ID), or null. */
export function agentFromEnv(env: Record<string, string | undefined>, clearance?: SecurityLevel): AgentCaller | null {
  if (!env.CCMCP_AGENT) return null
  const caller: AgentCaller = {kind: 'agent', session: env.CCMCP_SESSION ?? '', agent: env.CCMCP_AGENT, launchId: env.CCMCP_LAUNCH_ID ?? ''}
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
      return `mcp client${caller.client ? ` ${caller.client}` : ''} (${caller.clearance})`
    case 'agent':
      return `agent ${caller.session}/${caller.agent}`
    case 'ccmcp':
      return `ccmcp (${caller.task})`
  }
}

/** The security level a caller is limited to, if any. */
export const clearanceOf = (caller: Caller): SecurityLevel | undefined => (caller.kind === 'mcp' || caller.kind === 'agent' ? caller.clearance : undefined)

/**
 * An agent caller is who it says only if that agent exists and its current launch id is the one
 * presented: a tab from an earlier launch, a deleted agent or a copied name proves nothing.
 */
export async function verifyAgent(state: Pick<Store<State>, 'read'>, caller: AgentCaller): Promise<void> {
  const key = `${caller.session}/${caller.agent}`
  const stored = (await state.read()).agents.find((agent) => agent.session === caller.session && agent.name === caller.agent)
  const refuse = (why: string, reason: string) =>
    new CcmcpError('FORBIDDEN', `Acting as agent ${key} was refused: ${why}; nothing was done.`, {
      reason,
      hint: "Act from the agent's current launch (its tab may be from an earlier one), or as the operator outside any agent's environment.",
      details: {agent: key},
    })
  if (!stored) throw refuse('no such agent', 'unknown-agent')
  if (!caller.launchId) throw refuse('no launch id (CCMCP_LAUNCH_ID) was presented', 'no-proof')
  if (stored.launchId !== caller.launchId) throw refuse('its launch id is not the one of the running launch of that agent', 'stale-launch')
}
