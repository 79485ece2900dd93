/**
 * Delivering messages and knowing they were accepted. An agent that reports hooks (every claude
 * agent) confirms a message by its UserPromptSubmit event carrying the text; if it does not come,
 * Enter is pressed once more, then the message is `failed`. A message for an agent that is not
 * ready (starting, mid-turn, already being written to) is `queued` in the state and delivered,
 * one per turn, by a short-lived process the agent's own SessionStart/Stop hook starts.
 */
import {randomUUID} from 'node:crypto'

import {updateAgent, waitForAgent} from './agent-tabs.js'
import type {Caller} from './caller.js'
import {promptBoxHolds} from './claude-screen.js'
import {type Agent, type QueuedMessage, agentKey} from './domain.js'
import {CcmcpError} from './errors.js'
import {awaitPromptReady} from './launching.js'
import type {CoreDeps} from './registry.js'

export type Delivery = 'sent' | 'delivered' | 'queued' | 'failed'

const NOT_RUNNING = new Set(['closed', 'lost', 'exited'])
const READY = new Set(['idle', 'error'])
const CLAIM_MS = 30_000

export const reportsHooks = (agent: Agent): boolean => agent.kind === 'claude' || agent.lastEventAt !== null

/** `[from operator] ` or `[from Agent_2] ` for claude agents; other programs get the text alone. */
export function senderHeader(agent: Agent, caller: Caller, raw: boolean): string {
  if (raw || agent.kind !== 'claude') return ''
  if (caller.kind !== 'agent') return '[from operator] '
  return caller.session !== agent.session ? `[from ${caller.session}/${caller.agent}] ` : `[from ${caller.agent}] `
}

export function assertRunning(agent: Agent): void {
  if (!agent.tab || NOT_RUNNING.has(agent.status)) {
    throw new CcmcpError('AGENT_NOT_RUNNING', `${agentKey(agent)} is ${agent.status}; nothing was sent.`, {
      hint: agent.status === 'closed' ? `Start it again with \`ccmcp agent new-conversation ${agentKey(agent)}\`.` : `Bring it back with \`ccmcp agent restart ${agentKey(agent)}\`.`,
    })
  }
}

/** The hook's prompt is the submitted text; compare ignoring trailing whitespace and CRLF. */
export function promptMatches(received: string | null, sent: string): boolean {
  if (received === null) return false
  const normal = (text: string) => text.replaceAll('\r\n', '\n').replaceAll('\r', '\n').trimEnd()
  return normal(received) === normal(sent)
}

const claimActive = (agent: Agent, now: Date) => agent.deliveringUntil !== null && agent.deliveringUntil > now.toISOString()

export interface SendOutcome {
  agent: Agent
  delivery: Delivery
  messageId: string
}

/** Delivers now if the agent is ready and nobody else is writing to it, else queues. */
export async function sendOrQueue(deps: CoreDeps, agent: Agent, text: string): Promise<SendOutcome> {
  assertRunning(agent)
  const messageId = randomUUID()
  if (!reportsHooks(agent)) {
    await deps.backend(agent.tab!.backend).sendText(agent.tab!, text, {submit: true})
    return {agent, delivery: 'sent', messageId}
  }
  const now = deps.clock.now()
  const claimed = await deps.state.update((state) => {
    const index = state.agents.findIndex((candidate) => agentKey(candidate) === agentKey(agent))
    const current = state.agents[index]
    if (!current) throw new CcmcpError('NOT_FOUND', `Agent ${agentKey(agent)} was deleted meanwhile.`)
    if (current.queue.length === 0 && READY.has(current.status) && !claimActive(current, now)) {
      const updated = {...current, deliveringUntil: new Date(now.getTime() + CLAIM_MS).toISOString()}
      return {value: {...state, agents: state.agents.with(index, updated)}, result: true}
    }
    const message: QueuedMessage = {id: messageId, text, queuedAt: now.toISOString()}
    const updated = {...current, queue: [...current.queue, message]}
    return {value: {...state, agents: state.agents.with(index, updated)}, result: false}
  })
  if (!claimed) {
    // The agent may have become ready with nobody left to flush (e.g. a flusher that died).
    await flushQueue(deps, agentKey(agent), {settleMs: 0})
    const latest = await currentAgent(deps, agentKey(agent))
    return {agent: latest, delivery: latest.queue.some((queued) => queued.id === messageId) ? 'queued' : 'delivered', messageId}
  }
  try {
    const delivery = await deliverNow(deps, agent, text)
    return {agent: await currentAgent(deps, agentKey(agent)), delivery, messageId}
  } finally {
    await releaseClaim(deps, agentKey(agent))
  }
}

