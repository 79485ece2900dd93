/**
 * The message history of one session, kept in `<home>/messages/<session>.json` (its own store,
 * so the state file stays small and the store codec, e.g. encryption at rest, covers it). Each
 * message has one record with its delivery state; the newest MAX_KEPT per session are kept.
 */
import * as z from 'zod'

import {CcmcpError} from '../domain/errors.js'

/** How many messages one session's history keeps (oldest dropped first). */
export const MAX_KEPT = 500

export const MessageState = z.enum(['sending', 'queued', 'delivered', 'sent', 'failed', 'refused'])
export type MessageState = z.infer<typeof MessageState>

/** A state that never changes again (a late update from a slower process is ignored). */
export const FINAL_STATES: ReadonlySet<MessageState> = new Set(['delivered', 'sent', 'failed', 'refused'])

export const MessageRecord = z.object({
  id: z.string(),
  /** Sender: an agent name of this session, `operator`, or `session/Agent_N` from elsewhere. */
  from: z.string(),
  /** Receiver: an agent name (of this session unless `session/Agent_N`). */
  to: z.string(),
  text: z.string(),
  state: MessageState.describe('sending: being typed; queued: waits for the agent to be ready; delivered: the agent accepted it; sent: typed into a program that reports nothing; failed: not accepted; refused: not allowed, never sent'),
  /** Set on each message of one broadcast. */
  broadcastId: z.string().nullable().default(null),
  /** Why it failed or was refused. */
  error: z.string().nullable().default(null),
  createdAt: z.string(),
  updatedAt: z.string(),
})
export type MessageRecord = z.infer<typeof MessageRecord>

export const MESSAGE_LOG_VERSION = 1

export const MessageLog = z.object({
  schemaVersion: z.literal(MESSAGE_LOG_VERSION),
  messages: z.array(MessageRecord),
})
export type MessageLog = z.infer<typeof MessageLog>

export const emptyMessageLog = (): MessageLog => ({schemaVersion: MESSAGE_LOG_VERSION, messages: []})

export function migrateMessageLog(raw: Record<string, unknown>): Record<string, unknown> {
  const version = raw.schemaVersion
  if (typeof version === 'number' && version > MESSAGE_LOG_VERSION) {
    throw new CcmcpError('STATE_INVALID', `A message history file was written by a newer ccmcp (schema ${version}; this one reads ${MESSAGE_LOG_VERSION}).`, {
      hint: 'Upgrade ccmcp, or move the file aside (only the history is lost).',
    })
  }
  return raw
}

/** Adds records, keeping the newest MAX_KEPT. */
export function appended(log: MessageLog, records: MessageRecord[]): MessageLog {
  return {...log, messages: [...log.messages, ...records].slice(-MAX_KEPT)}
}

/** Moves one message to a new state, unless it is already final (or gone from the bounded history). */
export function withState(log: MessageLog, id: string, state: MessageState, at: string, error: string | null = null): MessageLog {
  const index = log.messages.findIndex((message) => message.id === id)
  const current = log.messages[index]
  if (!current || FINAL_STATES.has(current.state)) return log
  return {...log, messages: log.messages.with(index, {...current, state, error: error ?? current.error, updatedAt: at})}
}
