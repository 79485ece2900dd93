/**
 * The state store every composition root hands to core: before any read or write it folds the
 * agents' spooled hook events in (delivery/hook-fold.ts), so status, waits, delivery
 * confirmation, the flusher and watch all see every event that happened before they looked.
 * It also keeps the spool's public key written (hooks seal to it) and each agent's queue marker
 * (hooks start the flusher when there is one), and wakes watchers when a hook spools an event.
 */
import path from 'node:path'

import type {EncryptedCodec} from '../adapters/crypto/encrypted-codec.js'
import {createSpoolStore} from '../adapters/spool/spool-store.js'
import {type Effect, type FoldSession, foldSpools} from '../delivery/hook-fold.js'
import type {State} from '../domain/state.js'
import {type HookEventContext, internalPipeline, recordHookEventOperation} from '../pipeline/internal-operations.js'
import type {Recorder, Store} from '../ports.js'
import {isCcmcpError} from '../domain/errors.js'
import {hookLogLine} from './log-line.js'

/** Refusals that are routine: an event from a tab being closed after a restart, or from a deleted agent. */
const QUIET = new Set(['stale-launch', 'unknown-agent'])

export interface FoldingOptions {
  home: string
  codec: EncryptedCodec
  host: HookEventContext['host']
  eventsDir: string
  /** The record step of the process folding (the audit log). */
  recorder(): Recorder
  startFlusher(agentKey: string): void
  /** Problems that must not fail the read (an effect after the fold's write): logged, not thrown. */
  onError(error: unknown): void
}

export function foldingStateStore(inner: Store<State>, options: FoldingOptions): Store<State> {
  const spool = createSpoolStore(options.home, options.codec)
  let keyed: Promise<unknown> | null = null
  const session: FoldSession = {
    async run(spooled, caller, store, recorder, effects) {
      const later = (effect: Effect) => effects.push(effect)
      const context: HookEventContext = {
        store,
        host: {
          mkdir: async (dir, mode) => void later(() => options.host.mkdir(dir, mode)),
          append: async (file, text, mode) => void later(() => options.host.append(file, text, mode)),
          processAlive: (pid) => options.host.processAlive(pid),
        },
        eventsDir: options.eventsDir,
        lines: options.codec,
        now: () => new Date(spooled.at),
        startFlusher: (key) => void later(() => options.startFlusher(key)),
      }
      const run = internalPipeline({record_hook_event: recordHookEventOperation}, context, {state: store, recorder, now: () => new Date()})
      // Every refusal is recorded by the pipeline; the unusual ones (no secret, a wrong one) are noted in hook.log too, as the hook did.
      await run('record_hook_event', spooled.event, caller).catch((error: unknown) => {
        if (isCcmcpError(error) && error.code === 'FORBIDDEN' && QUIET.has(error.reason ?? '')) return
        later(() => options.host.mkdir(path.join(options.home, 'logs'), {mode: 0o700}))
        later(() => options.host.append(path.join(options.home, 'logs', 'hook.log'), hookLogLine({session: caller.session, agent: caller.agent}, error), {mode: 0o600}))
      })
    },
  }

  /** The spool sizes this process last saw everything up to folded: unchanged, nothing is new. */
  let folded: string | null = null

  /** Folds what is new; the state after it, or null when nothing was new and `read` is false. */
  async function fold(read: boolean): Promise<State | null> {
    // Hooks seal to the public key: have it written before any agent of this home can report.
    keyed ??= spool.ensurePublicKey().catch((error: unknown) => {
      keyed = null
      options.onError(error)
    })
    await keyed
    const sizes = await spool.sizes()
    if (sizes === folded) return read ? inner.read() : null
    const state = await foldSpools(inner, spool, session, {record: options.recorder(), onError: options.onError})
    folded = sizes
    return state
  }

  return {
    get path() {
      return inner.path
    },
    read: async () => (await fold(true)) as State,
    async update(fn) {
      await fold(false)
      let before: State | null = null
      let after: State | null = null
      const result = await inner.update((value) => {
        const next = fn(value)
        before = value
        after = next.value
        return next
      })
      if (before && after) await markQueues(before, after).catch(options.onError)
      return result
    },
    watch(listener) {
      const stopState = inner.watch(listener)
      const stopSpool = spool.watch(listener)
      return () => {
        stopState()
        stopSpool()
      }
    },
  }

  async function markQueues(before: State, after: State): Promise<void> {
    const had = new Map(before.agents.map((agent) => [`${agent.session}/${agent.name}`, agent.queue.length > 0]))
    for (const agent of after.agents) {
      const queued = agent.queue.length > 0
      if (had.get(`${agent.session}/${agent.name}`) !== queued) await spool.setQueued(agent.session, agent.name, queued)
    }
    const remaining = new Set(after.agents.map((agent) => `${agent.session}/${agent.name}`))
    for (const agent of before.agents) if (!remaining.has(`${agent.session}/${agent.name}`) && agent.queue.length > 0) await spool.setQueued(agent.session, agent.name, false)
  }
}
