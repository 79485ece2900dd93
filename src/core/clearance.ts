/**
 * Security levels as a policy every surface applies the same way: an operation runs only when
 * its level is at or below the clearance the surface was started with (`serve --security-level`).
 * LOW operations only read; MEDIUM ones start and talk to agents; HIGH ones delete.
 */
import {CcmcpError} from './errors.js'
import {operations} from './operations.js'
import {type Operation, type SecurityLevel, levelRank} from './registry.js'

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

/** Operations offered to MCP clients (whatever their level), in registry order. */
export function mcpOperations(): Operation[] {
  return (Object.values(operations) as Operation[]).filter((operation) => operation.mcp)
}
