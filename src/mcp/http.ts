/**
 * Streamable HTTP for local tooling (Claude Desktop itself only runs stdio servers): one endpoint,
 * /mcp, bound to 127.0.0.1 by default, every request checked by the guard first. Each client
 * session gets its own MCP server over the shared core. Sessions are bounded: one idle for
 * idleTimeoutMs is closed, and at the cap a new client takes the place of the session idle the
 * longest (a client that never sends DELETE must not lock every later one out). A session with
 * a request in flight (a call, an open stream) is never taken.
 */
import {randomUUID} from 'node:crypto'
import {type IncomingMessage, type ServerResponse, createServer} from 'node:http'
import type {AddressInfo} from 'node:net'

import type {McpServer} from '@modelcontextprotocol/sdk/server/mcp.js'
import {StreamableHTTPServerTransport} from '@modelcontextprotocol/sdk/server/streamableHttp.js'

import {CcmcpError} from '../core/domain/errors.js'
import {type GuardPolicy, WRONG_TOKEN, bearerOf, checkPlace, guardPolicy, sameSecret} from './http-guard.js'
import type {ServerLogger} from './log.js'
import type {RunningServer} from './stdio.js'

export interface HttpServerOptions {
  host: string
  /** 0 picks a free port. */
  port: number
  /** The server's own bearer token (--token / CCMCP_TOKEN, or generated). */
  token: string
  /**
   * Who holds a bearer token: the server's own, a client token, or nobody (null: 401). Asked on
   * every request, so a revoked token is refused at its next one. Default: the server's token only.
   */
  authenticate?: (bearer: string) => Promise<HttpClient | null>
  newServer: (client: HttpClient) => McpServer
  logger: ServerLogger
  maxSessions?: number
  /** A session with no request for this long is closed (default 30 min). */
  idleTimeoutMs?: number
}

export interface RunningHttpServer extends RunningServer {
  url: string
  port: number
}

/** An authenticated HTTP client; `key` tells tokens apart (a session answers only the token that opened it). */
export interface HttpClient {
  key: string
}

interface ClientSession {
  client: HttpClient
  transport: StreamableHTTPServerTransport
  mcp: McpServer
  /** Requests (and streams) still open. */
  inFlight: number
  lastActive: number
}

const ENDPOINT = '/mcp'
export const DEFAULT_IDLE_TIMEOUT_MS = 30 * 60_000

export async function serveHttp(options: HttpServerOptions): Promise<RunningHttpServer> {
  const {logger} = options
  const maxSessions = options.maxSessions ?? 32
  const idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS
  const sessions = new Map<string, ClientSession>()
  const authenticate = options.authenticate ?? (async (bearer: string) => (sameSecret(bearer, options.token) ? {key: 'server'} : null))

  async function closeSession(id: string, why: string): Promise<void> {
    const session = sessions.get(id)
    if (!session) return
    sessions.delete(id)
    logger.info(`http: session ${id} ${why}`)
    await session.mcp.close().catch(() => undefined)
  }

  /** The session idle the longest, if any is idle at all. */
  function longestIdle(): [string, ClientSession] | undefined {
    return [...sessions].filter(([, session]) => session.inFlight === 0).sort(([, a], [, b]) => a.lastActive - b.lastActive)[0]
  }

  function track(session: ClientSession, response: ServerResponse): void {
    session.inFlight += 1
    session.lastActive = Date.now()
    response.once('close', () => {
      session.inFlight -= 1
      session.lastActive = Date.now()
    })
  }

  const sweeper = setInterval(() => {
    for (const [id, session] of sessions) {
      const idle = Date.now() - session.lastActive
      if (session.inFlight === 0 && idle >= idleTimeoutMs) void closeSession(id, `expired (idle ${Math.round(idle / 1000)} s)`)
    }
  }, Math.max(50, Math.min(60_000, Math.floor(idleTimeoutMs / 4))))
  sweeper.unref()

  async function handle(request: IncomingMessage, response: ServerResponse, policy: GuardPolicy): Promise<void> {
    const bearer = bearerOf(request.headers)
    const place = checkPlace(request.headers, policy)
    const client = place || !bearer ? null : await authenticate(bearer)
    if (!client) {
      const refusal = place ?? WRONG_TOKEN
      // Never the URL's query (a token put there by mistake) nor header values: status and reason.
      logger.warn(`http: refused ${request.method} ${pathOf(request)} (${refusal.status} ${refusal.reason})`)
      const challenge: Record<string, string> = refusal.status === 401 ? {'www-authenticate': 'Bearer realm="ccmcp"'} : {}
      return sendError(response, refusal.status, refusal.message, challenge)
    }
    if (pathOf(request) !== ENDPOINT) return sendError(response, 404, `The MCP endpoint is ${ENDPOINT}`)
    const sessionId = request.headers['mcp-session-id']
    if (typeof sessionId === 'string') {
      const session = sessions.get(sessionId)
      // Another token's session is as good as unknown: its id proves nothing.
      if (!session || session.client.key !== client.key) return sendError(response, 404, 'Unknown, expired or closed session; initialize a new one')
      track(session, response)
      return session.transport.handleRequest(request, response)
    }
    if (sessions.size >= maxSessions) {
      const oldest = longestIdle()
      if (!oldest) return sendError(response, 503, `Too many sessions (${maxSessions}), all busy; retry when one is done`)
      await closeSession(oldest[0], `closed to make room (idle ${Math.round((Date.now() - oldest[1].lastActive) / 1000)} s, the longest of ${maxSessions})`)
    }
    const mcp = options.newServer(client)
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: randomUUID,
      enableJsonResponse: true,
      onsessioninitialized: (id) => {
        sessions.set(id, {client, transport, mcp, inFlight: 0, lastActive: Date.now()})
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
    clearInterval(sweeper)
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
    clearInterval(sweeper)
    for (const session of sessions.values()) await session.mcp.close().catch(() => undefined)
    sessions.clear()
    http.closeAllConnections()
    await new Promise<void>((resolve) => http.close(() => resolve()))
  }
  return {url: `http://${hostInUrl}:${port}${ENDPOINT}`, port, closed, close}
}

function pathOf(request: IncomingMessage): string {
  try {
    return new URL(request.url ?? '/', 'http://localhost').pathname
  } catch {
    return '(unreadable path)'
  }
}

function sendError(response: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, {'content-type': 'application/json', ...headers})
  response.end(JSON.stringify({jsonrpc: '2.0', error: {code: -32000, message}, id: null}))
}
