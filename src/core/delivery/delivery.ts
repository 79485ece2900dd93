/**
 * Delivering messages and knowing they were accepted. An agent that reports hooks (every claude
 * agent) confirms a message by its UserPromptSubmit event carrying the text; if none comes, Enter
 * is pressed once more (only if the text still sits in the prompt box), then it is `failed`. A
 * message for an agent that is not ready (starting, mid-turn, already being written to) is
 * `queued` in the state and delivered, one per turn, by a short-lived process the agent's own
 * SessionStart/Stop hook starts. Whoever types holds the agent's delivery claim (delivery-claim.ts),
 * for every kind of agent, so two senders never interleave.
 */
import {randomUUID} from 'node:crypto'

import {currentAgent, pollAgent, updateAgent} from '../agents/agent-store.js'
import type {Caller} from '../pipeline/caller.js'
import {promptBoxHolds} from '../agents/claude-screen.js'
import type {Config} from '../domain/config.js'
import {claimFree, claimOf, newHolder, withClaim} from './delivery-claim.js'
import {type Agent, type QueuedMessage, agentKey} from '../domain/state.js'
import {CcmcpError} from '../domain/errors.js'
import {awaitPromptReady} from '../agents/start-agent.js'
import {acquire, release} from '../domain/lease.js'
import {isSlashCommand, promptMatches} from './prompt-match.js'
import type {CoreDeps} from '../pipeline/operation.js'
import {ENDED, READY} from '../domain/status.js'
import {markMessage} from '../messages/history.js'

export {promptMatches} from './prompt-match.js'

export type Delivery = 'sent' | 'delivered' | 'queued' | 'failed'


/** Long enough for the slowest delivery: a paste, two confirmation waits and the prompt-ready wait. */
const claimTtl = (config: Pick<Config, 'deliveryTimeoutMs'>) => 2 * config.deliveryTimeoutMs + 15_000

export const reportsHooks = (agent: Agent): boolean => agent.kind === 'claude' || agent.lastEventAt !== null

/** How long a new program may take to send its first hook event before it counts as one that reports nothing. */
const FIRST_REPORT_MS = 5000

/** reportsHooks, giving a program created moments ago its first seconds to report (a wait right after create). */
export async function reportsHooksOnceStarted(deps: CoreDeps, agent: Agent): Promise<boolean> {
  if (reportsHooks(agent)) return true
  const left = FIRST_REPORT_MS - (deps.ports.clock.now().getTime() - Date.parse(agent.createdAt))
  if (!(left > 0)) return false
  return (await pollAgent(deps, agentKey(agent), reportsHooks, left))?.lastEventAt != null
}

/** A slash command for Claude Code: typed alone, and confirmed by nothing (it fires no UserPromptSubmit). */
export const isClaudeCommand = (agent: Agent, message: string): boolean => agent.kind === 'claude' && isSlashCommand(message)

/** `[from operator] ` or `[from Agent_2] ` for claude agents; other programs get the text alone. */
export function senderHeader(agent: Agent, caller: Caller, raw: boolean): string {
  if (raw || agent.kind !== 'claude') return ''
  if (caller.kind !== 'agent') return '[from operator] '
  return caller.session !== agent.session ? `[from ${caller.session}/${caller.agent}] ` : `[from ${caller.agent}] `
}

export function assertRunning(agent: Agent): void {
  if (!agent.tab || ENDED.has(agent.status)) {
    throw new CcmcpError('AGENT_NOT_RUNNING', `${agentKey(agent)} is ${agent.status}; nothing was sent.`, {
      hint: agent.status === 'closed' ? `Start it again with \`ccmcp agent new-conversation ${agentKey(agent)}\`.` : `Bring it back with \`ccmcp agent restart ${agentKey(agent)}\`.`,
    })
  }
}

export interface SendOutcome {
  agent: Agent
  delivery: Delivery
  messageId: string
}

