/** Talking to agents: send a message, clear the conversation, start a new one. */
import {randomUUID} from 'node:crypto'
import * as z from 'zod'

import {updateAgent} from '../agents/agent-store.js'
import {reconciledState} from '../agents/live-state.js'
import {closeAgentTab} from '../agents/tabs.js'
import {type Delivery, isClaudeCommand, promptMatches, reportsHooksOnceStarted} from '../delivery/delivery.js'
import {assertMayMessage, findRecipient, sendRecorded} from '../messages/messaging.js'
import {CcmcpError} from '../domain/errors.js'
import {launchAgent} from '../agents/start-agent.js'
import {agentDetails, waitForAgentState, waitForTurnEnd} from '../agents/waiting.js'
import {Agent, PublicAgent, agentKey} from '../domain/state.js'
import {defineOperation} from '../pipeline/operation.js'
import {findAgent, findSession} from '../agents/resolve.js'
import {MAX_MESSAGE_BYTES, validateMessage} from '../domain/message-text.js'
import {AgentRef} from './agents.js'

export const DeliverySchema = z.enum(['sent', 'delivered', 'queued', 'failed'])

export const sendMessageToAgent = defineOperation({
  name: 'send_message_to_agent',
  scope: (input) => ({agents: [input.agent]}),
  title: 'Send message to agent',
  description: `Type a message into an agent's prompt and submit it, confirming the agent accepted it. Text arrives verbatim (newlines and tabs allowed, other control characters refused; at most ${MAX_MESSAGE_BYTES} bytes). Claude agents get a "[from operator]" (or "[from Agent_N]") header unless raw. An agent may message only the other agents of its own session (Agent_N alone names one of them) and never raw; each message is kept in the session's history (list_messages); a slash command (/clear, /compact, /cost, /exit) goes alone and is reported sent. With wait, returns the agent's reply once its turn ends, fails with AGENT_WAITING if the turn stops for a permission, and sends progress notifications meanwhile. Claude Desktop ends a tool call after about 60 s whatever the progress: there, use a timeoutSeconds of about 45 and call wait_for_agent again.`,
  level: 'MEDIUM',
  annotations: {readOnly: false, destructive: false, idempotent: false},
  mcp: true,
  input: z.object({
    agent: AgentRef,
    message: z.string().describe('The text to send'),
    raw: z.boolean().default(false).describe('Send the text alone, without the "[from …]" sender header'),
    wait: z.boolean().default(false).describe("Wait until the agent's turn ends and return its last reply"),
    timeoutSeconds: z.number().int().min(1).max(86_400).default(600).describe('With wait: how long to wait for the turn to end'),
  }),
  output: z.object({
    agent: Agent,
    delivery: DeliverySchema.describe('delivered: the agent accepted it; sent: typed and submitted, unconfirmable (a program that reports nothing); queued: the agent is not ready, it will get it when it is'),
    messageId: z.string(),
    reply: z.string().nullable().describe('With wait: the reply that ended this turn'),
  }),
  async handler(input, {deps, caller, progress}) {
    const message = validateMessage(input.message)
    const agent = findRecipient(await reconciledState(deps), caller, input.agent)
    await assertMayMessage(deps, caller, agent, message)
    if (caller.kind === 'agent' && input.raw) throw rawRefused()
    const command = isClaudeCommand(agent, message)
    if (input.wait && !command && !(await reportsHooksOnceStarted(deps, agent))) {
      throw new CcmcpError('INVALID_INPUT', `${agentKey(agent)} runs a program that reports nothing (no hooks), so there is no turn end to wait for; nothing was sent.`, {
        hint: {cli: `Send without waiting, then read its screen (\`ccmcp agent read ${agentKey(agent)}\`).`, mcp: `Send without wait, then read its screen with read_agent_screen (agent "${agentKey(agent)}").`},
      })
    }
    const {typed: text, ...outcome} = await sendRecorded(deps, caller, agent, message, {raw: input.raw, command})
    if (outcome.delivery === 'failed') throw notAccepted(outcome.agent)
    // A slash command starts no turn (no UserPromptSubmit, maybe no Stop): nothing to wait for.
    if (!input.wait || command) return {...outcome, reply: null}
    const timeoutMs = input.timeoutSeconds * 1000
    let delivered = outcome.agent
    if (outcome.delivery === 'queued') {
      // Taken from the queue, and either accepted or the delivering process has given up.
      const settled = (current: Agent) =>
        !current.queue.some((queued) => queued.id === outcome.messageId) && (promptMatches(current.lastPrompt, text) || current.deliveringUntil === null)
      delivered = await waitForAgentState(deps, agentKey(agent), settled, {timeoutMs, what: 'take the queued message', progress})
      if (!promptMatches(delivered.lastPrompt, text)) throw notAccepted(delivered)
    }
    const ended = await waitForTurnEnd(deps, delivered, timeoutMs, progress)
    const delivery: Delivery = outcome.delivery === 'sent' ? 'sent' : 'delivered'
    return {agent: ended, delivery, messageId: outcome.messageId, reply: ended.lastReply}
  },
})

