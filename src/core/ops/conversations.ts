/** Talking to agents: send a message, clear the conversation, start a new one. */
import {randomUUID} from 'node:crypto'
import * as z from 'zod'

import {closeAgentTab, openAgentTab, reconciledState, updateAgent} from '../agent-tabs.js'
import {Agent, agentKey} from '../domain.js'
import {defineOperation} from '../registry.js'
import {findAgent, findSession} from '../resolve.js'
import {MAX_MESSAGE_BYTES, validateMessage} from '../text.js'
import {AgentRef} from './agents.js'
import {Delivery, deliverMessage} from './delivery.js'

export const sendMessageToAgent = defineOperation({
  name: 'send_message_to_agent',
  title: 'Send message to agent',
  description: `Type a message into an agent's prompt and submit it. Text arrives verbatim (newlines and tabs allowed, other control characters refused; at most ${MAX_MESSAGE_BYTES} bytes).`,
  level: 'MEDIUM',
  annotations: {readOnly: false, destructive: false, idempotent: false},
  mcp: true,
  input: z.object({
    agent: AgentRef,
    message: z.string().describe('The text to send'),
  }),
  output: z.object({agent: Agent, delivery: Delivery.describe('sent: typed and submitted')}),
  async handler(input, {deps}) {
    const text = validateMessage(input.message)
    const agent = findAgent(await reconciledState(deps), input.agent)
    return deliverMessage(deps, agent, text)
  },
})

export const clearAgentConversation = defineOperation({
  name: 'clear_agent_conversation',
  title: "Clear agent's conversation",
  description: "Close the agent's tab, ending its conversation; the agent is kept with status closed and can be started again with start_new_agent_conversation.",
  level: 'HIGH',
  annotations: {readOnly: false, destructive: true, idempotent: true},
  mcp: true,
  input: z.object({agent: AgentRef}),
  output: z.object({agent: Agent}),
  async handler(input, {deps}) {
    const agent = findAgent(await deps.state.read(), input.agent)
    await closeAgentTab(deps, agent)
    const closed = await updateAgent(deps, agentKey(agent), (current) => ({...current, status: 'closed', tab: null, waitingFor: null, launchId: null}))
    return {agent: closed}
  },
})

export const startNewAgentConversation = defineOperation({
  name: 'start_new_agent_conversation',
  title: 'Start new agent conversation',
  description: "Open a fresh tab for the agent with a new conversation (the old tab, if any, is closed). The agent keeps its name.",
  level: 'MEDIUM',
  annotations: {readOnly: false, destructive: true, idempotent: false},
  mcp: true,
  input: z.object({agent: AgentRef}),
  output: z.object({agent: Agent}),
  async handler(input, {deps}) {
    const state = await deps.state.read()
    const agent = findAgent(state, input.agent)
    const session = findSession(state, agent.session)
    await closeAgentTab(deps, agent)
    const fresh = await updateAgent(deps, agentKey(agent), (current) => ({
      ...current,
      status: 'starting',
      tab: null,
      conversationId: current.kind === 'claude' ? randomUUID() : null,
      launchId: randomUUID(),
      lastError: null,
      waitingFor: null,
      lastReply: null,
    }))
    const tab = await openAgentTab(deps, fresh, session)
    const started = await updateAgent(deps, agentKey(agent), (current) => ({
      ...current,
      tab,
      status: current.status === 'starting' && current.kind === 'command' ? 'unknown' : current.status,
    }))
    return {agent: started}
  },
})
