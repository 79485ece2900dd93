/**
 * Folding spooled hook events into the state. A hook only appends its event, sealed, to its
 * agent's spool (entry/spool-hook.ts); whoever next reads that agent's state folds what is new,
 * THROUGH THE PIPELINE: each event is `record_hook_event` with the agent as the caller, proven by
 * the digest of the launch secret the hook presented (inside the sealed line), authorized against
 * the state, recorded by the record step. Events are applied in the order their hook processes
 * started.
 *
 * Exactly once, without a lock of its own: the pipeline runs against a copy of the state, then ONE
 * state write replays what the handlers did onto the current state and moves each agent's spool
 * offset (`hookSpoolOffset`) past the folded lines, only if no other process moved it meanwhile
 * (else the fold starts over). What else the handlers did (event log lines, audit records,
 * flushers to start) waits until that write is on disk.
 */
import type {Agent, State} from '../domain/state.js'
import type {HookPayload} from './hook-events.js'
import type {AgentCaller} from '../pipeline/caller.js'
import type {OperationRecord, Recorder, Store} from '../ports.js'

export interface SpooledEvent {
  /** When the hook process started (ms since the epoch, sub-millisecond). */
  at: number
  launchId: string
  /** SHA-256 of the CCMCP_AGENT_SECRET the hook had; '' when it had none. */
  digest: string
  event: HookPayload
}

export interface PendingSpool {
  session: string
  agent: string
  /** Where the new lines end: the agent's hookSpoolOffset once they are folded. */
  end: number
  events: SpooledEvent[]
}

/** The spool as the fold needs it (adapters/spool/spool-store.ts). */
export interface HookSpool {
  /** Spools with whole lines past their agent's offset (`offsetOf` null: no such agent). */
  pending(offsetOf: (session: string, agent: string) => number | null): Promise<PendingSpool[]>
  /** The spool of an agent that no longer exists, once its lines were refused. */
  remove(session: string, agent: string): Promise<void>
}

/** What running one event needs: a pipeline over `record_hook_event` whose store, host and recorder the fold provides. */
export interface FoldSession {
  /** Runs one event as its agent; refusals and failures are recorded, not thrown. */
  run(event: SpooledEvent, caller: AgentCaller, store: Store<State>, recorder: Recorder, effects: Effect[]): Promise<void>
}

/** A side effect of a handler, done once the fold's state write is on disk. */
export type Effect = () => Promise<void> | void

class Moved extends Error {}

export const offsetOf = (agent: Agent | undefined): number => agent?.hookSpoolOffset ?? 0

/** Folds every pending spool; returns the state after it (what a read should return). */
export async function foldSpools(inner: Store<State>, spool: HookSpool, session: FoldSession, options: {record: Recorder; onError?: (error: unknown) => void}): Promise<State> {
  for (let attempt = 0; ; attempt++) {
    const base = await inner.read()
    const find = (s: State, name: string, agent: string) => s.agents.find((candidate) => candidate.session === name && candidate.name === agent)
    const pending = await spool.pending((name, agent) => {
      const found = find(base, name, agent)
      return found ? offsetOf(found) : null
    })
    if (pending.length === 0) return base
    const copy = replayingStore(base, inner.path)
    const records: OperationRecord[] = []
    const effects: Effect[] = []
    const recorder: Recorder = {record: (entry) => void records.push(entry)}
    for (const one of pending) {
      const ordered = one.events.map((event, index) => ({event, index})).sort((a, b) => a.event.at - b.event.at || a.index - b.index)
      for (const {event} of ordered) {
        const caller: AgentCaller = {kind: 'agent', session: one.session, agent: one.agent, launchId: event.launchId, secretDigest: event.digest}
        await session.run(event, caller, copy.store, recorder, effects)
      }
    }
    try {
      const after = await inner.update((current) => {
        for (const one of pending) {
          const agent = find(current, one.session, one.agent)
          const known = find(base, one.session, one.agent)
          if ((agent === undefined) !== (known === undefined) || (agent && offsetOf(agent) !== offsetOf(known))) throw new Moved()
        }
        const through = copy.replay(current)
        const replayed = through.at(-1) ?? current
        const agents = replayed.agents.map((agent) => {
          const folded = pending.find((one) => one.session === agent.session && one.agent === agent.name)
          return folded ? {...agent, hookSpoolOffset: folded.end} : agent
        })
        const value = {...replayed, agents}
        // Every event's own status change counts (a failed turn, then a new prompt: the error is told).
        return {value, result: value, through}
      })
      for (const entry of records) await Promise.resolve(options.record.record(entry)).catch(options.onError)
      for (const effect of effects) await Promise.resolve().then(effect).catch(options.onError)
      for (const one of pending) if (!find(after, one.session, one.agent)) await spool.remove(one.session, one.agent).catch(options.onError)
      return after
    } catch (error) {
      // Another process folded (or the agent was replaced) in between: start over from its state.
      if (!(error instanceof Moved) || attempt >= 8) throw error
    }
  }
}

/** A store over a copy of the state that remembers every update, to replay them onto the state on disk (each step's state, oldest first). */
function replayingStore(initial: State, path: string): {store: Store<State>; replay(state: State): State[]} {
  let value = initial
  const updates: Array<(state: State) => {value: State}> = []
  const store: Store<State> = {
    path,
    read: async () => value,
    watch: () => () => undefined,
    async update(fn) {
      const next = fn(value)
      value = next.value
      updates.push(fn)
      return next.result
    },
  }
  return {
    store,
    replay(state) {
      const steps: State[] = []
      for (const fn of updates) steps.push(fn(steps.at(-1) ?? state).value)
      return steps
    },
  }
}
