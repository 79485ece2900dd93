/**
 * HTTP client sessions end: a session idle too long is closed, and at the cap a new client takes
 * the place of the one idle the longest (32 initializes without DELETE used to lock every later
 * client out with 503 until a restart). A client with an open stream (the SDK's real client) is
 * never taken. And what the server logs about refused requests: no query string, no header values,
 * bounded lines, a bounded file.
 */
import {Client} from '@modelcontextprotocol/sdk/client/index.js'
import {StreamableHTTPClientTransport} from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import {readFile, stat} from 'node:fs/promises'
import {request} from 'node:http'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'

import {type RunningHttpServer, serveHttp} from '../../src/mcp/http.js'
import {createServerLogger} from '../../src/mcp/log.js'
import {createMcpServer} from '../../src/mcp/server.js'
import {eventually} from '../helpers/cli.js'
import {type Harness, createHarness} from '../helpers/core-harness.js'

const TOKEN = 'test-token-sessions-0123'
const AUTH = {authorization: `Bearer ${TOKEN}`}
const INITIALIZE = JSON.stringify({jsonrpc: '2.0', id: 1, method: 'initialize', params: {protocolVersion: '2025-11-25', capabilities: {}, clientInfo: {name: 'raw', version: '0'}}})
const TOOLS_LIST = JSON.stringify({jsonrpc: '2.0', id: 2, method: 'tools/list'})

let harness: Harness | undefined
let running: RunningHttpServer | undefined
const clients: Client[] = []
afterEach(async () => {
  for (const client of clients.splice(0)) await client.close()
  await running?.close()
  await harness?.cleanup()
  running = undefined
  harness = undefined
})

async function start(options: {maxSessions?: number; idleTimeoutMs?: number; maxLogBytes?: number} = {}) {
  harness = await createHarness()
  const logDir = path.join(harness.home, 'logs')
  const logged: string[] = []
  const logger = createServerLogger({logDir, maxBytes: options.maxLogBytes, stderr: {write: (text: string) => logged.push(text)}})
  const core = harness.core
  running = await serveHttp({host: '127.0.0.1', port: 0, token: TOKEN, logger, ...options, newServer: () => createMcpServer({core, clearance: 'HIGH', logger, version: 'test'})})
  return {port: running.port, url: running.url, logged, logFile: path.join(logDir, 'serve.log')}
}

function post(port: number, headers: Record<string, string>, body: string, pathname = '/mcp'): Promise<{status: number; session: string | undefined}> {
  return new Promise((resolve, reject) => {
    const req = request(
      {host: '127.0.0.1', port, path: pathname, method: 'POST', headers: {'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25', ...headers}},
      (res) => {
        res.resume()
        res.on('end', () => resolve({status: res.statusCode ?? 0, session: res.headers['mcp-session-id'] as string | undefined}))
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

async function initialize(port: number): Promise<string> {
  const answer = await post(port, AUTH, INITIALIZE)
  expect(answer.status).toBe(200)
  return answer.session as string
}

const listTools = (port: number, session: string) => post(port, {...AUTH, 'mcp-session-id': session}, TOOLS_LIST)

describe('HTTP client sessions', () => {
  it('at the cap, a new initialize closes the session idle the longest instead of answering 503', async () => {
    const {port, logged} = await start({maxSessions: 2})
    const first = await initialize(port)
    const second = await initialize(port)
    expect((await listTools(port, second)).status).toBe(200) // second is now the more recent
    const third = await initialize(port)
    expect((await listTools(port, first)).status).toBe(404)
    expect((await listTools(port, second)).status).toBe(200)
    expect((await listTools(port, third)).status).toBe(200)
    // 40 more without DELETE: every one gets in.
    for (let index = 0; index < 40; index += 1) await initialize(port)
    expect(logged.join('')).toMatch(/session \S+ closed to make room/)
  })

  it('closes a session idle for idleTimeoutMs; its client gets 404 and may initialize again', async () => {
    const {port, logged} = await start({idleTimeoutMs: 300})
    const session = await initialize(port)
    await eventually(async () => (logged.join('').includes(`session ${session} expired`) ? true : undefined))
    expect((await listTools(port, session)).status).toBe(404)
    expect((await listTools(port, await initialize(port))).status).toBe(200)
  })

  it('never takes the session of a client with an open stream (the SDK client), neither when idle nor for a newcomer', async () => {
    const {port, url, logged} = await start({maxSessions: 2, idleTimeoutMs: 2000})
    let streamOpen = false
    const watchingFetch: typeof fetch = async (input, init) => {
      const response = await fetch(input, init)
      if (init?.method === 'GET' && response.status === 200) streamOpen = true
      return response
    }
    const client = new Client({name: 'http-test', version: '1.0.0'})
    const transport = new StreamableHTTPClientTransport(new URL(url), {requestInit: {headers: AUTH}, fetch: watchingFetch})
    await client.connect(transport)
    clients.push(client)
    await eventually(async () => (streamOpen ? true : undefined))
    // A raw session beside it expires; the client, with its GET stream open, does not.
    const raw = await initialize(port)
    await eventually(async () => (logged.join('').includes(`session ${raw} expired`) ? true : undefined))
    // Newcomers take each other's places, never the client's.
    for (let index = 0; index < 5; index += 1) await initialize(port)
    expect(logged.join('')).not.toMatch(new RegExp(`session ${transport.sessionId} (expired|closed)`))
    expect((await client.listTools()).tools.length).toBeGreaterThan(0)
  })
})

describe('serve.log for refused requests', () => {
  it('holds no query string and no header value, one short line per request, and stays under its cap', async () => {
    const {port, logFile} = await start({maxLogBytes: 20_000})
    const secret = 'QUERYSECRET0123456789'
    const origin = `http://${'o'.repeat(8000)}.example`
    for (let index = 0; index < 300; index += 1) {
      expect((await post(port, {origin}, INITIALIZE, `/mcp?token=${secret}`)).status).toBe(403)
      expect((await post(port, {}, INITIALIZE, `/mcp?access_token=${secret}`)).status).toBe(401)
    }
    const log = await readFile(logFile, 'utf8')
    const rotated = await readFile(`${logFile}.1`, 'utf8')
    for (const text of [log, rotated]) {
      expect(text).not.toContain(secret)
      expect(text).not.toContain('oooooooooo')
      for (const line of text.split('\n')) expect(line.length).toBeLessThan(300)
    }
    expect((await stat(logFile)).size).toBeLessThanOrEqual(20_000)
    expect((await stat(logFile)).mode & 0o777).toBe(0o600)
  })
})
