/**
 * End to end over stdio with the built binary, as Claude Desktop runs it: a session and a real
 * (fake-agent) tab on a private tmux server, a message typed into it, the status read back as
 * structuredContent, the session deleted. Plus the security level and protocol abuse.
 */
import {Client} from '@modelcontextprotocol/sdk/client/index.js'
import {StdioClientTransport} from '@modelcontextprotocol/sdk/client/stdio.js'
import {type ChildProcessWithoutNullStreams, spawn} from 'node:child_process'
import {readFile} from 'node:fs/promises'
import path from 'node:path'
import {createInterface} from 'node:readline'
import {afterEach, describe, expect, it} from 'vitest'

import {type Sandbox, binPath, createSandbox, eventually} from '../helpers/cli.js'
import {errorCodeOf, textOf} from '../helpers/mcp.js'
import {type StdioServer, serverEnv, startStdioServer} from '../helpers/serve.js'

const SEED_TOOLS = ['create_agent', 'delete_agent', 'create_session', 'get_session_status', 'delete_session', 'send_message_to_agent', 'clear_agent_conversation', 'start_new_agent_conversation']

let sandbox: Sandbox | undefined
let server: StdioServer | undefined
afterEach(async () => {
  await server?.close()
  await sandbox?.cleanup()
  server = undefined
  sandbox = undefined
})

interface AgentView {
  name: string
  status: string
  lastReply: string | null
}

