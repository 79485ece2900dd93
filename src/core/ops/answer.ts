/**
 * Answering an agent that stopped to ask: a permission prompt (allow / deny, its PermissionRequest
 * hook is waiting for the answer and hands it to Claude Code) or the workspace-trust dialog
 * (trust: recorded for that root only, then the agent starts again past the dialog).
 */
import * as z from 'zod'

import {reconciledState} from '../agents/live-state.js'
import {pollAgent, updateAgent} from '../agents/agent-store.js'
import {findAgent, findSession} from '../agents/resolve.js'
import {TRUST_WAITING_FOR, claudeConfigPath, recordTrust} from '../agents/trust.js'
import {agentDetails} from '../agents/waiting.js'
import {type Agent, PublicAgent, agentKey} from '../domain/state.js'
import {Answer, PermissionDecision} from '../domain/permission.js'
import {CcmcpError} from '../domain/errors.js'
import {validateMessage} from '../domain/message-text.js'
import {type CoreDeps, defineOperation} from '../pipeline/operation.js'
import {type Caller, describeCaller} from '../pipeline/caller.js'
import {AgentRef} from './agents.js'
import {relaunch} from './lifecycle.js'

/** How long the answer waits for the agent's hook to take it. */
const HANDOVER_TIMEOUT_MS = 30_000
/** How long an answer waits for the request of an agent already shown `waiting` to be recorded. */
const REQUEST_GRACE_MS = 5000

function notWaiting(agent: Agent, why: string): CcmcpError {
  const key = agentKey(agent)
  return new CcmcpError('AGENT_NOT_WAITING', `${key} ${why}; nothing was answered.`, {
    hint: {cli: `See what it is doing with \`ccmcp agent list\` or \`ccmcp agent read ${key}\`.`, mcp: `See what it is doing with list_agents or read_agent_screen (agent "${key}").`},
    details: {agent: agentDetails(agent)},
  })
}

/**
 * `waiting` can be recorded (the dialog's Notification) a moment before the request its hook
 * holds (a loaded machine): right after `agent wait --until waiting`, the answer waits a little
 * for the request instead of saying there is none.
 */
async function withItsRequest(deps: CoreDeps, agent: Agent, answer: Answer): Promise<Agent> {
  if (answer === 'trust' || agent.status !== 'waiting' || agent.waitingFor === TRUST_WAITING_FOR || agent.permissionRequest) return agent
  const settled = await pollAgent(deps, agentKey(agent), (current) => current.status !== 'waiting' || current.permissionRequest !== null, REQUEST_GRACE_MS)
  return settled ?? (await deps.ports.state.read()).agents.find((current) => agentKey(current) === agentKey(agent)) ?? agent
}

/** Checks the answer fits the question; returns the decision to store. Pure. */
export function decide(agent: Agent, input: {answer: Answer; always: boolean; message?: string}, caller: Caller, processAlive: (pid: number) => boolean): PermissionDecision | 'trust' {
  if (agent.status !== 'waiting') throw notWaiting(agent, `is not waiting for an answer (status: ${agent.status})`)
  const trustDialog = agent.waitingFor === TRUST_WAITING_FOR
  if (input.answer === 'trust') {
    if (!trustDialog) throw new CcmcpError('INVALID_INPUT', `${agentKey(agent)} is not at the trust dialog; it waits for ${agent.waitingFor ?? 'input'}.`, {hint: 'Answer a permission prompt with allow or deny.'})
    if (input.always || input.message !== undefined) throw new CcmcpError('INVALID_INPUT', 'trust takes neither --always nor --message.')
    return 'trust'
  }
  if (trustDialog) throw new CcmcpError('INVALID_INPUT', `${agentKey(agent)} is at the workspace-trust dialog, not a permission prompt.`, {hint: {cli: `Answer it with \`ccmcp agent answer ${agentKey(agent)} trust\`.`, mcp: 'Answer it with answer "trust".'}})
  if (input.answer === 'allow' && input.message !== undefined) throw new CcmcpError('INVALID_INPUT', 'A message goes with deny (the model is told why); allow takes none.')
  if (input.answer === 'deny' && input.always) throw new CcmcpError('INVALID_INPUT', '--always goes with allow (add the rule Claude Code suggests); deny takes none.')
  const request = agent.permissionRequest
  if (!request) throw notWaiting(agent, `waits for ${agent.waitingFor ?? 'input'}, but no ccmcp hook holds that prompt (an agent started by an older ccmcp, or a question only the terminal can answer)`)
  if (request.decision) throw notWaiting(agent, 'was answered already; its hook is handing the answer over')
  if (request.hookPid === null || !processAlive(request.hookPid)) throw notWaiting(agent, 'waits for a permission, but its hook stopped listening (it timed out); answer it in its tab')
  // An agent must not approve its own (or another agent's) tool calls: that would void the prompt.
  if (caller.kind === 'agent' && input.answer === 'allow') {
    throw new CcmcpError('FORBIDDEN', `Agent ${caller.session}/${caller.agent} may not allow a permission prompt; nothing was answered.`, {reason: 'agent-approval', hint: 'The operator or the orchestrating MCP client answers permission prompts.'})
  }
  return {behavior: input.answer, always: input.always, message: input.answer === 'deny' ? (input.message ?? null) : null, by: describeCaller(caller)}
}

