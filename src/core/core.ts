/**
 * The façade every surface calls: validates input against the operation's schema, runs the
 * handler, and turns any failure into a CcmcpError. One call per user action.
 */
import type * as z from 'zod'

import {CcmcpError, toCcmcpError} from './errors.js'
import {type OperationName, type Operations, operations} from './operations.js'
import type {CoreDeps, Limits, Operation, OperationContext} from './registry.js'

export type InputOf<N extends OperationName> = z.input<Operations[N]['input']>
export type OutputOf<N extends OperationName> = z.infer<Operations[N]['output']>

export interface Core {
  readonly deps: CoreDeps
  run<N extends OperationName>(name: N, input: InputOf<N>, options?: RunOptions): Promise<OutputOf<N>>
  /** For surfaces that get untyped input (MCP): same validation, same errors. */
  runUnknown(name: string, input: unknown, options?: RunOptions): Promise<unknown>
}

export type RunOptions = Pick<OperationContext, 'progress'>

export function createCore(deps: CoreDeps, options: {limits?: Limits} = {}): Core {
  const limits = options.limits ?? {}
  async function runUnknown(name: string, input: unknown, options: RunOptions = {}): Promise<unknown> {
    const operation = (operations as Record<string, Operation>)[name]
    if (!operation) throw new CcmcpError('INVALID_INPUT', `Unknown operation "${name}".`, {hint: `Known: ${Object.keys(operations).join(', ')}.`})
    const parsed = operation.input.safeParse(input ?? {})
    if (!parsed.success) throw invalidInput(operation, parsed.error)
    try {
      return await operation.handler(parsed.data, {deps, limits, progress: options.progress})
    } catch (error) {
      throw toCcmcpError(error)
    }
  }
  return {
    deps,
    runUnknown,
    run: (name, input, options) => runUnknown(name, input, options) as never,
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
