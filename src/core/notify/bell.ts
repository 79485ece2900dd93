/**
 * The terminal bell in `watch`: rung when an agent's lastTransition is newer than the one seen
 * before and its kind is on (config notify*, notifyBell). The first look only remembers, so
 * starting `watch` never rings for old news. Each watch rings in its own terminal.
 */
import type {Config} from '../domain/config.js'
import {type Agent, agentKey} from '../domain/state.js'
import {kindEnabled} from './sinks.js'

export const BELL = '\u0007'

export function createBellTracker() {
  let seen: Map<string, number> | null = null
  /** Whether these agents bring a transition worth a bell since the last call. */
  return (agents: readonly Agent[], config: Config): boolean => {
    const previous = seen
    seen = new Map(agents.map((agent) => [agentKey(agent), agent.lastTransition?.seq ?? 0]))
    if (!previous || !config.notifyBell) return false
    return agents.some((agent) => {
      const transition = agent.lastTransition
      return transition !== null && transition.seq > (previous.get(agentKey(agent)) ?? 0) && kindEnabled(config, transition.kind)
    })
  }
}
