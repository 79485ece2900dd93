/**
 * The one path every operation takes, public or internal: find → authorize → validate →
 * authorize the input → run → record → map errors. Authorize comes before validation so that a
 * caller who may not run an operation learns nothing about its input; what needs the validated
 * input (the level it raises the operation to, session scope) is the step after validation,
 * driven by each operation's declarations (`raisedLevel`, `scope`), never by its handler.
 * Every refusal reaches the record step with outcome 'refused'. Light on imports: the hook path
 * builds one too.
 */
import type {Caller} from './caller.js'
import {type Authorizable, authorize, authorizeInput} from './authorize.js'
import type {State} from '../domain/state.js'
import {type CcmcpError, toCcmcpError} from '../domain/errors.js'
import type {OperationRecord, Recorder, Store} from '../ports.js'

/** An operation as the pipeline sees it: the public registry and the internal one both adapt to this. */
export interface PipelineOperation<C> extends Authorizable {
  /** The input, checked; throws INVALID_INPUT. */
  validate(input: unknown): unknown
  handler(input: unknown, context: C & {caller: Caller} & PerCall): Promise<unknown>
  /** Its input has an optional `session` (an agent that leaves it out means its own). */
  sessionInput?: boolean
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

/**
 * An agent that leaves out an operation's `session` means its own: the scope step then sees the
 * session it acts in, and a list an agent asks for is its session's, never every session's.
 */
function withOwnSession(caller: Caller, operation: {sessionInput?: boolean}, input: unknown): unknown {
  if (caller.kind !== 'agent' || !operation.sessionInput || typeof input !== 'object' || input === null) return input
  return (input as {session?: unknown}).session === undefined ? {...input, session: caller.session} : input
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
      const refused = (refusal: unknown) => {
        outcome = 'refused'
        throw refusal
      }
      await authorize(caller, operation, options.state).catch(refused)
      given = operation.validate(withOwnSession(caller, operation, input))
      await authorizeInput(caller, operation, given, options.state).catch(refused)
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
