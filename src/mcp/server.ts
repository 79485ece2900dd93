/**
 * One MCP server over one core: tools from the registry, resource templates and the planning
 * prompt, all limited by the server's security level. Transport-free, so tests connect it to an
 * in-memory pair and HTTP makes one per client session.
 */
import {McpServer} from '@modelcontextprotocol/sdk/server/mcp.js'

import type {Caller} from '../core/pipeline/caller.js'
import type {Core} from '../core/pipeline/core.js'
import type {SecurityLevel} from '../core/pipeline/operation.js'
import type {ToolProfile} from '../core/pipeline/tool-profiles.js'
import {type ServerLogger, withoutMessageText} from './log.js'
import {registerPrompts} from './prompts.js'
import {registerResources} from './resources.js'
import {registerTools} from './tools.js'

export interface McpServerOptions {
  core: Core
  clearance: SecurityLevel
  /** Who the clients act as; default: an MCP client at `clearance` (stdio, no token identity). */
  caller?: Caller
  logger: ServerLogger
  version: string
  /** `agent`: the tools an agent gets (`serve --agent`), no resources or prompts (they show every session). */
  profile?: ToolProfile
}

const INSTRUCTIONS = `ccmcp runs Claude Code agents, each in its own terminal tab, grouped in sessions tied to a codebase root.
Start with list_sessions (or create_session with a root directory), add agents with create_agent, give them work with send_message_to_agent, and follow them with get_session_status (status: starting, idle, busy, waiting, error, exited, closed, lost). Refer to an agent as session/Agent_N.
Tool failures start with an error code (NOT_FOUND, INVALID_INPUT, FORBIDDEN, ...) followed by a hint saying what to do.`

const AGENT_INSTRUCTIONS = `ccmcp's tools for an agent of a ccmcp session: the session's task board (list_tasks, claim_task, update_task, complete_task, create_task, release_task) and messages to the other agents of your session (list_agents, send_message, broadcast_message, list_messages). You act as yourself; you cannot reach other sessions.
Tool failures start with an error code (NOT_FOUND, INVALID_INPUT, FORBIDDEN, ...) followed by a hint saying what to do.`

export function createMcpServer(options: McpServerOptions): McpServer {
  const agent = options.profile === 'agent'
  const mcp = new McpServer({name: 'ccmcp', title: 'ccmcp', version: options.version}, {instructions: agent ? AGENT_INSTRUCTIONS : INSTRUCTIONS})
  const caller = options.caller ?? {kind: 'mcp', clearance: options.clearance, client: null}
  const context = {core: options.core, clearance: options.clearance, caller, logger: options.logger}
  if (agent) {
    registerTools(mcp, {...context, profile: 'agent'})
  } else {
    registerTools(mcp, {...context, onChange: () => mcp.isConnected() && mcp.sendResourceListChanged()})
    registerResources(mcp, context)
    registerPrompts(mcp, context)
  }
  mcp.server.onerror = (error) => options.logger.warn(`protocol: ${withoutMessageText(error.message)}`)
  return mcp
}
