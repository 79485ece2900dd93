/**
 * Streamable HTTP: the SDK client with the bearer token works; without it (or with a wrong one)
 * 401; a foreign Origin or Host 403. In-process over a core harness, plus one run of the built
 * binary that generates its token and prints it (and the URL) to stderr. 127.0.0.1 only.
 */
import {Client} from '@modelcontextprotocol/sdk/client/index.js'
import {StreamableHTTPClientTransport} from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import {spawn} from 'node:child_process'
import {request} from 'node:http'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'

import {checkRequest, guardPolicy} from '../../src/mcp/http-guard.js'
import {type RunningHttpServer, serveHttp} from '../../src/mcp/http.js'
import {createServerLogger} from '../../src/mcp/log.js'
import {createMcpServer} from '../../src/mcp/server.js'
import {type Sandbox, binPath, createSandbox, eventually} from '../helpers/cli.js'
import {type Harness, createHarness} from '../helpers/core-harness.js'
import {serverEnv} from '../helpers/serve.js'

const TOKEN = 'test-token-0123456789'
const INITIALIZE = JSON.stringify({jsonrpc: '2.0', id: 1, method: 'initialize', params: {protocolVersion: '2025-11-25', capabilities: {}, clientInfo: {name: 'raw', version: '0'}}})

let harness: Harness | undefined
let running: RunningHttpServer | undefined
let sandbox: Sandbox | undefined
const clients: Client[] = []
afterEach(async () => {
  for (const client of clients.splice(0)) await client.close()
  await running?.close()
  await harness?.cleanup()
  await sandbox?.cleanup()
  running = undefined
  harness = undefined
  sandbox = undefined
})

async function startInProcess(maxSessions?: number): Promise<{url: string; port: number; logged: string[]}> {
  harness = await createHarness()
  const logged: string[] = []
  const logger = createServerLogger({logDir: path.join(harness.home, 'logs'), stderr: {write: (text: string) => logged.push(text)}})
  const core = harness.core
  running = await serveHttp({host: '127.0.0.1', port: 0, token: TOKEN, logger, maxSessions, newServer: () => createMcpServer({core, clearance: 'HIGH', logger, version: 'test'})})
  return {url: running.url, port: running.port, logged}
}

async function connect(url: string, token: string | null): Promise<Client> {
  const headers: Record<string, string> = token === null ? {} : {authorization: `Bearer ${token}`}
  const client = new Client({name: 'http-test', version: '1.0.0'})
  await client.connect(new StreamableHTTPClientTransport(new URL(url), {requestInit: {headers}}))
  clients.push(client)
  return client
}