/** An agent's message always says who sent it: without the header it would pass for the operator's. */
function rawRefused(): CcmcpError {
  return new CcmcpError('FORBIDDEN', 'An agent may not send a message without its "[from …]" header (raw); nothing was sent.', {reason: 'raw-from-agent', hint: 'Send it without raw.'})
}

function notAccepted(agent: Agent): CcmcpError {
  return new CcmcpError('DELIVERY_FAILED', `${agentKey(agent)} did not accept the message (no UserPromptSubmit after typing it and pressing Enter twice); status: ${agent.status}.`, {
    hint: {cli: `Look at its screen: \`ccmcp agent read ${agentKey(agent)}\`. The text may still be in its input box.`, mcp: `Look at its screen with read_agent_screen (agent "${agentKey(agent)}"). The text may still be in its input box.`},
    details: {agent: agentDetails(agent)},
  })
}

export const clearAgentConversation = defineOperation({
  name: 'clear_agent_conversation',
  scope: (input) => ({agents: [input.agent]}),
  title: "Clear agent's conversation",
  description: "Close the agent's tab, ending its conversation; the agent is kept with status closed and can be started again with start_new_agent_conversation.",
  level: 'HIGH',
  annotations: {readOnly: false, destructive: true, idempotent: true},
  mcp: true,
  input: z.object({agent: AgentRef}),
  output: z.object({agent: PublicAgent}),
  async handler(input, {deps}) {
    const agent = findAgent(await deps.ports.state.read(), input.agent)
    await closeAgentTab(deps, agent)
    const closed = await updateAgent(deps, agentKey(agent), (current) => ({...current, status: 'closed', tab: null, waitingFor: null, launchId: null, secretDigest: null}))
    return {agent: closed}
  },
})

export const startNewAgentConversation = defineOperation({
  name: 'start_new_agent_conversation',
  scope: (input) => ({agents: [input.agent]}),
  title: 'Start new agent conversation',
  description: "Open a fresh tab for the agent with a new conversation (the old tab, if any, is closed). The agent keeps its name. While it waits for the agent to be ready it sends progress notifications; Claude Desktop ends a tool call after about 60 s whatever the progress, so there pass wait: false and follow with wait_for_agent (timeoutSeconds about 45).",
  level: 'HIGH',
  annotations: {readOnly: false, destructive: true, idempotent: false},
  mcp: true,
  input: z.object({agent: AgentRef, wait: z.boolean().default(true).describe('Return only once a claude agent is ready')}),
  output: z.object({agent: PublicAgent}),
  async handler(input, {deps, progress}) {
    const state = await deps.ports.state.read()
    const agent = findAgent(state, input.agent)
    const session = findSession(state, agent.session)
    await closeAgentTab(deps, agent)
    const fresh = await updateAgent(deps, agentKey(agent), (current) => ({
      ...current,
      status: 'starting',
      tab: null,
      conversationId: current.kind === 'claude' ? randomUUID() : null,
      launchId: randomUUID(),
      launcherPid: deps.ports.host.pid,
      lastError: null,
      waitingFor: null,
      lastReply: null,
      queue: [],
    }))
    const started = await launchAgent(deps, fresh, session, {wait: input.wait, progress})
    return {agent: started}
  },
})
