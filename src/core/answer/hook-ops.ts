/**
 * Internal operations the blocking PermissionRequest hook runs (bin/hook.js): settling its
 * request (taking the answer ccmcp was given, or giving up at its timeout), and recording an
 * answer a session rule gave (as ccmcp, the rule's owner, not as the agent). Light on imports.
 */
import type {AgentCaller} from '../pipeline/caller.js'
import type {PipelineOperation} from '../pipeline/pipeline.js'
import type {HookEventContext} from '../pipeline/internal-operations.js'
import {type Agent, agentKey} from '../domain/state.js'
import type {PermissionDecision} from '../domain/permission.js'
import {CcmcpError} from '../domain/errors.js'

function objectInput(input: unknown, what: string): Record<string, unknown> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new CcmcpError('INVALID_INPUT', `${what} needs a JSON object.`)
  return input as Record<string, unknown>
}

export interface Settled {
  /** The answer to print for Claude Code; null: none (answered in the terminal, or given up). */
  decision: PermissionDecision | null
}

/**
 * Takes the answer to this hook's request if there is one: the agent goes back to work (busy)
 * and the request is closed. With giveUp and no answer: nobody listens any more (hookPid null),
 * while the dialog stays up for a person in the terminal.
 */
export const settlePermissionOperation: PipelineOperation<HookEventContext> = {
  name: 'settle_permission_request',
  level: 'MEDIUM',
  callers: ['agent'],
  // The agent settles its own request only (its caller identity): nothing in the input names another.
  scope: () => ({}),
  validate(input) {
    const {requestId, giveUp} = objectInput(input, 'settle_permission_request')
    if (typeof requestId !== 'string' || !requestId) throw new CcmcpError('INVALID_INPUT', 'settle_permission_request needs the requestId.')
    return {requestId, giveUp: giveUp === true}
  },
  async handler(input, context): Promise<Settled> {
    const {requestId, giveUp} = input as {requestId: string; giveUp: boolean}
    const {session, agent: name} = context.caller as AgentCaller
    return context.store.update((state) => {
      const index = state.agents.findIndex((agent) => agent.session === session && agent.name === name)
      const agent = state.agents[index]
      const request = agent?.permissionRequest
      if (!agent || !request || request.id !== requestId) return {value: state, result: {decision: null}}
      let updated: Agent
      // Dated now: an event whose hook started before the answer (the dialog's Notification, ~6 s
      // after it opened) is older than the answer and must not put the agent back to waiting.
      const answeredAt = new Date().toISOString()
      const lastEventAt = agent.lastEventAt !== null && agent.lastEventAt > answeredAt ? agent.lastEventAt : answeredAt
      if (request.decision) updated = {...agent, status: agent.status === 'waiting' ? 'busy' : agent.status, waitingFor: null, permissionRequest: null, lastEventAt}
      else if (giveUp) updated = {...agent, permissionRequest: {...request, hookPid: null}}
      else return {value: state, result: {decision: null}}
      return {value: {...state, agents: state.agents.with(index, updated)}, result: {decision: request.decision}}
    })
  },
}

/** A session rule answered a permission prompt: recorded on the agent (lastAutoAnswer) and by the pipeline's recorder. */
export const recordAutoAnswerOperation: PipelineOperation<HookEventContext> = {
  name: 'record_auto_answer',
  level: 'MEDIUM',
  callers: ['ccmcp'],
  validate(input) {
    const {agent, rule, behavior, summary} = objectInput(input, 'record_auto_answer')
    if (typeof agent !== 'string' || !/^[^/]+\/[^/]+$/u.test(agent)) throw new CcmcpError('INVALID_INPUT', 'record_auto_answer needs the agent as session/name.')
    if (typeof rule !== 'string' || typeof summary !== 'string' || (behavior !== 'allow' && behavior !== 'deny')) throw new CcmcpError('INVALID_INPUT', 'record_auto_answer needs rule, behavior and summary.')
    return {agent, rule, behavior, summary}
  },
  async handler(input, context) {
    const {agent: key, rule, behavior, summary} = input as {agent: string; rule: string; behavior: 'allow' | 'deny'; summary: string}
    const at = context.now().toISOString()
    await context.store.update((state) => ({
      value: {...state, agents: state.agents.map((agent) => (agentKey(agent) === key ? {...agent, lastAutoAnswer: {rule, behavior, summary, at}} : agent))},
      result: undefined,
    }))
    return {agent: key, rule, behavior}
  },
}
