/**
 * The one path every operation takes, public or internal: find → authorize → validate → run →
 * record → map errors. Authorize comes before validation so that a caller who may not run an
 * operation learns nothing about its input (checks that need the validated input, such as
 * session scope, belong in the handler's first lines or a later authorize step).
 * Light on imports: the hook path builds one too.
 */
import type {Caller} from './caller.js'
import {type Authorizable, authorize} from './authorize.js'
import type {State} from '../domain/state.js'
import {type CcmcpError, toCcmcpError} from '../domain/errors.js'
import type {OperationRecord, Recorder, Store} from '../ports.js'

/** An operation as the pipeline sees it: the public registry and the internal one both adapt to this. */
export interface PipelineOperation<C> extends Authorizable {
  /** The input, checked; throws INVALID_INPUT. */
  validate(input: unknown): unknown
  handler(input: unknown, context: C & {caller: Caller} & PerCall): Promise<unknown>
}

/** What one call brings besides its input and caller. */
export interface PerCall {
  /** Long waits report what they wait for (the MCP server turns it into progress notifications). */
  progress?: (message: string) => void
}

export interface PipelineOptions<C> {
  find(name: string): PipelineOperation<C> | undefined
  /** The error for a name that is no operation. */
  unknown(name: string): CcmcpError
  context: C
  /** Where an agent caller's proof is checked. */
  state: Pick<Store<State>, 'read'>
  recorder: Recorder
  now(): Date
}

export type RunPipeline = (name: string, input: unknown, caller: Caller, perCall?: PerCall) => Promise<unknown>

export function createPipeline<C>(options: PipelineOptions<C>): RunPipeline {
  return async (name, input, caller, perCall = {}) => {
    const started = options.now()
    let outcome: OperationRecord['outcome'] = 'ok'
    let error: OperationRecord['error'] = null
    let given = input
    try {
      const operation = options.find(name)
      if (!operation) throw options.unknown(name)
      await authorize(caller, operation, options.state).catch((refusal: unknown) => {
        outcome = 'refused'
        throw refusal
      })
      given = operation.validate(input)
      return await operation.handler(given, {...options.context, caller, ...perCall})
    } catch (thrown) {
      const failure = toCcmcpError(thrown)
      // A handler's own FORBIDDEN (a scope check on the validated input) is a refusal too.
      if (outcome === 'ok') outcome = failure.code === 'FORBIDDEN' ? 'refused' : 'failed'
      error = {code: failure.code, reason: failure.reason ?? null}
      throw failure
    } finally {
      await options.recorder.record({operation: name, caller, input: given, outcome, error, at: started.toISOString(), ms: options.now().getTime() - started.getTime()})
    }
  }
}
