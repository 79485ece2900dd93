/**
 * The composition root for bin/hook.js: only what recording a hook event needs (the state store,
 * the flusher starter, the pipeline), so a hook costs what it did before it had a caller, an
 * authorize and a record step. Everything else uses runtime.ts.
 */
import {spawnFlusher} from '../adapters/flusher.js'
import {notifyingStateStore} from './notifier.js'
import {localHost} from '../adapters/local-host.js'
import {createStateStore} from '../adapters/stores.js'
import {type HookEventContext, internalPipeline, recordHookEventOperation} from '../pipeline/internal-operations.js'
import {recordAutoAnswerOperation, settlePermissionOperation} from '../answer/hook-ops.js'
import {type Paths, pathsFor, resolveHome} from '../platform/paths.js'
import type {RunPipeline} from '../pipeline/pipeline.js'
import {type Recorder, type Store, noRecorder} from '../ports.js'
import type {State} from '../domain/state.js'

export interface HookRuntime {
  paths: Paths
  run: RunPipeline
  store: Store<State>
}

export function createHookRuntime(options: {
  env: NodeJS.ProcessEnv
  recorder?: Recorder
  startFlusher?: HookEventContext['startFlusher']
  /** When the event happened (the hook process's start); default: now. */
  eventTime?: Date
  /** A PermissionRequest hook waiting for an answer: the request it records. */
  waiter?: HookEventContext['waiter']
}): HookRuntime {
  const paths = pathsFor(resolveHome(options.env, localHost.homeDir()))
  const store = notifyingStateStore(createStateStore(paths.home), {home: paths.home, env: options.env})
  const now = () => new Date()
  const context: HookEventContext = {
    store,
    host: localHost,
    eventsDir: paths.eventsDir,
    now: options.eventTime ? () => options.eventTime as Date : now,
    startFlusher: options.startFlusher ?? ((key) => spawnFlusher(options.env, paths.home, key)),
    waiter: options.waiter,
  }
  const offered = {record_hook_event: recordHookEventOperation, settle_permission_request: settlePermissionOperation, record_auto_answer: recordAutoAnswerOperation}
  return {paths, store, run: internalPipeline(offered, context, {state: store, recorder: options.recorder ?? noRecorder, now})}
}
