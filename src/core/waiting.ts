/**
 * Waiting for an agent: its status comes from hooks written to the state file, so waiting is a
 * cheap poll of that file, with a reconciliation against the terminal once a second so that a
 * vanished tab (lost) or a trust dialog ends the wait too.
 */
import {reconciledState} from './agent-tabs.js'
import {type Agent, agentKey} from './domain.js'
import {CcmcpError} from './errors.js'
import type {CoreDeps} from './registry.js'

export interface WaitOptions {
  timeoutMs: number
  /** What the wait is for, for the timeout message. */
  what: string
  /** Ends the wait with an error when the agent can no longer get there. */
  stopWhen?: (agent: Agent) => CcmcpError | null
}

export async function waitForAgentState(deps: CoreDeps, key: string, done: (agent: Agent) => boolean, options: WaitOptions): Promise<Agent> {
  const deadline = deps.clock.now().getTime() + options.timeoutMs
  let nextReconcile = 0
  for (;;) {
    const now = deps.clock.now().getTime()
    const state = now >= nextReconcile ? await reconciledState(deps) : await deps.state.read()
    if (now >= nextReconcile) nextReconcile = now + 1000
    const agent = state.agents.find((candidate) => agentKey(candidate) === key)
    if (!agent) throw new CcmcpError('NOT_FOUND', `Agent ${key} was deleted while waiting.`)
    if (done(agent)) return agent
    const stop = options.stopWhen?.(agent)
    if (stop) throw stop
    if (now >= deadline) {
      throw new CcmcpError('TIMEOUT', `${key} did not ${options.what} within ${Math.round(options.timeoutMs / 1000)} s (status: ${agent.status}).`, {
        hint: {cli: `Look at its screen with \`ccmcp agent read ${key}\`, or wait longer with --timeout.`, mcp: `Look at its screen with read_agent_screen (agent "${key}"), or call again with a larger timeoutSeconds.`},
        details: {agent: agentDetails(agent)},
      })
    }
    await deps.clock.sleep(100)
  }
}

/** An agent as error details carry it: queued messages by id only, never their text. */
export function agentDetails(agent: Agent): Agent {
  return {...agent, queue: agent.queue.map((queued) => ({id: queued.id, text: '', queuedAt: queued.queuedAt}))}
}

const ENDED = new Set(['exited', 'lost', 'closed'])

export function notRunningError(agent: Agent): CcmcpError | null {
  if (!ENDED.has(agent.status)) return null
  return new CcmcpError('AGENT_NOT_RUNNING', `${agentKey(agent)} is ${agent.status}${agent.lastError ? ` (${agent.lastError})` : ''}.`, {
    hint: {cli: `Bring it back with \`ccmcp agent restart ${agentKey(agent)}\`.`, mcp: `Bring it back with restart_agent (agent "${agentKey(agent)}").`},
  })
}

export function turnFailedError(agent: Agent): CcmcpError | null {
  if (agent.status !== 'error') return null
  return new CcmcpError('AGENT_ERROR', `${agentKey(agent)}'s turn failed: ${agent.lastError ?? 'unknown error'}.`, {
    hint: {cli: `See \`ccmcp agent read ${agentKey(agent)}\`; send another message to try again.`, mcp: `See read_agent_screen (agent "${agentKey(agent)}"); send another message to try again.`},
    details: {agent: agentDetails(agent)},
  })
}

/** After a prompt was accepted: until the turn ends (Stop → idle, StopFailure → error) or it needs input. */
export async function waitForTurnEnd(deps: CoreDeps, agent: Agent, timeoutMs: number): Promise<Agent> {
  return waitForAgentState(deps, agentKey(agent), (current) => current.status === 'idle' || current.status === 'waiting', {
    timeoutMs,
    what: 'finish its turn',
    stopWhen: (current) => turnFailedError(current) ?? notRunningError(current),
  })
}
