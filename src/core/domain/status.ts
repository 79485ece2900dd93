/**
 * What an agent's status means, in one place: every status set and predicate that core and the
 * surfaces act on. (The list itself is the zod enum in state.ts, beside the schema that stores it.)
 */
import type {AgentStatus} from './state.js'

type WithStatus = {status: AgentStatus}
const statuses = (...names: AgentStatus[]): ReadonlySet<AgentStatus> => new Set(names)

/** No live tab: reconciliation leaves them alone and nothing can be typed into them. */
export const TABLESS = statuses('closed', 'lost')
/** The program is not running: nothing is delivered, no turn will end. */
export const ENDED = statuses('closed', 'lost', 'exited')
/** A turn ended (well or not): the agent takes the next message. */
export const READY = statuses('idle', 'error')
/** Restart brings these back, in the same conversation. */
export const RESTARTABLE = statuses('lost', 'exited')
/** A tool call seen in these means the agent is working again (a permission was answered). */
export const RESUMED_BY_TOOL_USE = statuses('waiting', 'idle')

export const isTabless = (agent: WithStatus): boolean => TABLESS.has(agent.status)
export const hasEnded = (agent: WithStatus): boolean => ENDED.has(agent.status)
export const isReady = (agent: WithStatus): boolean => READY.has(agent.status)
export const isRestartable = (agent: WithStatus): boolean => RESTARTABLE.has(agent.status)
