/** Waiting for an agent, and bringing agents back after the terminal died (same conversation). */
import {randomUUID} from 'node:crypto'
import * as z from 'zod'

import {updateAgent} from '../agents/agent-store.js'
import {reconciledState} from '../agents/live-state.js'
import {closeAgentTab} from '../agents/tabs.js'
import {type Agent, Name, PublicAgent, type SessionRecord, agentKey} from '../domain/state.js'
import {reportsHooksOnceStarted} from '../delivery/delivery.js'
import {CcmcpError} from '../domain/errors.js'
import {ENDED_WHILE_STARTING, launchAgent} from '../agents/start-agent.js'
import {carriesIdentity} from '../agents/reconcile.js'
import type {CoreDeps} from '../pipeline/operation.js'
import {defineOperation} from '../pipeline/operation.js'
import {findAgent, findSession} from '../agents/resolve.js'
import {notRunningError, turnFailedError, waitForAgentState, waitingError} from '../agents/waiting.js'
import {AgentRef} from './agents.js'
import {RESTARTABLE} from '../domain/status.js'

export const WAIT_TARGETS = ['idle', 'waiting', 'exited'] as const

export const waitForAgent = defineOperation({
  name: 'wait_for_agent',
  scope: (input) => ({agents: [input.agent]}),
  title: 'Wait for agent',
  description: 'Wait until an agent reaches a status: idle (its turn ended), waiting (it needs input or a permission), or exited. Returns at once with an error when the target can no longer be reached: waiting for idle ends with AGENT_WAITING (it needs a permission or an answer), AGENT_ERROR (its turn failed) or AGENT_NOT_RUNNING (exited, lost). Sends progress notifications (status and time in it) every few seconds. Claude Desktop ends a tool call after about 60 s whatever the progress: there, pass timeoutSeconds of about 45 and call again while the agent is still busy.',
  level: 'LOW',
  annotations: {readOnly: true, destructive: false, idempotent: true},
  mcp: true,
  input: z.object({
    agent: AgentRef,
    until: z.enum(WAIT_TARGETS).default('idle').describe('The status to wait for'),
    timeoutSeconds: z.number().int().min(1).max(86_400).default(600).describe('Give up after this long'),
  }),
  output: z.object({agent: PublicAgent}),
  async handler(input, {deps, progress}) {
    const agent = findAgent(await reconciledState(deps), input.agent)
    if (input.until !== 'exited' && agent.status !== input.until && !(await reportsHooksOnceStarted(deps, agent))) {
      throw new CcmcpError('INVALID_INPUT', `${agentKey(agent)} runs a program that reports nothing (no hooks), so it never becomes ${input.until}; only --until exited can be waited for.`, {
        hint: `Read its screen instead: \`ccmcp agent read ${agentKey(agent)}\`.`,
      })
    }
    const cannotReach = (current: Agent) => {
      if (input.until === 'exited') return null
      if (input.until === 'waiting') return notRunningError(current)
      return turnFailedError(current) ?? waitingError(current) ?? notRunningError(current)
    }
    const reached = await waitForAgentState(deps, agentKey(agent), (current) => current.status === input.until, {
      timeoutMs: input.timeoutSeconds * 1000,
      what: `reach ${input.until}`,
      stopWhen: cannotReach,
      progress,
    })
    return {agent: reached}
  },
})

/**
 * Relaunches an ended agent in a new tab; a claude agent resumes the same conversation. Claude
 * Code cannot resume a conversation it never wrote a transcript for ("No conversation found"):
 * then, or when a resume ends while starting, it starts again under the same conversation id.
 */
export async function relaunch(deps: CoreDeps, agent: Agent, session: SessionRecord, wait: boolean, progress?: (message: string) => void): Promise<Agent> {
  const resumable = agent.kind === 'claude' && agent.conversationId !== null && agent.transcriptPath !== null && (await deps.ports.host.stat(agent.transcriptPath).catch(() => null)) !== null
  const attempt = async (resume: boolean): Promise<Agent> => {
    const current = (await deps.ports.state.read()).agents.find((candidate) => agentKey(candidate) === agentKey(agent)) ?? agent
    if (current.tab) await closeAgentTab(deps, current)
    const fresh = await updateAgent(deps, agentKey(agent), (latest) => ({
      ...latest,
      status: 'starting',
      tab: null,
      launchId: randomUUID(),
      launcherPid: deps.ports.host.pid,
      lastError: null,
      waitingFor: null,
      deliveringUntil: null,
      deliveringBy: null,
    }))
    return launchAgent(deps, fresh, session, {resume, wait: wait || resume, progress})
  }
  if (!resumable) return attempt(false)
  try {
    return await attempt(true)
  } catch (error) {
    if (!(error instanceof CcmcpError) || error.reason !== ENDED_WHILE_STARTING) throw error
    deps.ports.logger.warn(`${agentKey(agent)}: claude --resume ended at once; starting it again under the same conversation id`)
    return attempt(false)
  }
}

