/**
 * MCP tools as a view of the operation registry: each `mcp: true` operation within the server's
 * security level becomes one tool (name, title, description, JSON Schemas from its zod input and
 * output, annotations from its own). Calls go through core as this server's caller; core refuses
 * what the caller's clearance does not allow and validates once. Failures come back as isError
 * results whose text starts with the same error code the CLI prints, hints worded for MCP.
 */
import type {McpServer} from '@modelcontextprotocol/sdk/server/mcp.js'
import {
  CallToolRequestSchema,
  type CallToolResult,
  ErrorCode,
  ListToolsRequestSchema,
  McpError,
  type ProgressToken,
  type ServerNotification,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js'
import * as z from 'zod'

import type {Caller} from '../core/pipeline/caller.js'
import {isCleared} from '../core/pipeline/clearance.js'
import {type ToolProfile, type ToolView, toolViews, viewArgs} from '../core/pipeline/tool-profiles.js'
import type {Core} from '../core/pipeline/core.js'
import {type CcmcpError, toCcmcpError} from '../core/domain/errors.js'
import type {Operation, SecurityLevel} from '../core/pipeline/operation.js'
import type {ServerLogger} from './log.js'

export interface ToolContext {
  core: Core
  clearance: SecurityLevel
  /** Who this server's clients act as (an MCP client at `clearance`, or the agent the server runs in). */
  caller: Caller
  logger: ServerLogger
  /** Called after a tool that changes state succeeded (resource lists may have changed). */
  onChange?: () => void
  /** Which tools: every operation (default), or the agent's set (`serve --agent`). */
  profile?: ToolProfile
}

type JsonObjectSchema = Tool['inputSchema']

export function toolDefinition(operation: Operation, view: Pick<ToolView, 'name' | 'input'> = {name: operation.name, input: operation.input}): Tool {
  return {
    name: view.name,
    title: operation.title,
    description: operation.description,
    inputSchema: z.toJSONSchema(view.input, {target: 'draft-7', io: 'input'}) as JsonObjectSchema,
    outputSchema: z.toJSONSchema(operation.output, {target: 'draft-7', io: 'output'}) as JsonObjectSchema,
    annotations: {
      title: operation.title,
      readOnlyHint: operation.annotations.readOnly,
      destructiveHint: operation.annotations.destructive,
      idempotentHint: operation.annotations.idempotent,
      // Every tool acts on this machine's terminals and files only.
      openWorldHint: false,
    },
    _meta: {'ccmcp/level': operation.level},
  }
}

/** structuredContent is the operation's output; the text block carries the same JSON. */
export function successResult(output: unknown): CallToolResult {
  // Core returns the output parsed by the operation's declared schema, so clients that validate
  // structuredContent against outputSchema always accept it.
  const structured = output as Record<string, unknown>
  // Compact: the same JSON in about two thirds of the bytes, which a long agent list pays on every pipe hop.
  return {content: [{type: 'text', text: JSON.stringify(structured)}], structuredContent: structured}
}

export function errorResult(error: CcmcpError): CallToolResult {
  return {
    content: [{type: 'text', text: errorText(error)}],
    isError: true,
    _meta: {'ccmcp/error': {code: error.code, exitCode: error.exitCode, hint: error.hintFor('mcp') ?? null, ...(error.reason ? {reason: error.reason} : {}), ...(error.details ? {details: error.details} : {})}},
  }
}

/** `CODE: message` and the hint (in MCP terms: tools and arguments) on its own line, in one block. */
export function errorText(error: CcmcpError): string {
  const hint = error.hintFor('mcp')
  return `${error.code}: ${error.message}${hint ? `\nHint: ${hint}` : ''}`
}

export function registerTools(mcp: McpServer, context: ToolContext): void {
  const offered = new Map(toolViews(context.profile ?? 'operator').map((view) => [view.name, view]))
  mcp.server.registerCapabilities({tools: {listChanged: false}})
  const listed = [...offered.values()].filter((view) => isCleared(view.operation, context.clearance)).map((view) => toolDefinition(view.operation, view))
  mcp.server.setRequestHandler(ListToolsRequestSchema, () => ({tools: listed}))
  mcp.server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const view = offered.get(request.params.name)
    // An unknown tool is a protocol error (spec: tools/call), not a tool result.
    if (!view) throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${request.params.name}`)
    return callTool(view.operation, viewArgs(view, request.params.arguments), context, progressReporter(request.params._meta?.progressToken, extra.sendNotification))
  })
}

type SendNotification = (notification: ServerNotification) => Promise<void>

/**
 * Core's progress messages as `notifications/progress`, when the client asked for them (it sent
 * a progressToken): each one resets the client's timeout while an agent is waited for.
 */
export function progressReporter(token: ProgressToken | undefined, send: SendNotification): ((message: string) => void) | undefined {
  if (token === undefined) return undefined
  let progress = 0
  return (message) => void send({method: 'notifications/progress', params: {progressToken: token, progress: ++progress, message}}).catch(() => undefined)
}

async function callTool(operation: Operation, args: unknown, context: ToolContext, progress?: (message: string) => void): Promise<CallToolResult> {
  const started = Date.now()
  const took = () => `in ${Date.now() - started} ms`
  try {
    const result = successResult(await context.core.runUnknown(operation.name, args ?? {}, {caller: context.caller, progress}))
    context.logger.info(`tool ${operation.name} ok ${took()}`)
    if (!operation.annotations.readOnly) context.onChange?.()
    return result
  } catch (error) {
    const failure = toCcmcpError(error)
    context.logger.info(`tool ${operation.name} failed ${failure.code} ${took()}`)
    if (failure.code === 'UNEXPECTED') context.logger.error(String((failure.cause as Error | undefined)?.stack ?? failure.message))
    return errorResult(failure)
  }
}