/** Delivers now if the agent is ready and nobody else is writing to it, else queues (under `messageId`, default a new one). */
export async function sendOrQueue(deps: CoreDeps, agent: Agent, text: string, options: {messageId?: string} = {}): Promise<SendOutcome> {
  assertRunning(agent)
  const key = agentKey(agent)
  const messageId = options.messageId ?? randomUUID()
  const holder = newHolder(deps.ports.host.pid)
  const ttlMs = claimTtl(await deps.ports.config.read())
  if (!reportsHooks(agent)) {
    await holdingClaim(deps, key, holder, () => deps.ports.backend(agent.tab!.backend).sendText(agent.tab!, text, {submit: true}), () => waitForClaim(deps, key, holder, ttlMs))
    return {agent, delivery: 'sent', messageId}
  }
  const now = deps.ports.clock.now()
  const claimed = await deps.ports.state.update((state) => {
    const index = state.agents.findIndex((candidate) => agentKey(candidate) === key)
    const current = state.agents[index]
    if (!current) throw new CcmcpError('NOT_FOUND', `Agent ${key} was deleted meanwhile.`)
    const lease = current.queue.length === 0 && READY.has(current.status) ? acquire(claimFree(claimOf(current), now, deps.ports.host.processAlive), holder, now, ttlMs) : null
    if (lease) return {value: {...state, agents: state.agents.with(index, withClaim(current, lease))}, result: true}
    const message: QueuedMessage = {id: messageId, text, queuedAt: now.toISOString()}
    const updated = {...current, queue: [...current.queue, message]}
    return {value: {...state, agents: state.agents.with(index, updated)}, result: false}
  })
  if (!claimed) {
    // The agent may have become ready with nobody left to flush (a flusher or sender that died).
    await flushQueue(deps, key, {settleMs: 0})
    const latest = await currentAgent(deps, key)
    return {agent: latest, delivery: latest.queue.some((queued) => queued.id === messageId) ? 'queued' : 'delivered', messageId}
  }
  const delivery = await holdingClaim(deps, key, holder, () => deliverNow(deps, agent, text))
  return {agent: await currentAgent(deps, key), delivery, messageId}
}

/**
 * Delivers the first queued message if the agent is ready and unclaimed. One message per call:
 * the agent is busy afterwards, and its next Stop hook starts the next flush.
 */
export async function flushQueue(deps: CoreDeps, key: string, options: {settleMs?: number} = {}): Promise<Delivery | null> {
  const now = deps.ports.clock.now()
  const holder = newHolder(deps.ports.host.pid)
  const ttlMs = claimTtl(await deps.ports.config.read())
  const claim = await deps.ports.state.update((state) => {
    const index = state.agents.findIndex((candidate) => agentKey(candidate) === key)
    const current = state.agents[index]
    const head = current?.queue[0]
    const lease = current && head && READY.has(current.status) && current.tab ? acquire(claimFree(claimOf(current), now, deps.ports.host.processAlive), holder, now, ttlMs) : null
    if (!current || !head || !lease) return {value: state, result: null}
    const updated = withClaim({...current, queue: current.queue.slice(1)}, lease)
    return {value: {...state, agents: state.agents.with(index, updated)}, result: {agent: updated, message: head}}
  })
  if (!claim) return null
  // The agent may be deleted while its message is typed: the message still ends as failed, and the
  // flusher ends quietly rather than with "deleted meanwhile".
  const noteError = (lastError: string) => updateAgent(deps, key, (current) => ({...current, lastError})).catch(unlessDeleted)
  return holdingClaim(deps, key, holder, async () => {
    try {
      if (options.settleMs === undefined) await awaitPromptReady(deps, claim.agent)
      else await deps.ports.clock.sleep(options.settleMs)
      const delivery = await deliverNow(deps, claim.agent, claim.message.text)
      if (delivery === 'failed') await noteError(`queued message ${claim.message.id} was not accepted`)
      await markMessage(deps, claim.agent.session, claim.message.id, delivery, delivery === 'failed' ? 'not accepted (no UserPromptSubmit)' : null).catch(() => undefined)
      return delivery
    } catch (error) {
      await noteError(`queued message ${claim.message.id}: ${(error as Error).message}`)
      await markMessage(deps, claim.agent.session, claim.message.id, 'failed', (error as Error).message).catch(() => undefined)
      return 'failed'
    }
  })
}

function unlessDeleted(error: unknown): undefined {
  if (error instanceof CcmcpError && error.code === 'NOT_FOUND') return undefined
  throw error
}