describe('ccmcp serve over stdio (built binary, SDK client)', () => {
  it('creates a session and an agent, sends a message, reads status as structuredContent, deletes the session', async () => {
    sandbox = await createSandbox()
    server = await startStdioServer(sandbox)
    const s = server
    process.stderr.write(`stdio connect (spawn + initialize): ${s.connectMs.toFixed(0)} ms\n`)
    expect(s.connectMs).toBeLessThan(10_000)

    const names = (await s.client.listTools()).tools.map((tool) => tool.name)
    expect(names).toEqual(expect.arrayContaining([...SEED_TOOLS, 'list_sessions', 'list_agents', 'read_agent_screen']))

    const created = await s.call('create_session', {name: 'e2e', root: sandbox.root})
    expect(created.structuredContent).toMatchObject({session: {name: 'e2e', backend: 'tmux'}})
    const agent = await s.call('create_agent', {session: 'e2e', command: sandbox.fakeAgentCommand()})
    expect(agent.isError, textOf(agent)).toBeFalsy()
    expect(agent.structuredContent).toMatchObject({agent: {name: 'Agent_1', kind: 'command'}})

    const statusOf = async () => ((await s.call('get_session_status', {name: 'e2e'})).structuredContent as {agents: AgentView[]}).agents[0]
    await eventually(async () => ((await statusOf())?.status === 'idle' ? true : undefined))
    const sent = await s.call('send_message_to_agent', {agent: 'e2e/Agent_1', message: 'hello from MCP'})
    // Delivered = the agent's own hook confirmed the prompt arrived.
    expect(sent.structuredContent).toMatchObject({delivery: 'delivered'})
    const replied = await eventually(async () => {
      const current = await statusOf()
      return current?.lastReply === 'echo: hello from MCP' ? current : undefined
    })
    expect(replied.status).toBe('idle')
    const prompts = await readFile(path.join(sandbox.records, 'Agent_1.prompts.jsonl'), 'utf8')
    expect(prompts.trim().split('\n').map((line) => JSON.parse(line).prompt)).toEqual(['hello from MCP'])

    const deleted = await s.call('delete_session', {name: 'e2e'})
    expect(deleted.structuredContent).toEqual({deleted: {session: 'e2e', agents: ['Agent_1']}})
    expect((await sandbox.tmux(['list-windows', '-a'])).stdout).toBe('')
    expect((await s.call('list_sessions')).structuredContent).toEqual({sessions: []})

    expect(s.transportErrors).toEqual([])
    const log = await readFile(path.join(sandbox.home, 'logs', 'serve.log'), 'utf8')
    expect(log).toMatch(/serving \d+ tools on stdio at security level HIGH/)
    expect(log).toMatch(/tool delete_session ok/)
    expect(s.stderr()).toMatch(/tool send_message_to_agent ok/)
  })

  it('with --security-level LOW lists only read-only tools and refuses a HIGH call', async () => {
    sandbox = await createSandbox()
    server = await startStdioServer(sandbox, ['--security-level', 'LOW', '--log-dir', path.join(sandbox.home, 'elsewhere')])
    const {tools} = await server.client.listTools()
    expect(tools.length).toBeGreaterThan(0)
    expect(tools.filter((tool) => tool.annotations?.readOnlyHint !== true)).toEqual([])
    const refused = await server.call('delete_session', {name: 'anything'})
    expect(refused.isError).toBe(true)
    expect(errorCodeOf(refused)).toBe('FORBIDDEN')
    expect(textOf(refused)).toMatch(/^FORBIDDEN: delete_session is a HIGH-level operation/)
    expect(await readFile(path.join(sandbox.home, 'elsewhere', 'serve.log'), 'utf8')).toContain('tool delete_session failed FORBIDDEN')
  })

  it('starts a working server from the entry `install claude-desktop --print` gives, in a minimal environment', async () => {
    sandbox = await createSandbox()
    const printed = await sandbox.run(['install', 'claude-desktop', '--print', '--security-level', 'MEDIUM'])
    const entry = JSON.parse(printed.stdout).mcpServers.ccmcp as {command: string; args: string[]}
    // Claude Desktop spawns command + args with little more than HOME and a short PATH.
    const client = new Client({name: 'desktop-like', version: '1.0.0'})
    await client.connect(new StdioClientTransport({command: entry.command, args: entry.args, env: {HOME: sandbox.home, PATH: '/usr/bin:/bin', CCMCP_HOME: sandbox.home}}))
    try {
      const names = (await client.listTools()).tools.map((tool) => tool.name)
      expect(names).toEqual(expect.arrayContaining(['create_session', 'create_agent', 'send_message_to_agent', 'get_session_status']))
      expect(names).not.toContain('delete_session')
      const created = await client.callTool({name: 'create_session', arguments: {name: 'desk', root: sandbox.root}})
      expect(created.structuredContent).toMatchObject({session: {name: 'desk'}})
    } finally {
      await client.close()
    }
  })

  it('applies --max-sessions and --max-agents', async () => {
    sandbox = await createSandbox()
    server = await startStdioServer(sandbox, ['--max-sessions', '1', '--max-agents', '1'])
    expect((await server.call('create_session', {name: 'one', root: sandbox.root})).isError).toBeFalsy()
    const second = await server.call('create_session', {name: 'two', root: sandbox.root})
    expect(textOf(second)).toMatch(/^LIMIT_REACHED: There are already 1 sessions \(the limit is 1\)/)
    expect((await server.call('create_agent', {session: 'one', command: 'sleep 60'})).isError).toBeFalsy()
    const agent = await server.call('create_agent', {session: 'one', command: 'sleep 60'})
    expect(textOf(agent)).toMatch(/^LIMIT_REACHED: Session "one" already has 1 agents \(the limit is 1\)/)
  })

  it('fails to start on an invalid config with its exit code, and says why in serve.log', async () => {
    sandbox = await createSandbox()
    const {writeFile} = await import('node:fs/promises')
    await writeFile(path.join(sandbox.home, 'config.json'), '{"maxAgents": "lots"}')
    const result = await sandbox.spawn(['serve'])
    expect(result.exitCode).toBe(5)
    expect(result.stdout).toBe('')
    expect(await readFile(path.join(sandbox.home, 'logs', 'serve.log'), 'utf8')).toMatch(/error could not start: .*config\.json/)
  })

  it('survives garbage on stdin, answers what follows, and exits 0 when stdin closes', async () => {
    sandbox = await createSandbox()
    const child = spawn(process.execPath, [binPath, 'serve'], {env: serverEnv(sandbox)})
    const lines = collectLines(child)
    const send = (line: string) => child.stdin.write(`${line}\n`)
    send(JSON.stringify({jsonrpc: '2.0', id: 1, method: 'initialize', params: {protocolVersion: '2025-11-25', capabilities: {}, clientInfo: {name: 'raw', version: '0'}}}))
    send('this is not JSON at all')
    send('{"jsonrpc":"2.0","method":42}')
    send('\u0000\u0001\u0002 binary junk \u00ff')
    send(JSON.stringify({jsonrpc: '2.0', id: 2, method: 'tools/call', params: {name: 'create_session', arguments: {name: 'x', root: '/definitely/not/here'}}}))
    send(JSON.stringify({jsonrpc: '2.0', method: 'notifications/initialized'}))
    send(JSON.stringify({jsonrpc: '2.0', id: 3, method: 'tools/list'}))
    const byId = await eventually(async () => {
      // Answers may come in any order (a tool call takes longer than tools/list): wait for both.
      const answers = new Map(lines.map((line) => [JSON.parse(line).id, JSON.parse(line)]))
      return answers.has(2) && answers.has(3) ? answers : undefined
    })
    expect(byId.get(2).result).toMatchObject({isError: true, content: [{text: expect.stringMatching(/^INVALID_INPUT: The root directory does not exist/)}]})
    expect(byId.get(3).result.tools.length).toBeGreaterThan(10)
    // Every stdout line is protocol.
    for (const line of lines) expect(JSON.parse(line).jsonrpc).toBe('2.0')
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
    child.stdin.end()
    expect(await exited).toBe(0)
  })

  it('with a minimal PATH finds tmux in its usual place, runs agents, and names what it could not find', async () => {
    sandbox = await createSandbox()
    server = await startStdioServer(sandbox, [], {PATH: '/nonexistent', CCMCP_CLAUDE_BIN: 'claude-not-installed-anywhere'})
    expect(server.stderr()).toMatch(/claude-not-installed-anywhere was not found on PATH or in the usual install locations \(looked in: \/nonexistent, .*\/usr\/bin/)
    // tmux is in /usr/bin here: found although PATH lacks it, so no warning, and agents start.
    expect(server.stderr()).not.toMatch(/tmux was not found/)
    expect(server.stderr()).toMatch(/tmux: \/\S+\/tmux \(not on PATH; found in a usual install location\); added its directory to PATH/)
    await server.call('create_session', {name: 'bare', root: sandbox.root})
    const agent = await server.call('create_agent', {session: 'bare', command: sandbox.fakeAgentCommand()})
    expect(agent.isError, textOf(agent)).toBeFalsy()
    const s = server
    await eventually(async () => {
      const status = (await s.call('get_session_status', {name: 'bare'})).structuredContent as {agents: AgentView[]}
      return status.agents[0]?.status === 'idle' ? true : undefined
    })
  })
})

function collectLines(child: ChildProcessWithoutNullStreams): string[] {
  const lines: string[] = []
  createInterface({input: child.stdout}).on('line', (line) => lines.push(line))
  return lines
}
