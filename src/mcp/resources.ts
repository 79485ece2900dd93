/**
 * Resources: a session's status (`ccmcp://sessions/{name}`, JSON) and an agent's screen
 * (`ccmcp://agents/{session}/{agent}/screen`, text), as templates read through the same
 * operations as the tools, under the same security level.
 */
import {type McpServer, ResourceTemplate} from '@modelcontextprotocol/sdk/server/mcp.js'
import {ErrorCode, McpError} from '@modelcontextprotocol/sdk/types.js'

import type {Caller} from '../core/pipeline/caller.js'
import type {Core, InputOf, OutputOf} from '../core/pipeline/core.js'
import {toCcmcpError} from '../core/domain/errors.js'
import type {OperationName} from '../core/pipeline/registry.js'
import type {SecurityLevel} from '../core/pipeline/operation.js'
import type {ServerLogger} from './log.js'
import {errorText} from './tools.js'

export interface ResourceContext {
  core: Core
  clearance: SecurityLevel
  caller: Caller
  logger: ServerLogger
}

// 2025-11-25: a resource that does not exist is -32002.
const RESOURCE_NOT_FOUND = -32002

export function registerResources(mcp: McpServer, context: ResourceContext): void {
  const run = cleared(context)
  const sessionNames = async () => (await run('list_sessions', {})).sessions.map((session) => session.name)

  mcp.registerResource(
    'session-status',
    new ResourceTemplate('ccmcp://sessions/{name}', {
      list: async () => ({
        resources: (await run('list_sessions', {})).sessions.map((session) => ({
          uri: `ccmcp://sessions/${session.name}`,
          name: session.name,
          title: `Session ${session.name}`,
          description: `${session.agents} agents working in ${session.root}`,
          mimeType: 'application/json',
        })),
      }),
      complete: {name: (value) => startingWith(sessionNames(), value)},
    }),
    {title: 'Session status', description: 'A session and the live status of each of its agents (as get_session_status returns it).', mimeType: 'application/json'},
    async (uri, variables) => {
      const status = await readAs(run('get_session_status', {name: variable(variables.name)}))
      return {contents: [{uri: uri.href, mimeType: 'application/json', text: JSON.stringify(status, null, 2)}]}
    },
  )

  mcp.registerResource(
    'agent-screen',
    new ResourceTemplate('ccmcp://agents/{session}/{agent}/screen', {
      list: async () => {
        // A missing backend must not make the whole resource list fail.
        const agents = await run('list_agents', {}).then((result) => result.agents, (error: unknown) => {
          context.logger.warn(`listing agent screens: ${toCcmcpError(error).message}`)
          return []
        })
        return {
          resources: agents
            .filter((agent) => agent.tab !== null)
            .map((agent) => ({
              uri: `ccmcp://agents/${agent.session}/${agent.name}/screen`,
              name: `${agent.session}/${agent.name}`,
              title: `Screen of ${agent.name} (${agent.session})`,
              description: `Last lines of the terminal tab of ${agent.session}/${agent.name} (status ${agent.status})`,
              mimeType: 'text/plain',
            })),
        }
      },
      complete: {
        session: (value) => startingWith(sessionNames(), value),
        agent: async (value, completion) => {
          const session = completion?.arguments?.session
          const agents = (await run('list_agents', session ? {session} : {})).agents
          return startingWith(Promise.resolve(agents.map((agent) => agent.name)), value)
        },
      },
    }),
    {title: "Agent's screen", description: "The last lines of an agent's terminal tab (as read_agent_screen returns them).", mimeType: 'text/plain'},
    async (uri, variables) => {
      const agent = `${variable(variables.session)}/${variable(variables.agent)}`
      const {screen} = await readAs(run('read_agent_screen', {agent}))
      return {contents: [{uri: uri.href, mimeType: 'text/plain', text: screen}]}
    },
  )
}

/** Runs an operation the way a tool call would, as the server's caller (core refuses what its clearance does not allow). */
export function cleared(context: {core: Core; caller: Caller}) {
  return async <N extends OperationName>(name: N, input: InputOf<N>): Promise<OutputOf<N>> => context.core.run(name, input, {caller: context.caller})
}

/** Resource reads fail as JSON-RPC errors; the message keeps the CLI's error code. */
async function readAs<T>(pending: Promise<T>): Promise<T> {
  try {
    return await pending
  } catch (error) {
    const failure = toCcmcpError(error)
    const code = failure.code === 'NOT_FOUND' ? RESOURCE_NOT_FOUND : failure.code === 'UNEXPECTED' ? ErrorCode.InternalError : ErrorCode.InvalidParams
    throw new McpError(code, errorText(failure), {code: failure.code})
  }
}

function variable(value: string | string[] | undefined): string {
  const raw = Array.isArray(value) ? (value[0] ?? '') : (value ?? '')
  try {
    return decodeURIComponent(raw)
  } catch {
    return raw // Not valid percent-encoding: core rejects the name with a clear message.
  }
}

async function startingWith(candidates: Promise<string[]>, prefix: string): Promise<string[]> {
  return (await candidates.catch(() => [])).filter((candidate) => candidate.startsWith(prefix))
}
