/**
 * Security levels as a policy every surface applies the same way (the check itself is core's
 * authorize step, src/core/authorize.ts): LOW operations only read; MEDIUM ones start and talk to
 * agents; HIGH ones delete. Surfaces use this to list only what a clearance allows.
 */
import {operations} from './registry.js'
import type {Operation} from './operation.js'

export {assertCleared, isCleared} from './authorize.js'

/** Operations offered to MCP clients (whatever their level), in registry order. */
export function mcpOperations(): Operation[] {
  return (Object.values(operations) as Operation[]).filter((operation) => operation.mcp)
}
