/** Changing one agent's record in the state, under the store's lock. */
import {CcmcpError} from '../domain/errors.js'
import {pollUntil} from '../domain/poll.js'
import {type Agent, agentKey} from '../domain/state.js'
import type {CorePorts} from '../pipeline/operation.js'

export async function updateAgent(deps: {ports: Pick<CorePorts, 'state'>}, key: string, fn: (agent: Agent) => Agent): Promise<Agent> {
  return deps.ports.state.update((state) => {
    const index = state.agents.findIndex((agent) => agentKey(agent) === key)
    const agent = state.agents[index]
    if (!agent) throw new CcmcpError('NOT_FOUND', `Agent ${key} was deleted meanwhile.`)
    const updated = fn(agent)
    return {value: {...state, agents: state.agents.with(index, updated)}, result: updated}
  })
}

/** The agent as stored now (no reconciliation). */
export async function currentAgent(deps: {ports: Pick<CorePorts, 'state'>}, key: string): Promise<Agent> {
  const agent = (await deps.ports.state.read()).agents.find((candidate) => agentKey(candidate) === key)
  if (!agent) throw new CcmcpError('NOT_FOUND', `Agent ${key} was deleted meanwhile.`)
  return agent
}

/** The stored agent once `done` holds for it (null: deleted, or the time ran out). Polls the state file only. */
export async function pollAgent(deps: {ports: Pick<CorePorts, 'state' | 'clock'>}, key: string, done: (agent: Agent) => boolean, timeoutMs: number): Promise<Agent | null> {
  let last: Agent | null = null
  const settled = await pollUntil(deps.ports.clock, async () => {
    last = (await deps.ports.state.read()).agents.find((candidate) => agentKey(candidate) === key) ?? null
    return last === null || done(last) ? last : undefined
  }, {timeoutMs})
  return settled ?? null
}
