/**
 * The BUILT `ccmcp serve` as a real client starts it: a child process spoken to over stdio by
 * the SDK's StdioClientTransport (or raw lines, for protocol abuse), in a sandbox home.
 */
import {Client} from '@modelcontextprotocol/sdk/client/index.js'
import {StdioClientTransport} from '@modelcontextprotocol/sdk/client/stdio.js'
import type {CallToolResult} from '@modelcontextprotocol/sdk/types.js'

import {type Sandbox, binPath} from './cli.js'

export interface StdioServer {
  client: Client
  /** What the server wrote to stderr so far. */
  stderr(): string
  /** Errors the client saw on the transport (e.g. a non-protocol line on stdout). */
  transportErrors: Error[]
  connectMs: number
  call(name: string, args?: Record<string, unknown>): Promise<CallToolResult>
  close(): Promise<void>
}

export function serverEnv(sandbox: Sandbox, extra: Record<string, string> = {}): Record<string, string> {
  return {PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: sandbox.home, ...sandbox.env, ...extra}
}

export async function startStdioServer(sandbox: Sandbox, args: string[] = [], env: Record<string, string> = {}): Promise<StdioServer> {
  const transport = new StdioClientTransport({command: process.execPath, args: [binPath, 'serve', ...args], env: serverEnv(sandbox, env), stderr: 'pipe'})
  let stderr = ''
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8')
  })
  const client = new Client({name: 'ccmcp-e2e', version: '1.0.0'})
  const transportErrors: Error[] = []
  client.onerror = (error) => transportErrors.push(error)
  const started = performance.now()
  await client.connect(transport)
  const connectMs = performance.now() - started
  await client.listTools()
  return {
    client,
    stderr: () => stderr,
    transportErrors,
    connectMs,
    call: async (name, callArgs = {}) => (await client.callTool({name, arguments: callArgs})) as CallToolResult,
    close: () => client.close(),
  }
}
