/**
 * Operations only ccmcp's own processes run, never offered on MCP or the CLI: an agent's hook
 * reporting an event, and the flusher delivering a queued message. They take the same pipeline
 * as every public operation (authorize → validate → run → record), with the agent or ccmcp as
 * the caller. Light on imports: the full hook loads it (PermissionRequest), and every reader
 * that folds spooled hook events in (entry/folding-store.ts).
 */
import type {AgentCaller, Caller} from './caller.js'
import type {State} from '../domain/state.js'
import {CcmcpError} from '../domain/errors.js'
import {type HookContext, type HookPayload, type Recorded, recordHookEvent} from '../delivery/hook-events.js'
import {type PipelineOperation, type RunPipeline, createPipeline} from './pipeline.js'
import type {Recorder, Store} from '../ports.js'

export interface HookEventContext {
  store: Store<State>
  host: HookContext['host']
  eventsDir: string
  lines?: HookContext['lines']
  now(): Date
  /** Starts a detached process that delivers the agent's next queued message. */
  startFlusher(agentKey: string): void
  /** Set in a PermissionRequest hook that waits for an answer (answer/permission-hook.ts). */
  waiter?: HookContext['waiter']
}

/** One event from an agent's Claude Code hook (or any program reporting the same way). */
export const recordHookEventOperation: PipelineOperation<HookEventContext> = {
  name: 'record_hook_event',
  level: 'MEDIUM',
  callers: ['agent'],
  // The agent reports on itself only (its caller identity): nothing in the input names another.
  scope: () => ({}),
  validate(input) {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new CcmcpError('INVALID_INPUT', 'The hook event is not a JSON object.')
    return input
  },
  async handler(input, context): Promise<Recorded> {
    const {session, agent, launchId} = context.caller as AgentCaller
    const recorded = await recordHookEvent({store: context.store, host: context.host, eventsDir: context.eventsDir, lines: context.lines, session, agent, launchId, now: context.now(), waiter: context.waiter}, input as HookPayload)
    // Queued messages go out from a detached process: the hook must return at once, and the
    // prompt takes input only after SessionStart has returned.
    if (recorded.flush) context.startFlusher(`${session}/${agent}`)
    return recorded
  },
}

export interface FlushContext {
  /** Delivers the agent's first queued message if it is ready; what happened to it, or null. */
  flushQueue(agentKey: string): Promise<string | null>
}

/** The flusher's one job, for the agent named in its input (never taken from the environment). */
export const flushQueueOperation: PipelineOperation<FlushContext> = {
  name: 'flush_queue',
  level: 'MEDIUM',
  callers: ['ccmcp'],
  validate(input) {
    const agent = (input as {agent?: unknown} | null)?.agent
    if (typeof agent !== 'string' || !/^[^/]+\/[^/]+$/.test(agent)) {
      throw new CcmcpError('INVALID_INPUT', `The flusher needs its agent as session/name, not ${JSON.stringify(agent ?? null)}.`)
    }
    return {agent}
  },
  async handler(input, context) {
    return {delivery: await context.flushQueue((input as {agent: string}).agent)}
  },
}

export const internalOperations = {record_hook_event: recordHookEventOperation, flush_queue: flushQueueOperation} as const

/** The pipeline over some internal operations, with the context they need. */
export function internalPipeline<C>(
  offered: Record<string, PipelineOperation<C>>,
  context: C,
  ports: {state: Pick<Store<State>, 'read'>; recorder: Recorder; now(): Date},
): (name: string, input: unknown, caller: Caller) => ReturnType<RunPipeline> {
  return createPipeline({
    find: (name) => (Object.hasOwn(offered, name) ? offered[name] : undefined),
    unknown: (name) => new CcmcpError('INVALID_INPUT', `Unknown internal operation "${name}".`),
    context,
    ...ports,
  })
}
