/**
 * The façade every surface calls: one call per user action, for one caller, through the
 * pipeline (authorize → validate → run → record → map errors; src/core/pipeline.ts).
 */
import type * as z from 'zod'

import {type Caller, OPERATOR} from './caller.js'
import {CcmcpError} from '../domain/errors.js'
import {type OperationName, type Operations, operations} from './registry.js'
import {createPipeline, type PerCall, type PipelineOperation} from './pipeline.js'
import {type Recorder, noRecorder} from '../ports.js'
import type {CoreDeps, Limits, Operation, OperationContext} from './operation.js'
import {runOnHost} from '../remote/forward.js'

export type InputOf<N extends OperationName> = z.input<Operations[N]['input']>
export type OutputOf<N extends OperationName> = z.infer<Operations[N]['output']>

export interface RunOptions extends PerCall {
  /** Who is acting; surfaces always say (default: the operator, for tests and scripts over core). */
  caller?: Caller
}

export interface Core {
  readonly deps: CoreDeps
  run<N extends OperationName>(name: N, input: InputOf<N>, options?: RunOptions): Promise<OutputOf<N>>
  /** For surfaces that get untyped input (MCP): same pipeline, same errors. */
  runUnknown(name: string, input: unknown, options?: RunOptions): Promise<unknown>
}

export interface CoreOptions {
  limits?: Limits
  /** The record step: sees every call, its caller and outcome (the audit log plugs in here). */
  recorder?: Recorder
  /** What relative paths in input are relative to (the CLI's cwd); null when the caller is elsewhere (MCP). */
  workingDir?: string | null
}

export function createCore(deps: CoreDeps, options: CoreOptions = {}): Core {
  const limits = options.limits ?? {}
  const pipeline = createPipeline<Omit<OperationContext, 'caller'>>({
    find: (name) => {
      const operation = Object.hasOwn(operations, name) ? (operations as Record<string, Operation>)[name] : undefined
      return operation && publicOperation(operation)
    },
    unknown: (name) => new CcmcpError('INVALID_INPUT', `Unknown operation "${name}".`, {hint: `Known: ${Object.keys(operations).join(', ')}.`}),
    context: {deps, limits, workingDir: options.workingDir ?? null},
    state: deps.ports.state,
    recorder: options.recorder ?? noRecorder,
    now: () => deps.ports.clock.now(),
  })
  const runUnknown = (name: string, input: unknown, runOptions: RunOptions = {}) => pipeline(name, input ?? {}, runOptions.caller ?? OPERATOR, {progress: runOptions.progress})
  return {
    deps,
    runUnknown,
    run: (name, input, runOptions) => runUnknown(name, input, runOptions) as never,
  }
}

function publicOperation(operation: Operation): PipelineOperation<Omit<OperationContext, 'caller'>> {
  return {
    name: operation.name,
    level: operation.level,
    callers: operation.callers,
    scope: operation.scope as PipelineOperation<unknown>['scope'],
    raisedLevel: operation.raisedLevel as PipelineOperation<unknown>['raisedLevel'],
    sessionInput: 'session' in operation.input.shape,
    validate(input) {
      const parsed = operation.input.safeParse(input)
      if (!parsed.success) throw invalidInput(operation, parsed.error)
      return parsed.data
    },
    async handler(input, context) {
      // An operation about a session on another host runs there, authorized here first.
      const remote = await runOnHost(context.deps, operation.name, input)
      const output = remote ? remote.output : await operation.handler(input as z.infer<typeof operation.input>, context)
      // Every surface gets what the operation declares and nothing else: what only ccmcp's own
      // processes use (an agent's secret digest) stays in the state, and the CLI's JSON is the
      // MCP result's structuredContent.
      return operation.output.parse(output)
    },
  }
}

function invalidInput(operation: Operation, error: z.ZodError): CcmcpError {
  const problems = error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'input'}: ${issue.message}`)
  const field = error.issues[0]?.path[0]
  const described = typeof field === 'string' ? (operation.input.shape[field] as z.ZodType | undefined)?.description : undefined
  return new CcmcpError('INVALID_INPUT', `Invalid input for ${operation.name}: ${problems.join('; ')}.`, {
    hint: described ? `${String(field)}: ${described}.` : undefined,
    details: {issues: error.issues.map((issue) => ({path: issue.path.map(String), message: issue.message}))},
  })
}