export const restartAgent = defineOperation({
  name: 'restart_agent',
  scope: (input) => ({agents: [input.agent]}),
  title: 'Restart agent',
  description: 'Relaunch a lost or exited agent in a new tab. A Claude agent continues the SAME conversation (claude --resume); its queued messages are kept. While it waits for the agent to be ready it sends progress notifications; Claude Desktop ends a tool call after about 60 s whatever the progress, so there pass wait: false and follow with wait_for_agent (timeoutSeconds about 45).',
  level: 'MEDIUM',
  annotations: {readOnly: false, destructive: false, idempotent: false},
  mcp: true,
  input: z.object({agent: AgentRef, wait: z.boolean().default(true).describe('Return only once a claude agent is ready')}),
  output: z.object({agent: PublicAgent}),
  async handler(input, {deps, progress}) {
    const state = await reconciledState(deps)
    const agent = findAgent(state, input.agent)
    if (!RESTARTABLE.has(agent.status)) {
      throw new CcmcpError('CONFLICT', `${agentKey(agent)} is ${agent.status}; restart is for lost or exited agents.`, {
        hint: agent.status === 'closed' ? `A cleared agent starts over with \`ccmcp agent new-conversation ${agentKey(agent)}\`.` : 'It is still running; use `agent new-conversation` to start it over.',
      })
    }
    return {agent: await relaunch(deps, agent, findSession(state, agent.session), input.wait, progress)}
  },
})

export const recoverSession = defineOperation({
  name: 'recover_session',
  scope: (input) => ({sessions: [input.name]}),
  title: 'Recover session',
  description: "Bring back every lost agent of a session after the terminal died: a live tab that still carries the agent's identity is adopted, any other lost agent is relaunched into its same conversation. Live agents are never duplicated. While it waits for the agent to be ready it sends progress notifications; Claude Desktop ends a tool call after about 60 s whatever the progress, so there pass wait: false and follow with wait_for_agent (timeoutSeconds about 45).",
  level: 'MEDIUM',
  annotations: {readOnly: false, destructive: false, idempotent: true},
  mcp: true,
  input: z.object({name: Name.describe('Session name'), wait: z.boolean().default(true).describe('Return only once relaunched claude agents are ready')}),
  output: z.object({
    session: Name,
    restarted: z.array(Name).describe('Relaunched in a new tab'),
    adopted: z.array(Name).describe('Found alive in an existing tab'),
    agents: z.array(PublicAgent),
  }),
  async handler(input, {deps, progress}) {
    const state = await reconciledState(deps)
    const session = findSession(state, input.name)
    const lost = state.agents.filter((agent) => agent.session === session.name && agent.status === 'lost')
    const live = (await deps.ports.backend(session.backend).listTabs()).filter((info) => info.alive)
    const restarted: string[] = []
    const adopted: string[] = []
    for (const agent of lost) {
      // Only a tab carrying this very launch is the agent's (ids restart with a new tmux server).
      const found = live.find((info) => carriesIdentity(info, agent))
      if (found) {
        const tab = {...found.tab, launchId: found.launchId ?? undefined}
        await updateAgent(deps, agentKey(agent), (current) => ({...current, tab, status: 'unknown'}))
        adopted.push(agent.name)
      } else {
        await relaunch(deps, agent, session, false, progress)
        restarted.push(agent.name)
      }
    }
    if (input.wait) {
      for (const name of restarted) {
        const key = `${session.name}/${name}`
        await waitForAgentState(deps, key, (current) => current.status !== 'starting', {timeoutMs: (await deps.ports.config.read()).readyTimeoutMs, what: 'become ready', progress})
      }
    }
    const agents = (await deps.ports.state.read()).agents.filter((agent) => agent.session === session.name)
    return {session: session.name, restarted, adopted, agents}
  },
})
