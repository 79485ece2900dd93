/**
 * The composition root for bin/hook.js: only what recording a hook event needs (the state store,
 * the flusher starter, the pipeline), so a hook costs what it did before it had a caller, an
 * authorize and a record step. Everything else uses runtime.ts.
 */
import {createEncryptedCodec} from '../adapters/crypto/encrypted-codec.js'
import {createKeySource} from '../adapters/keys/key-source.js'
import {spawnFlusher} from '../adapters/flusher.js'
import {auditLocation, createAuditLog} from '../adapters/audit-log.js'
import {notifyingStateStore} from './notifier.js'
import {foldingStateStore} from './folding-store.js'
import {localHost} from '../adapters/local-host.js'
import {createStateStore} from '../adapters/stores.js'
import {type HookEventContext, internalPipeline, recordHookEventOperation} from '../pipeline/internal-operations.js'
import {recordAutoAnswerOperation, settlePermissionOperation} from '../answer/hook-ops.js'
import {type Paths, pathsFor, resolveHome} from '../platform/paths.js'
import type {RunPipeline} from '../pipeline/pipeline.js'
import {type Recorder, type Store} from '../ports.js'
import type {State} from '../domain/state.js'

export interface HookRuntime {
  paths: Paths
  run: RunPipeline
  store: Store<State>
}

export function createHookRuntime(options: {
  env: NodeJS.ProcessEnv
  /** Default: the audit log, without the key (a hook never signs checkpoints; the next CLI or server does). */
  recorder?: Recorder
  startFlusher?: HookEventContext['startFlusher']
  /** When the event happened (the hook process's start); default: now. */
  eventTime?: Date
  /** A PermissionRequest hook waiting for an answer: the request it records. */
  waiter?: HookEventContext['waiter']
}): HookRuntime {
  const paths = pathsFor(resolveHome(options.env, localHost.homeDir()))
  // CCMCP_KEY is never in an agent's environment: the key comes from the keychain or the key file.
  // (Not at-rest.js: key rotation is not a hook's business and costs its imports.)
  const codec = createEncryptedCodec(createKeySource({env: options.env, home: paths.home}), paths.home)
  const recorder = options.recorder ?? hookRecorder(options.env, paths.home)
  const startFlusher = options.startFlusher ?? ((key: string) => spawnFlusher(options.env, paths.home, key))
  // Spooled events before this one are folded in first, so they keep their order.
  const store = foldingStateStore(notifyingStateStore(createStateStore(paths.home, undefined, {codec}), {home: paths.home, env: options.env}), {
    home: paths.home,
    codec,
    host: localHost,
    eventsDir: paths.eventsDir,
    recorder: () => recorder,
    startFlusher,
    onError: () => undefined,
  })
  const now = () => new Date()
  const context: HookEventContext = {
    store,
    host: localHost,
    eventsDir: paths.eventsDir,
    lines: codec,
    now: options.eventTime ? () => options.eventTime as Date : now,
    startFlusher,
    waiter: options.waiter,
  }
  const offered = {record_hook_event: recordHookEventOperation, settle_permission_request: settlePermissionOperation, record_auto_answer: recordAutoAnswerOperation}
  return {paths, store, run: internalPipeline(offered, context, {state: store, recorder, now})}
}

function hookRecorder(env: NodeJS.ProcessEnv, home: string): Recorder {
  return createAuditLog({...auditLocation(env, home), keySource: null, rotateBytes: Number(env.CCMCP_AUDIT_ROTATE_BYTES) || undefined}).recorder
}