export const answerAgent = defineOperation({
  name: 'answer_agent',
  title: 'Answer a waiting agent',
  description:
    'Answer an agent whose status is waiting: allow or deny the permission prompt it shows (waitingFor says which tool and input; always also adds the rule Claude Code suggests, so it is not asked again; a deny message is what the model is told), or trust for the workspace-trust dialog (trusts that root only and starts the agent again past the dialog). Use this, not send_message_to_agent, for a waiting agent.',
  level: 'MEDIUM',
  scope: (input) => ({agents: [input.agent]}),
  annotations: {readOnly: false, destructive: false, idempotent: false},
  mcp: true,
  input: z.object({
    agent: AgentRef,
    answer: Answer.describe('allow or deny a permission prompt; trust for the workspace-trust dialog'),
    always: z.boolean().default(false).describe('With allow: also add the permission rule Claude Code suggests'),
    message: z.string().optional().describe('With deny: what the model is told instead'),
  }),
  output: z.object({agent: PublicAgent, answered: z.object({answer: Answer, always: z.boolean(), summary: z.string().nullable()})}),
  async handler(input, {deps, caller, progress}) {
    const message = input.message === undefined ? undefined : validateMessage(input.message, 'message')
    const state = await reconciledState(deps)
    const agent = await withItsRequest(deps, findAgent(state, input.agent), input.answer)
    const key = agentKey(agent)
    const decision = decide(agent, {...input, message}, caller, (pid) => deps.ports.host.processAlive(pid))
    if (decision === 'trust') {
      const session = findSession(state, agent.session)
      const file = claudeConfigPath(deps.launch.env, deps.ports.host.homeDir())
      await recordTrust(deps.ports.host, file, session.root, deps.ports.clock.now())
      const restarted = await relaunch(deps, agent, session, true, progress)
      return {agent: restarted, answered: {answer: 'trust' as const, always: false, summary: null}}
    }
    const requestId = agent.permissionRequest?.id
    // Under the lock: still the same open request, still unanswered (a person may have answered in the terminal).
    await updateAgent(deps, key, (current) => {
      const open = current.permissionRequest
      if (!open || open.id !== requestId || open.decision) throw notWaiting(current, 'was answered meanwhile (in its terminal, or by another caller)')
      return {...current, permissionRequest: {...open, decision}}
    })
    const taken = await pollAgent(deps, key, (current) => current.permissionRequest?.id !== requestId, HANDOVER_TIMEOUT_MS)
    if (!taken) {
      throw new CcmcpError('TIMEOUT', `${key}'s hook did not take the answer within ${HANDOVER_TIMEOUT_MS / 1000} s; it stays recorded for it.`, {
        hint: {cli: `Look at its screen with \`ccmcp agent read ${key}\`.`, mcp: `Look at its screen with read_agent_screen (agent "${key}").`},
      })
    }
    return {agent: taken, answered: {answer: input.answer, always: input.always, summary: agent.permissionRequest?.summary ?? null}}
  },
})
