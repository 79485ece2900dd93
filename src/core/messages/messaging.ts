/**
 * Messages between the agents of a session, and from the operator to any agent: who may send to
 * whom, and each message's record in the session's history (message-log.ts). Delivery itself
 * (typing, queueing, confirming, once per message) is delivery.ts; this module gives every
 * message its id first, so a queued message's later delivery by the flusher finds its record.
 */
import {randomUUID} from 'node:crypto'

import {type SendOutcome, sendOrQueue, senderHeader} from '../delivery/delivery.js'
import {CcmcpError, toCcmcpError} from '../domain/errors.js'
import {type Agent, type State, agentKey} from '../domain/state.js'
import {findAgent} from '../agents/resolve.js'
import type {Caller} from '../pipeline/caller.js'
import type {CoreDeps} from '../pipeline/operation.js'
import {markMessage, recordMessages} from './history.js'
import type {MessageRecord, MessageState} from './message-log.js'

/** The agent a reference names; an agent's bare `Agent_N` means the one of its own session. */
export function findRecipient(state: State, caller: Caller, ref: string): Agent {
  return findAgent(state, caller.kind === 'agent' && !ref.includes('/') ? `${caller.session}/${ref}` : ref)
}

/**
 * The session an operation acts in: an agent's own (the default; naming another is FORBIDDEN),
 * or whatever the operator asked for (undefined: all, where the operation allows it).
 */
export function scopedSession(caller: Caller, asked: string | undefined, what: string): string | undefined {
  if (caller.kind !== 'agent') return asked
  if (asked !== undefined && asked !== caller.session) {
    throw new CcmcpError('FORBIDDEN', `Refused: agent ${caller.session}/${caller.agent} may only ${what} in its own session "${caller.session}", not "${asked}"; nothing was done.`, {
      reason: 'other-session',
      hint: 'Leave session out (it defaults to your own), or ask the operator.',
    })
  }
  return caller.session
}

/** How a sender is named in the receiver's session history: its name there, else session/name. */
export function senderName(caller: Caller, session: string): string {
  if (caller.kind !== 'agent') return 'operator'
  return caller.session === session ? caller.agent : `${caller.session}/${caller.agent}`
}

/**
 * An agent may talk only to the other agents of its own session; the operator to anyone. A
 * refused message is kept in the sender's history (state `refused`) before the refusal is thrown.
 */
export async function assertMayMessage(deps: CoreDeps, caller: Caller, target: Agent, text: string): Promise<void> {
  if (caller.kind !== 'agent') return
  if (target.session === caller.session && target.name === caller.agent) {
    throw new CcmcpError('INVALID_INPUT', `${agentKey(target)} cannot send a message to itself; nothing was sent.`, {
      hint: {cli: 'Name another agent of your session (`ccmcp agent list`).', mcp: 'Name another agent of your session (list_agents).'},
    })
  }
  if (target.session === caller.session) return
  const why = `agent ${caller.session}/${caller.agent} may only message agents of its own session "${caller.session}", not ${agentKey(target)}`
  await recordMessages(deps, caller.session, [newRecord(deps, {from: caller.agent, to: agentKey(target), text, state: 'refused', error: why})])
  throw new CcmcpError('FORBIDDEN', `Refused: ${why}; nothing was sent.`, {
    reason: 'other-session',
    hint: {cli: 'Ask the operator to pass it on, or message an agent of your own session.', mcp: 'Message an agent of your own session (list_agents shows them), or ask the operator to pass it on.'},
    details: {from: `${caller.session}/${caller.agent}`, to: agentKey(target)},
  })
}

interface NewRecord {
  from: string
  to: string
  text: string
  state: MessageState
  error?: string | null
  broadcastId?: string | null
}

function newRecord(deps: CoreDeps, fields: NewRecord): MessageRecord {
  const at = deps.ports.clock.now().toISOString()
  return {id: randomUUID(), broadcastId: null, error: null, ...fields, createdAt: at, updatedAt: at}
}

export interface SentMessage extends SendOutcome {
  /** The text as typed (with the sender header) */
  typed: string
}

/**
 * Records the message (state `sending`), then delivers or queues it under the same id, and
 * records the outcome. A failure to deliver is recorded, then thrown.
 */
export async function sendRecorded(deps: CoreDeps, caller: Caller, target: Agent, message: string, options: {raw: boolean; command: boolean; broadcastId?: string}): Promise<SentMessage> {
  const typed = options.command ? message : senderHeader(target, caller, options.raw) + message
  const record = newRecord(deps, {from: senderName(caller, target.session), to: target.name, text: message, state: 'sending', broadcastId: options.broadcastId ?? null})
  await recordMessages(deps, target.session, [record])
  let outcome: SendOutcome
  try {
    outcome = await sendOrQueue(deps, target, typed, {messageId: record.id})
  } catch (error) {
    await markMessage(deps, target.session, record.id, 'failed', toCcmcpError(error).message).catch(() => undefined)
    throw error
  }
  await markMessage(deps, target.session, record.id, outcome.delivery, outcome.delivery === 'failed' ? 'not accepted (no UserPromptSubmit)' : null)
  return {...outcome, typed}
}
