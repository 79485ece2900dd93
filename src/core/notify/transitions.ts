/**
 * Finding the notable status changes one state write makes, inside that write (under the state
 * lock): each is stamped on its agent (lastTransition, with a per-agent sequence number) and
 * reported to the one process that wrote it. Two processes can never both write the same change,
 * so each transition is notified exactly once however many ccmcp processes run.
 */
import {type Agent, type State, agentKey} from '../domain/state.js'
import {type Transition, transitionKind} from '../domain/transition.js'
import type {Store} from '../ports.js'

export interface AgentTransition {
  agent: Agent
  transition: Transition
}

/** Why the agent is where it is now, in a few words, for the notification. */
export function transitionReason(agent: Agent, kind: Transition['kind']): string {
  switch (kind) {
    case 'waiting':
      return agent.waitingFor ?? 'it waits for input'
    case 'error':
      return agent.lastError ?? 'its turn failed'
    case 'exited':
      return agent.lastError ?? (agent.status === 'lost' ? 'its tab is gone' : 'its program ended')
    case 'turnFinished':
      return 'turn finished'
  }
}

/**
 * `after` with each notable change since `before` stamped on its agent, and the list of them.
 * `through`: the states the write passed on its way, oldest first; each step's change counts, so
 * a failed turn folded together with the next prompt still reports the failure. Pure.
 */
export function stampTransitions(before: State, after: State, at: string, through: readonly State[] = []): {state: State; transitions: AgentTransition[]} {
  if (before === after) return {state: after, transitions: []}
  const path = [before, ...through, after]
  const transitions: AgentTransition[] = []
  const latest = new Map<string, Transition>()
  for (let step = 1; step < path.length; step++) {
    const previous = new Map((path[step - 1] as State).agents.map((agent) => [agentKey(agent), agent]))
    for (const agent of (path[step] as State).agents) {
      const key = agentKey(agent)
      const old = previous.get(key)
      // A new agent, or another launch of the same name, starts fresh: nothing to hear about yet.
      if (!old || old.createdAt !== agent.createdAt) continue
      const kind = transitionKind(old.status, agent.status)
      if (!kind) continue
      const seq = (latest.get(key)?.seq ?? agent.lastTransition?.seq ?? 0) + 1
      const transition: Transition = {seq, kind, from: old.status, to: agent.status, reason: transitionReason(agent, kind), at}
      latest.set(key, transition)
      transitions.push({agent: {...agent, lastTransition: transition}, transition})
    }
  }
  if (transitions.length === 0) return {state: after, transitions}
  const agents = after.agents.map((agent) => {
    const transition = latest.get(agentKey(agent))
    return transition ? {...agent, lastTransition: transition} : agent
  })
  return {state: {...after, agents}, transitions}
}

/**
 * The state store, with every write's transitions stamped and handed to `notify` once the write
 * is on disk (update's fn may run more than once; only the run that was written counts).
 */
export function withTransitions(store: Store<State>, notify: (changes: AgentTransition[]) => void | Promise<void>, now: () => Date = () => new Date()): Store<State> {
  return {
    get path() {
      return store.path
    },
    read: () => store.read(),
    watch: (listener) => store.watch(listener),
    async update(fn) {
      let written: AgentTransition[] = []
      const result = await store.update((value) => {
        const next = fn(value)
        const {state, transitions} = stampTransitions(value, next.value, now().toISOString(), next.through)
        written = transitions
        // An update whose result is the state it wrote (a fold) gets that state as written, stamps included.
        return {value: state, result: next.result === next.value ? (state as unknown as typeof next.result) : next.result}
      })
      if (written.length > 0) await Promise.resolve(notify(written)).catch(() => undefined)
      return result
    },
  }
}
