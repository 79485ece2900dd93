/**
 * Streamable HTTP for local tooling (Claude Desktop itself only runs stdio servers): one endpoint,
 * /mcp, bound to 127.0.0.1 by default, every request checked by the guard first. Each client
 * session gets its own MCP server over the shared core; the number of sessions is bounded.
 */
import {randomUUID} from 'node:crypto'
import {type IncomingMessage, type ServerResponse, createServer} from 'node:http'
import type {AddressInfo} from 'node:net'

import type {McpServer} from '@modelcontextprotocol/sdk/server/mcp.js'
import {StreamableHTTPServerTransport} from '@modelcontextprotocol/sdk/server/streamableHttp.js'

import {CcmcpError} from '../core/errors.js'
import {type GuardPolicy, checkRequest, guardPolicy} from './http-guard.js'
import type {ServerLogger} from './log.js'
import type {RunningServer} from './stdio.js'

export interface HttpServerOptions {
  host: string
  /** 0 picks a free port. */
  port: number
  token: string
  newServer: () => McpServer
  logger: ServerLogger
  maxSessions?: number
}

export interface RunningHttpServer extends RunningServer {
  url: string
  port: number
}

interface ClientSession {
  transport: StreamableHTTPServerTransport
  mcp: McpServer
}

const ENDPOINT = '/mcp'

export async function serveHttp(options: HttpServerOptions): Promise<RunningHttpServer> {
  const {logger} = options
  const maxSessions = options.maxSessions ?? 32
  const sessions = new Map<string, ClientSession>()

  async function handle(request: IncomingMessage, response: ServerResponse, policy: GuardPolicy): Promise<void> {
    const refusal = checkRequest(request.headers, policy)
    if (refusal) {
      logger.warn(`http: refused ${request.method} ${request.url} (${refusal.status} ${refusal.message})`)
      const challenge: Record<string, string> = refusal.status === 401 ? {'www-authenticate': 'Bearer realm="ccmcp"'} : {}
      return sendError(response, refusal.status, refusal.message, challenge)
    }
    if (new URL(request.url ?? '/', 'http://localhost').pathname !== ENDPOINT) return sendError(response, 404, `The MCP endpoint is ${ENDPOINT}`)
    const sessionId = request.headers['mcp-session-id']
    if (typeof sessionId === 'string') {
      const session = sessions.get(sessionId)
      if (!session) return sendError(response, 404, 'Unknown or closed session; initialize a new one')
      return session.transport.handleRequest(request, response)
    }
    if (sessions.size >= maxSessions) return sendError(response, 503, `Too many sessions (${maxSessions}); close one first`)
    const mcp = options.newServer()
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: randomUUID,
      enableJsonResponse: true,
      onsessioninitialized: (id) => {
        sessions.set(id, {transport, mcp})
        logger.info(`http: session ${id} opened`)
      },
      onsessionclosed: (id) => {
        sessions.delete(id)
        logger.info(`http: session ${id} closed`)
      },
    })
    await mcp.connect(transport)
    await transport.handleRequest(request, response)
    // Anything but an initialize without a session id was refused by the transport: keep nothing.
    if (!transport.sessionId) await mcp.close()
  }

  const http = createServer()
  const closed = new Promise<void>((resolve) => http.once('close', resolve))
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject)
    http.listen(options.port, options.host, () => {
      http.off('error', reject)
      resolve()
    })
  }).catch((error: NodeJS.ErrnoException) => {
    throw new CcmcpError('INVALID_INPUT', `Cannot listen on ${options.host}:${options.port}: ${error.code ?? error.message}.`, {
      hint: error.code === 'EADDRINUSE' ? 'Pick another --port (0 picks a free one).' : 'Check --host and --port.',
    })
  })
  http.on('error', (error) => logger.error(`http: ${error.message}`))
  const port = (http.address() as AddressInfo).port
  // The guard needs the real port (with --port 0), so requests are taken only from here on.
  const policy = guardPolicy(options.host, port, options.token)
  http.on('request', (request: IncomingMessage, response: ServerResponse) => {
    handle(request, response, policy).catch((error: unknown) => {
      logger.error(`http: ${(error as Error).stack ?? String(error)}`)
      if (!response.headersSent) sendError(response, 500, 'Internal error')
      else response.end()
    })
  })
  const hostInUrl = options.host.includes(':') ? `[${options.host}]` : options.host

  async function close(): Promise<void> {
    for (const session of sessions.values()) await session.mcp.close().catch(() => undefined)
    sessions.clear()
    http.closeAllConnections()
    await new Promise<void>((resolve) => http.close(() => resolve()))
  }
  return {url: `http://${hostInUrl}:${port}${ENDPOINT}`, port, closed, close}
}

function sendError(response: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, {'content-type': 'application/json', ...headers})
  response.end(JSON.stringify({jsonrpc: '2.0', error: {code: -32000, message}, id: null}))
}
