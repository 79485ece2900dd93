/**
 * The stdio transport (what Claude Desktop and Claude Code use): JSON-RPC lines on stdin and
 * stdout. Resolves when the client goes away (stdin closes) or the server is closed.
 */
import type {McpServer} from '@modelcontextprotocol/sdk/server/mcp.js'

import type {ServerLogger} from './log.js'
import {LineTransport} from './stdio-transport.js'

export interface RunningServer {
  /** Settles when the server has stopped. */
  closed: Promise<void>
  close(): Promise<void>
}

export async function serveStdio(mcp: McpServer, logger?: ServerLogger): Promise<RunningServer> {
  const closed = new Promise<void>((resolve) => {
    mcp.server.onclose = resolve
  })
  await mcp.connect(new LineTransport({warn: (message) => logger?.warn(message)}))
  // End of input is how a stdio client says goodbye.
  process.stdin.once('end', () => void mcp.close())
  return {closed, close: () => mcp.close()}
}
