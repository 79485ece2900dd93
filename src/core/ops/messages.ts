/** Messages between the agents of a session: broadcast to all of them, and each agent's inbox and outbox. */
import {randomUUID} from 'node:crypto'
import * as z from 'zod'

import {reconciledState} from '../agents/live-state.js'
import {findAgent, findSession} from '../agents/resolve.js'
import {isClaudeCommand} from '../delivery/delivery.js'
import {CcmcpError, toCcmcpError} from '../domain/errors.js'
import {MAX_MESSAGE_BYTES, validateMessage} from '../domain/message-text.js'
import {Name, agentKey} from '../domain/state.js'
import {MessageRecord} from '../messages/message-log.js'
import {assertMayMessage, findRecipient, scopedSession, sendRecorded} from '../messages/messaging.js'
import type {Caller} from '../pipeline/caller.js'
import {defineOperation} from '../pipeline/operation.js'
import {DeliverySchema} from './conversations.js'

/** The operator must name the session; an agent's defaults to its own (and may be no other). */
function sessionFor(caller: Caller, asked: string | undefined, what: string): string {
  const session = scopedSession(caller, asked, what)
  if (session === undefined) throw new CcmcpError('INVALID_INPUT', `Name the session to ${what} in.`, {hint: {cli: 'Give the session name.', mcp: 'Pass session.'}})
  return session
}

export const broadcastMessage = defineOperation({
  name: 'broadcast_message',
  title: 'Broadcast message',
  scope: (input) => ({sessions: [input.session]}),
  description: `Send one message to every agent of a session (an agent: every OTHER agent of its own session), each as its own message with its own id and delivery state: delivered now, or queued until that agent is ready. Claude agents see a "[from Agent_N]" or "[from operator]" header. At most ${MAX_MESSAGE_BYTES} bytes.`,
  level: 'MEDIUM',
  annotations: {readOnly: false, destructive: false, idempotent: false},
  mcp: true,
  input: z.object({
    session: Name.optional().describe('Session whose agents get it (an agent: its own, the default)'),
    message: z.string().describe('The text to send'),
  }),
  output: z.object({
    broadcastId: z.string(),
    messages: z.array(z.object({
      to: z.string().describe('session/Agent_N'),
      messageId: z.string().nullable(),
      delivery: DeliverySchema,
      error: z.string().nullable().describe('Why it was not delivered or queued'),
    })),
  }),
  async handler(input, {deps, caller}) {
    const message = validateMessage(input.message)
    const session = sessionFor(caller, input.session, 'broadcast')
    const state = await reconciledState(deps)
    findSession(state, session)
    const recipients = state.agents.filter((agent) => agent.session === session && !(caller.kind === 'agent' && agent.name === caller.agent))
    if (recipients.length === 0) {
      throw new CcmcpError('INVALID_INPUT', `Session "${session}" has no ${caller.kind === 'agent' ? 'other ' : ''}agents to send to; nothing was sent.`, {
        hint: {cli: `Add one with \`ccmcp agent create ${session}\`.`, mcp: `Add one with create_agent (session "${session}").`},
      })
    }
    const broadcastId = randomUUID()
    const messages = await Promise.all(recipients.map(async (agent) => {
      const to = agentKey(agent)
      try {
        await assertMayMessage(deps, caller, agent, message)
        const sent = await sendRecorded(deps, caller, agent, message, {raw: false, command: isClaudeCommand(agent, message), broadcastId})
        return {to, messageId: sent.messageId, delivery: sent.delivery, error: sent.delivery === 'failed' ? 'not accepted' : null}
      } catch (error) {
        return {to, messageId: null, delivery: 'failed' as const, error: toCcmcpError(error).message}
      }
    }))
    return {broadcastId, messages}
  },
})

export const listMessages = defineOperation({
  name: 'list_messages',
  title: 'List messages',
  scope: (input) => ({agents: [input.agent]}),
  description: "An agent's inbox (messages to it, from the operator or its peers) and outbox (messages it sent), newest last, each with its delivery state: sending, queued (waits for the agent to be ready), delivered, sent (typed into a program that reports nothing), failed or refused (another session's agent; never sent). An agent sees its own by default, and only agents of its own session.",
  level: 'LOW',
  annotations: {readOnly: true, destructive: false, idempotent: true},
  mcp: true,
  input: z.object({
    agent: z.string().min(1).optional().describe('Agent as session/Agent_N (an agent: itself by default, or Agent_N of its session)'),
    limit: z.number().int().min(1).max(500).default(50).describe('At most this many of each, the newest'),
  }),
  output: z.object({
    agent: z.string().describe('session/Agent_N'),
    inbox: z.array(MessageRecord),
    outbox: z.array(MessageRecord),
  }),
  async handler(input, {deps, caller}) {
    const state = await deps.ports.state.read()
    if (input.agent === undefined && caller.kind !== 'agent') {
      throw new CcmcpError('INVALID_INPUT', 'Name the agent whose messages to list.', {hint: {cli: 'Give it as session/Agent_N.', mcp: 'Pass agent as session/Agent_N.'}})
    }
    const agent = input.agent === undefined && caller.kind === 'agent' ? findAgent(state, `${caller.session}/${caller.agent}`) : findRecipient(state, caller, input.agent ?? '')
    sessionFor(caller, agent.session, 'list messages')
    const log = await deps.ports.messages(agent.session).read()
    const newest = <T>(items: T[]) => items.slice(-input.limit)
    return {
      agent: agentKey(agent),
      inbox: newest(log.messages.filter((message) => message.to === agent.name && message.state !== 'refused')),
      outbox: newest(log.messages.filter((message) => message.from === agent.name)),
    }
  },
})