/** A raw POST, so tests can send headers a well-behaved client never would. */
function post(port: number, headers: Record<string, string>, body = INITIALIZE, pathname = '/mcp'): Promise<{status: number; headers: Record<string, unknown>; body: string}> {
  return new Promise((resolve, reject) => {
    const req = request({host: '127.0.0.1', port, path: pathname, method: 'POST', headers: {'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers}}, (res) => {
      let text = ''
      res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')))
      res.on('end', () => resolve({status: res.statusCode ?? 0, headers: res.headers, body: text}))
    })
    req.on('error', reject)
    req.end(body)
  })
}

describe('Streamable HTTP', () => {
  it('serves the SDK client that sends the bearer token', async () => {
    const {url} = await startInProcess()
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/)
    const client = await connect(url, TOKEN)
    expect((await client.listTools()).tools.map((tool) => tool.name)).toContain('create_session')
    const created = await client.callTool({name: 'create_session', arguments: {name: 'web', root: harness?.root}})
    expect(created.structuredContent).toMatchObject({session: {name: 'web'}})
    const listed = await client.callTool({name: 'list_sessions', arguments: {}})
    expect(listed.structuredContent).toMatchObject({sessions: [{name: 'web', agents: 0}]})
  })

  it('refuses the SDK client without the token, or with a wrong one (401)', async () => {
    const {url} = await startInProcess()
    await expect(connect(url, null)).rejects.toMatchObject({code: 401, message: expect.stringMatching(/bearer token/)})
    await expect(connect(url, 'wrong-token')).rejects.toMatchObject({code: 401})
  })

  it('answers 401 with a Bearer challenge, 403 for a foreign Origin or Host, 404 off the endpoint', async () => {
    const {port, logged} = await startInProcess()
    const auth = {authorization: `Bearer ${TOKEN}`}
    const noToken = await post(port, {})
    expect(noToken.status).toBe(401)
    expect(noToken.headers['www-authenticate']).toBe('Bearer realm="ccmcp"')
    expect(JSON.parse(noToken.body).error.message).toMatch(/bearer token/)
    expect((await post(port, {...auth, origin: 'https://evil.example'})).status).toBe(403)
    // A DNS-rebinding page reaches 127.0.0.1 with its own name in Host.
    expect((await post(port, {...auth, host: `evil.example:${port}`})).status).toBe(403)
    // Origin and Host are checked before the token: a browser learns nothing about it.
    expect((await post(port, {origin: 'https://evil.example'})).status).toBe(403)
    expect((await post(port, auth, INITIALIZE, '/other')).status).toBe(404)
    const ok = await post(port, {...auth, origin: `http://localhost:${port}`, host: `localhost:${port}`})
    expect(ok.status).toBe(200)
    expect(ok.headers['mcp-session-id']).toEqual(expect.any(String))
    expect(logged.join('')).toMatch(/refused POST \/mcp \(403 foreign Origin\)/)
  })

  it('keeps a session only for an initialize, and rejects an unknown session id', async () => {
    const {port} = await startInProcess()
    const auth = {authorization: `Bearer ${TOKEN}`}
    const notInit = await post(port, auth, JSON.stringify({jsonrpc: '2.0', id: 1, method: 'tools/list'}))
    expect(notInit.status).toBe(400)
    expect((await post(port, {...auth, 'mcp-session-id': 'made-up'}, JSON.stringify({jsonrpc: '2.0', id: 1, method: 'tools/list'}))).status).toBe(404)
  })

  it('bounds the number of client sessions, and frees one when its client closes', async () => {
    const {url} = await startInProcess(1)
    const first = await connect(url, TOKEN)
    await expect(connect(url, TOKEN)).rejects.toMatchObject({code: 503})
    await (first.transport as StreamableHTTPClientTransport).terminateSession()
    await first.close()
    const second = await connect(url, TOKEN)
    expect((await second.listTools()).tools.length).toBeGreaterThan(0)
  })

  it('checks Host and Origin against the bound address and the loopback names', () => {
    const policy = guardPolicy('127.0.0.1', 8000, 'secret')
    const headers = (extra: Record<string, string>) => ({host: '127.0.0.1:8000', authorization: 'Bearer secret', ...extra})
    expect(checkRequest(headers({}), policy)).toBeNull()
    expect(checkRequest(headers({host: 'localhost:8000', origin: 'http://localhost:8000'}), policy)).toBeNull()
    expect(checkRequest(headers({host: '[::1]:8000'}), policy)).toBeNull()
    expect(checkRequest(headers({host: '127.0.0.1:8001'}), policy)?.status).toBe(403)
    expect(checkRequest(headers({origin: 'http://127.0.0.1:9999'}), policy)?.status).toBe(403)
    expect(checkRequest(headers({origin: 'null'}), policy)?.status).toBe(403)
    expect(checkRequest(headers({authorization: 'Bearer secret2'}), policy)?.status).toBe(401)
    expect(checkRequest(headers({authorization: 'Basic secret'}), policy)?.status).toBe(401)
  })

  it('the built binary generates a token, prints it and the URL to stderr, and serves with it', async () => {
    sandbox = await createSandbox()
    const child = spawn(process.execPath, [binPath, 'serve', '--transport', 'http', '--port', '0'], {env: serverEnv(sandbox)})
    let stderr = ''
    let stdout = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')))
    try {
      const url = await eventually(async () => /serving \d+ tools on (http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(stderr)?.[1])
      const token = /bearer token for this server[^:]*: (\S+)/.exec(stderr)?.[1]
      expect(token).toMatch(/^[\w-]{32}$/)
      await expect(connect(url, null)).rejects.toMatchObject({code: 401, message: expect.stringMatching(/bearer token/)})
      const client = await connect(url, token ?? '')
      expect((await client.callTool({name: 'list_sessions', arguments: {}})).structuredContent).toEqual({sessions: []})
      expect(stdout).toBe('')
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      expect(await exited).toBe(0)
    }
  })
})