/** Runs `work` holding the claim (after `acquire`, if given); lets go when done or interrupted. */
async function holdingClaim<T>(deps: CoreDeps, key: string, holder: string, work: () => Promise<T>, acquireFirst?: () => Promise<void>): Promise<T> {
  const letGo = () => releaseClaim(deps, key, holder)
  return deps.ports.host.releasedOnSignal(letGo, async () => {
    try {
      await acquireFirst?.()
      return await work()
    } finally {
      await letGo()
    }
  })
}

/** For agents that cannot queue (nothing reports when they are ready): waits its turn for the claim. */
async function waitForClaim(deps: CoreDeps, key: string, holder: string, ttlMs: number): Promise<void> {
  for (;;) {
    // Look without the lock first: the holder needs it to let go.
    const seen = (await deps.ports.state.read()).agents.find((candidate) => agentKey(candidate) === key)
    if (seen && claimFree(claimOf(seen), deps.ports.clock.now(), deps.ports.host.processAlive) !== null) {
      await deps.ports.clock.sleep(50)
      continue
    }
    const now = deps.ports.clock.now()
    const got = await deps.ports.state.update((state) => {
      const index = state.agents.findIndex((candidate) => agentKey(candidate) === key)
      const current = state.agents[index]
      if (!current) throw new CcmcpError('NOT_FOUND', `Agent ${key} was deleted meanwhile.`)
      const lease = acquire(claimFree(claimOf(current), now, deps.ports.host.processAlive), holder, now, ttlMs)
      return lease ? {value: {...state, agents: state.agents.with(index, withClaim(current, lease))}, result: true} : {value: state, result: false}
    })
    if (got) return
    await deps.ports.clock.sleep(50)
  }
}

/** Types and submits, then waits for the agent's UserPromptSubmit; one more Enter only if the text still waits in the box. */
async function deliverNow(deps: CoreDeps, agent: Agent, text: string): Promise<Delivery> {
  const tab = agent.tab!
  const backend = deps.ports.backend(tab.backend)
  const key = agentKey(agent)
  if (isClaudeCommand(agent, text)) {
    await backend.sendText(tab, text, {submit: true})
    return 'sent'
  }
  const since = deps.ports.clock.now().toISOString()
  const config = await deps.ports.config.read()
  // Any prompt accepted after we typed is ours: we hold the claim, so nobody else typed. The agent
  // was ready when we took the claim, so busy or waiting also means it took a prompt.
  const submitted = (current: Agent) => (current.lastPromptAt !== null && current.lastPromptAt >= since) || current.status === 'busy' || current.status === 'waiting'
  const settled = (current: Agent) => submitted(current) || ENDED.has(current.status)
  const confirmed = (current: Agent): Delivery => {
    if (!promptMatches(current.lastPrompt, text)) deps.ports.logger.warn(`${key} accepted a prompt that differs from the message sent; not sending it again`)
    return 'delivered'
  }
  await backend.sendText(tab, text, {submit: true})
  let seen = await pollAgent(deps, key, settled, config.deliveryTimeoutMs)
  if (seen && submitted(seen)) return confirmed(seen)
  if (seen && ENDED.has(seen.status)) return 'failed'
  // Claude Code sometimes drops an Enter that follows the text closely. Press it again only when
  // the text visibly waits in the prompt box: on a dialog, Enter would choose for the user.
  if (agent.kind === 'claude' && !promptBoxHolds(await backend.readScreen(tab, 40).catch(() => ''), text)) return 'failed'
  deps.ports.logger.debug('no UserPromptSubmit yet; pressing Enter once more', {agent: key})
  await backend.pressEnter(tab)
  seen = await pollAgent(deps, key, settled, config.deliveryTimeoutMs)
  return seen && submitted(seen) ? confirmed(seen) : 'failed'
}

/**
 * Ends this holder's delivery claim. The agent's Stop hook may have come while the claim was held
 * (it then starts no flusher): if the agent is ready with messages queued, start one now.
 */
async function releaseClaim(deps: CoreDeps, key: string, holder: string): Promise<void> {
  const released = await updateAgent(deps, key, (current) => withClaim(current, release(claimOf(current), holder))).catch(() => null)
  if (released && released.deliveringUntil === null && released.queue.length > 0 && READY.has(released.status) && released.tab) deps.ports.startFlusher(key)
}
