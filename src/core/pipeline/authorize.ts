/**
 * The authorize step of the pipeline, applied the same way for every surface. Security levels:
 * an operation runs only when its level is at or below the clearance its caller came with
 * (`serve --security-level`); LOW operations only read, MEDIUM ones start and talk to agents,
 * HIGH ones delete. Internal operations (hook events, the flusher) name who may call them, and an
 * agent caller must prove its identity. Light on imports: the hook path loads it.
 */
import {type Caller, clearanceOf, describeCaller, verifyAgent} from './caller.js'
import type {State} from '../domain/state.js'
import {CcmcpError} from '../domain/errors.js'
import type {Store} from '../ports.js'
import {type Operation, type SecurityLevel, levelRank} from './operation.js'

export function isCleared(operation: Pick<Operation, 'level'>, clearance: SecurityLevel): boolean {
  return levelRank(operation.level) <= levelRank(clearance)
}

export function assertCleared(operation: Pick<Operation, 'name' | 'level'>, clearance: SecurityLevel): void {
  if (isCleared(operation, clearance)) return
  throw new CcmcpError('FORBIDDEN', `${operation.name} is a ${operation.level}-level operation, and this server runs at security level ${clearance}; nothing was done.`, {
    hint: `Whoever starts the server can allow it with --security-level ${operation.level}.`,
    details: {operation: operation.name, level: operation.level, clearance},
  })
}

export interface Authorizable {
  name: string
  level: SecurityLevel
  /** Who may call it; absent: any caller (every public operation). */
  callers?: readonly Caller['kind'][]
}

/** Throws FORBIDDEN unless this caller may run this operation. Cheap checks first; an agent's proof reads the state. */
export async function authorize(caller: Caller, operation: Authorizable, state: Pick<Store<State>, 'read'>): Promise<void> {
  if (operation.callers && !operation.callers.includes(caller.kind)) {
    throw new CcmcpError('FORBIDDEN', `${operation.name} is internal to ccmcp, and ${describeCaller(caller)} may not call it; nothing was done.`, {
      reason: 'internal-operation',
      details: {operation: operation.name},
    })
  }
  const clearance = clearanceOf(caller)
  if (clearance) assertCleared(operation, clearance)
  if (caller.kind === 'agent') await verifyAgent(state, caller)
}