/**
 * Delivers the first queued message if the agent is ready and unclaimed. One message per call:
 * the agent is busy afterwards, and its next Stop hook starts the next flush.
 */
export async function flushQueue(deps: CoreDeps, key: string, options: {settleMs?: number} = {}): Promise<Delivery | null> {
  const now = deps.clock.now()
  const claim = await deps.state.update((state) => {
    const index = state.agents.findIndex((candidate) => agentKey(candidate) === key)
    const current = state.agents[index]
    const head = current?.queue[0]
    if (!current || !head || !READY.has(current.status) || !current.tab || claimActive(current, now)) return {value: state, result: null}
    const updated = {...current, queue: current.queue.slice(1), deliveringUntil: new Date(now.getTime() + CLAIM_MS).toISOString()}
    return {value: {...state, agents: state.agents.with(index, updated)}, result: {agent: updated, message: head}}
  })
  if (!claim) return null
  try {
    if (options.settleMs === undefined) await awaitPromptReady(deps, claim.agent)
    else await deps.clock.sleep(options.settleMs)
    const delivery = await deliverNow(deps, claim.agent, claim.message.text)
    if (delivery === 'failed') {
      await updateAgent(deps, key, (current) => ({...current, lastError: `queued message ${claim.message.id} was not accepted`}))
    }
    return delivery
  } catch (error) {
    await updateAgent(deps, key, (current) => ({...current, lastError: `queued message ${claim.message.id}: ${(error as Error).message}`}))
    return 'failed'
  } finally {
    await releaseClaim(deps, key)
  }
}

/** Types and submits, then waits for the agent's UserPromptSubmit with this text; one retry of Enter. */
async function deliverNow(deps: CoreDeps, agent: Agent, text: string): Promise<Delivery> {
  const tab = agent.tab!
  const backend = deps.backend(tab.backend)
  const since = deps.clock.now().toISOString()
  const config = await deps.config.read()
  const accepted = (current: Agent) => current.lastPromptAt !== null && current.lastPromptAt >= since && promptMatches(current.lastPrompt, text)
  const gone = (current: Agent) => NOT_RUNNING.has(current.status)
  await backend.sendText(tab, text, {submit: true})
  let seen = await waitForAgent(deps, agentKey(agent), (current) => accepted(current) || gone(current), config.deliveryTimeoutMs)
  if (seen && accepted(seen)) return 'delivered'
  if (seen && gone(seen)) return 'failed'
  // Claude Code sometimes drops an Enter that follows the text closely. Press it again only when
  // the text visibly waits in the prompt box: on a dialog, Enter would choose for the user.
  if (agent.kind === 'claude' && !promptBoxHolds(await backend.readScreen(tab, 40).catch(() => ''), text)) return 'failed'
  deps.logger.debug('no UserPromptSubmit yet; pressing Enter once more', {agent: agentKey(agent)})
  await backend.pressEnter(tab)
  seen = await waitForAgent(deps, agentKey(agent), (current) => accepted(current) || gone(current), config.deliveryTimeoutMs)
  return seen && accepted(seen) ? 'delivered' : 'failed'
}

/**
 * Ends a delivery claim. The agent's Stop hook may have come while the claim was held (it then
 * starts no flusher): if the agent is ready with messages queued, start one now.
 */
async function releaseClaim(deps: CoreDeps, key: string): Promise<void> {
  const released = await updateAgent(deps, key, (current) => ({...current, deliveringUntil: null})).catch(() => null)
  if (released && released.queue.length > 0 && READY.has(released.status) && released.tab) deps.startFlusher(key)
}

export async function currentAgent(deps: CoreDeps, key: string): Promise<Agent> {
  const agent = (await deps.state.read()).agents.find((candidate) => agentKey(candidate) === key)
  if (!agent) throw new CcmcpError('NOT_FOUND', `Agent ${key} was deleted meanwhile.`)
  return agent
}
