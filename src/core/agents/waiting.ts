/**
 * Waiting for an agent: its status comes from hooks written to the state file, so waiting is a
 * cheap poll of that file, with a reconciliation against the terminal once a second so that a
 * vanished tab (lost) or a trust dialog ends the wait too. A wait that can no longer succeed ends
 * at once (stopWhen), and a long one reports progress so an MCP client does not give up on it.
 */
import {reconciledState} from './live-state.js'
import {type Agent, agentKey} from '../domain/state.js'
import {CcmcpError} from '../domain/errors.js'
import type {CoreDeps} from '../pipeline/operation.js'
import {ENDED} from '../domain/status.js'

/** MCP clients reset their watchdog on each progress notification; stack.md §8 asks for ≤ 10 s. */
export const PROGRESS_EVERY_MS = 5000

export interface WaitOptions {
  timeoutMs: number
  /** What the wait is for, for the timeout message. */
  what: string
  /** Ends the wait with an error when the agent can no longer get there. */
  stopWhen?: (agent: Agent) => CcmcpError | null
  /** Told every PROGRESS_EVERY_MS what the agent is doing and for how long. */
  progress?: (message: string) => void
}

export async function waitForAgentState(deps: CoreDeps, key: string, done: (agent: Agent) => boolean, options: WaitOptions): Promise<Agent> {
  const started = deps.ports.clock.now().getTime()
  const deadline = started + options.timeoutMs
  let nextReconcile = 0
  let nextProgress = started + PROGRESS_EVERY_MS
  let seen = {status: '', since: started}
  for (;;) {
    const now = deps.ports.clock.now().getTime()
    const state = now >= nextReconcile ? await reconciledState(deps) : await deps.ports.state.read()
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
    // First look: the agent's last event is the best guess of when its status began.
    if (seen.status === '') seen = {status: agent.status, since: Math.min(now, Date.parse(agent.lastEventAt ?? '') || now)}
    else if (seen.status !== agent.status) seen = {status: agent.status, since: now}
    if (options.progress && now >= nextProgress) {
      nextProgress = now + PROGRESS_EVERY_MS
      options.progress(progressMessage(agent, now - seen.since, now - started, options))
    }
    await deps.ports.clock.sleep(100)
  }
}

/** An agent as error details carry it: queued messages by id only, never their text. */
export function agentDetails(agent: Agent): Agent {
  return {...agent, queue: agent.queue.map((queued) => ({id: queued.id, text: '', queuedAt: queued.queuedAt}))}
}

const seconds = (ms: number) => `${Math.round(ms / 1000)} s`

/** `s/Agent_1 busy for 35 s; waiting to finish its turn (40 s of 600 s)`: short, fits a tool row. */
export function progressMessage(agent: Agent, inStatusMs: number, waitedMs: number, options: Pick<WaitOptions, 'what' | 'timeoutMs'>): string {
  const status = agent.status === 'waiting' && agent.waitingFor ? `waiting (${agent.waitingFor})` : agent.status
  return `${agentKey(agent)} ${status} for ${seconds(inStatusMs)}; waiting to ${options.what} (${seconds(waitedMs)} of ${seconds(options.timeoutMs)})`.slice(0, 200)
}

export function notRunningError(agent: Agent): CcmcpError | null {
  if (!ENDED.has(agent.status)) return null
  return new CcmcpError('AGENT_NOT_RUNNING', `${agentKey(agent)} is ${agent.status}${agent.lastError ? ` (${agent.lastError})` : ''}.`, {
    hint: {cli: `Bring it back with \`ccmcp agent restart ${agentKey(agent)}\`.`, mcp: `Bring it back with restart_agent (agent "${agentKey(agent)}").`},
    details: {agent: agentDetails(agent)},
  })
}

export function turnFailedError(agent: Agent): CcmcpError | null {
  if (agent.status !== 'error') return null
  return new CcmcpError('AGENT_ERROR', `${agentKey(agent)}'s turn failed: ${agent.lastError ?? 'unknown error'}.`, {
    hint: {cli: `See \`ccmcp agent read ${agentKey(agent)}\`; send another message to try again.`, mcp: `See read_agent_screen (agent "${agentKey(agent)}"); send another message to try again.`},
    details: {agent: agentDetails(agent)},
  })
}

/** The agent stopped to ask for something (a permission, a question, the trust dialog): it will not go on alone. */
export function waitingError(agent: Agent): CcmcpError | null {
  if (agent.status !== 'waiting') return null
  return new CcmcpError('AGENT_WAITING', `${agentKey(agent)} is waiting for ${agent.waitingFor ?? 'input'}; its turn will not end until someone answers.`, {
    hint: {
      cli: `Answer it with \`ccmcp agent answer ${agentKey(agent)} allow\` (or deny, or trust at the trust dialog), or in its tab (\`ccmcp agent focus ${agentKey(agent)}\`), then wait again.`,
      mcp: `Answer it with answer_agent (agent "${agentKey(agent)}", answer "allow", "deny" or, at the trust dialog, "trust"), then wait again.`,
    },
    details: {agent, waitingFor: agent.waitingFor},
  })
}

/** After a prompt was accepted: until the turn ends (Stop → idle), fails (StopFailure) or stops to ask for something. */
export async function waitForTurnEnd(deps: CoreDeps, agent: Agent, timeoutMs: number, progress?: (message: string) => void): Promise<Agent> {
  return waitForAgentState(deps, agentKey(agent), (current) => current.status === 'idle', {
    timeoutMs,
    what: 'finish its turn',
    stopWhen: (current) => turnFailedError(current) ?? waitingError(current) ?? notRunningError(current),
    progress,
  })
}
