/**
 * The real MCP server (src/mcp) over a core harness, connected to the real SDK client through an
 * in-memory transport pair: protocol, schemas and validation exactly as a client sees them.
 */
import {Client} from '@modelcontextprotocol/sdk/client/index.js'
import {InMemoryTransport} from '@modelcontextprotocol/sdk/inMemory.js'
import type {CallToolResult} from '@modelcontextprotocol/sdk/types.js'
import path from 'node:path'

import type {SecurityLevel} from '../../src/core/pipeline/operation.js'
import {type ServerLogger, createServerLogger} from '../../src/mcp/log.js'
import {createMcpServer} from '../../src/mcp/server.js'
import {type Harness, createHarness} from './core-harness.js'

export interface McpHarness extends Harness {
  client: Client
  logger: ServerLogger
  /** Everything the server logged (it would go to stderr). */
  logged: string[]
  call(name: string, args?: Record<string, unknown>): Promise<CallToolResult>
  close(): Promise<void>
}

export async function connectInMemory(options: {clearance?: SecurityLevel; harness?: Harness} = {}): Promise<McpHarness> {
  const harness = options.harness ?? (await createHarness())
  const logged: string[] = []
  const logger = createServerLogger({logDir: path.join(harness.home, 'logs'), stderr: {write: (text: string) => logged.push(text)}})
  const server = createMcpServer({core: harness.core, clearance: options.clearance ?? 'HIGH', logger, version: '0.0.0-test'})
  const client = new Client({name: 'ccmcp-test', version: '1.0.0'})
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair()
  await Promise.all([server.connect(serverSide), client.connect(clientSide)])
  // Listing first makes the client cache output schemas, so every call below is validated.
  await client.listTools()
  return {
    ...harness,
    client,
    logger,
    logged,
    call: async (name, args = {}) => (await client.callTool({name, arguments: args})) as CallToolResult,
    async close() {
      await client.close()
      await server.close()
      await harness.cleanup()
    },
  }
}

/** The text of a result's first content block. */
export function textOf(result: CallToolResult): string {
  const first = result.content[0]
  return first?.type === 'text' ? first.text : ''
}

export function errorCodeOf(result: CallToolResult): string | undefined {
  return (result._meta?.['ccmcp/error'] as {code?: string} | undefined)?.code
}
