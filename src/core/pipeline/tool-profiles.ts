/**
 * Which operations an MCP server offers, under which tool names: the operator's server offers
 * every `mcp: true` operation; the server inside an agent (`serve --agent`) offers only what an
 * agent needs, some under an agent-facing name with fewer inputs (send_message is
 * send_message_to_agent without raw/wait). Each tool is a view of ONE operation, never new logic.
 */
import * as z from 'zod'

import {mcpOperations} from './clearance.js'
import type {Operation} from './operation.js'
import {operations} from './registry.js'

export type ToolProfile = 'operator' | 'agent'

export interface ToolView {
  /** The MCP tool name. */
  name: string
  operation: Operation
  /** The inputs the tool takes (a subset of the operation's); anything else a client sends is dropped. */
  input: z.ZodObject
}

/** The agent's tools, in this order; task tools are listed once the task board's operations exist. */
const AGENT_TOOLS: readonly {name: string; operation: string; fields?: readonly string[]}[] = [
  {name: 'list_tasks', operation: 'list_tasks'},
  {name: 'get_task', operation: 'get_task'},
  {name: 'create_task', operation: 'create_task'},
  {name: 'claim_task', operation: 'claim_task'},
  {name: 'update_task', operation: 'update_task'},
  {name: 'complete_task', operation: 'complete_task'},
  {name: 'release_task', operation: 'release_task'},
  {name: 'list_agents', operation: 'list_agents'},
  {name: 'send_message', operation: 'send_message_to_agent', fields: ['agent', 'message']},
  {name: 'broadcast_message', operation: 'broadcast_message'},
  {name: 'list_messages', operation: 'list_messages'},
]

export function toolViews(profile: ToolProfile): ToolView[] {
  if (profile === 'operator') return mcpOperations().map((operation) => ({name: operation.name, operation, input: operation.input}))
  const registry = operations as Record<string, Operation>
  return AGENT_TOOLS.flatMap(({name, operation: opName, fields}) => {
    const operation = Object.hasOwn(registry, opName) ? registry[opName] : undefined
    if (!operation) return []
    const input = fields ? z.object(Object.fromEntries(fields.map((field) => [field, operation.input.shape[field] as z.ZodType]))) : operation.input
    return [{name, operation, input: input as z.ZodObject}]
  })
}

/** The arguments a view passes on to its operation: only the inputs the tool offers. */
export function viewArgs(view: ToolView, args: unknown): unknown {
  if (view.input === view.operation.input || typeof args !== 'object' || args === null || Array.isArray(args)) return args
  const offered = new Set(Object.keys(view.input.shape))
  return Object.fromEntries(Object.entries(args).filter(([key]) => offered.has(key)))
}
