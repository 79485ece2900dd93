/**
 * Issue 12 item 1: per-client tokens for `ccmcp serve --http`, over real HTTP with the SDK client
 * against the built binary. `token create` prints a token once and keeps only its digest (0600);
 * a client acts at its token's level and only in its sessions; a revoked token is refused at its
 * next request; the server's own token (CCMCP_TOKEN) keeps working at the server's level.
 */
import {Client} from '@modelcontextprotocol/sdk/client/index.js'
import {StreamableHTTPClientTransport} from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import type {CallToolResult} from '@modelcontextprotocol/sdk/types.js'
import {type ChildProcess, spawn} from 'node:child_process'
import {mkdtemp, readFile, rm, stat} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {EXIT_CODES} from '../../src/core/domain/errors.js'
import {type Sandbox, binPath, createSandbox, eventually} from '../helpers/cli.js'
import {serverEnv} from '../helpers/serve.js'
import {errorCodeOf, textOf} from '../helpers/mcp.js'

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

const SERVER_TOKEN = `server-${'x'.repeat(32)}`
let box: Sandbox
let otherRoot: string
let child: ChildProcess
let url: string
const clients: Client[] = []

beforeAll(async () => {
  box = await createSandbox()
  otherRoot = await mkdtemp(path.join(os.tmpdir(), 'ccro-'))
  expect((await box.run(['session', 'create', 'alpha', '--root', box.root])).exitCode).toBe(0)
  expect((await box.run(['session', 'create', 'beta', '--root', otherRoot])).exitCode).toBe(0)
  // No token on an argv: the server's own comes from the environment.
  child = spawn(process.execPath, [binPath, 'serve', '--transport', 'http', '--port', '0', '--security-level', 'HIGH'], {env: serverEnv(box, {CCMCP_TOKEN: SERVER_TOKEN})})
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
  url = await eventually(async () => /serving \d+ tools on (http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(stderr)?.[1], 30_000)
}, 120_000)
afterAll(async () => {
  for (const client of clients.splice(0)) await client.close().catch(() => undefined)
  const exited = new Promise((resolve) => child?.once('exit', resolve))
  child?.kill('SIGTERM')
  await exited
  await box?.cleanup()
  await rm(otherRoot, {recursive: true, force: true})
})

async function connect(token: string): Promise<Client> {
  const client = new Client({name: 'token-test', version: '1.0.0'})
  await client.connect(new StreamableHTTPClientTransport(new URL(url), {requestInit: {headers: {authorization: `Bearer ${token}`}}}))
  clients.push(client)
  return client
}

const call = async (client: Client, name: string, args: Record<string, unknown> = {}) => (await client.callTool({name, arguments: args})) as CallToolResult

async function createToken(args: string[]): Promise<string> {
  const result = await box.run(['token', 'create', ...args])
  expect(result.exitCode, result.stderr).toBe(0)
  expect(result.stderr).toMatch(/shown only now/)
  return result.stdout.trim()
}

describe('per-client HTTP tokens (built binary, real HTTP)', () => {
  it('create prints the token once, keeps only its digest in a 0600 file, and list never shows it', async () => {
    const token = await createToken(['--level', 'LOW', '--name', 'reader'])
    expect(token).toMatch(/^ccmcp_[\w-]{43}$/)
    const file = path.join(box.home, 'tokens.json')
    expect((await stat(file)).mode & 0o777).toBe(0o600)
    expect(await readFile(file, 'utf8')).not.toContain(token.slice('ccmcp_'.length))
    const listed = await box.run(['token', 'list', '--json'])
    expect((listed.json as Json).tokens).toMatchObject([{name: 'reader', level: 'LOW', sessions: null}])
    expect(listed.stdout).not.toContain(token)
    expect((await box.run(['token', 'create', '--level', 'LOW', '--name', 'reader'])).exitCode).toBe(EXIT_CODES.ALREADY_EXISTS)
  })

  it('a session-scoped MEDIUM token lists MEDIUM tools, reaches only its session, and runs no program', async () => {
    const client = await connect(await createToken(['--level', 'MEDIUM', '--session', 'alpha', '--name', 'ci']))
    const tools = (await client.listTools()).tools.map((tool) => tool.name)
    expect(tools).toContain('create_agent')
    expect(tools).not.toContain('delete_session')
    expect((await call(client, 'get_session_status', {name: 'alpha'})).isError).toBeFalsy()
    for (const [name, args] of [
      ['list_sessions', {}],
      ['get_session_status', {name: 'beta'}],
      ['create_agent', {session: 'beta', command: 'sleep 60'}],
      ['create_agent', {session: 'alpha', command: 'sleep 60'}],
      ['create_session', {name: 'gamma', root: box.root}],
    ] as const) {
      const result = await call(client, name, args)
      expect(errorCodeOf(result), `${name} ${JSON.stringify(args)}: ${textOf(result)}`).toBe('FORBIDDEN')
      expect(textOf(result)).toMatch(/Hint: /)
    }
    const sessions = ((await box.run(['session', 'status', 'beta', '--json'])).json as Json).agents
    expect(sessions).toEqual([])
  })

  it('a LOW token only reads; the server token keeps the server level over every session', async () => {
    const reader = await connect(await createToken(['--level', 'LOW', '--name', 'low-reader']))
    expect((await call(reader, 'list_sessions')).isError).toBeFalsy()
    expect(errorCodeOf(await call(reader, 'create_session', {name: 'gamma', root: box.root}))).toBe('FORBIDDEN')
    const server = await connect(SERVER_TOKEN)
    expect((await call(server, 'list_sessions')).structuredContent).toMatchObject({sessions: [{name: 'alpha'}, {name: 'beta'}]})
    expect((await server.listTools()).tools.map((tool) => tool.name)).toContain('delete_session')
  })

  it('a revoked token is refused at its next request, a wrong one at its first', async () => {
    const client = await connect(await createToken(['--level', 'HIGH', '--name', 'leaving']))
    expect((await call(client, 'list_sessions')).isError).toBeFalsy()
    const revoked = await box.run(['token', 'revoke', 'leaving', '--json'])
    expect(revoked.exitCode).toBe(0)
    await expect(call(client, 'list_sessions')).rejects.toThrow(/401|bearer token/)
    await expect(connect('ccmcp_not-a-token')).rejects.toMatchObject({code: 401})
    expect((await box.run(['token', 'revoke', 'leaving'])).exitCode).toBe(EXIT_CODES.NOT_FOUND)
  })

  it('token commands are the operator\'s only: not MCP tools, refused to an agent', async () => {
    const server = await connect(SERVER_TOKEN)
    const tools = (await server.listTools()).tools.map((tool) => tool.name)
    expect(tools.filter((name) => name.includes('token'))).toEqual([])
    const asAgent = await box.run(['token', 'list', '--json'], {env: {CCMCP_SESSION: 'alpha', CCMCP_AGENT: 'Agent_1', CCMCP_LAUNCH_ID: 'x', CCMCP_AGENT_SECRET: 'y'}})
    expect(asAgent.exitCode).toBe(EXIT_CODES.FORBIDDEN)
  })
})
