/**
 * `ccmcp serve --agent` (the built binary) through the SDK's stdio client, exactly as Claude Code
 * starts it from an agent's --mcp-config: only the agent's tools, acting as that agent (its
 * identity from the environment ccmcp gave it, proven by its launch id), unable to reach another
 * session whatever it passes.
 */
import {agentEnvFromPane} from '../helpers/agent-env.js'
import {afterEach, describe, expect, it} from 'vitest'

import {type Sandbox, createSandbox} from '../helpers/cli.js'
import {errorCodeOf, textOf} from '../helpers/mcp.js'
import {type StdioServer, startStdioServer} from '../helpers/serve.js'

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

const AGENT_TOOLS = ['list_tasks', 'get_task', 'create_task', 'claim_task', 'update_task', 'complete_task', 'release_task', 'list_agents', 'send_message', 'broadcast_message', 'list_messages']

let sandbox: Sandbox | undefined
let server: StdioServer | undefined
afterEach(async () => {
  await server?.close()
  await sandbox?.cleanup()
  server = undefined
  sandbox = undefined
})

async function agentsIn(box: Sandbox): Promise<Json[]> {
  return ((await box.run(['agent', 'list', '--json'])).json as Json).agents
}

describe('serve --agent over stdio (built binary, SDK client)', () => {
  it('offers only the agent tools, acts as the agent, and cannot address another session', async () => {
    sandbox = await createSandbox()
    const box = sandbox
    for (const session of ['s', 'other']) expect((await box.run(['session', 'create', session, '--root', box.root])).exitCode).toBe(0)
    for (const session of ['s', 's', 'other']) expect((await box.run(['agent', 'create', session, '--command', box.fakeAgentCommand()])).exitCode).toBe(0)
    expect((await agentsIn(box)).some((agent) => agent.session === 's' && agent.name === 'Agent_1')).toBe(true)
    // The agent's own environment, secret included, as Claude Code passes it to the server.
    server = await startStdioServer(box, ['--agent'], await agentEnvFromPane((args) => box.tmux(args), 's/Agent_1'))
    const s = server

    const {tools} = await s.client.listTools()
    expect(tools.map((tool) => tool.name)).toEqual(AGENT_TOOLS)
    // send_message is send_message_to_agent without raw/wait: an agent's message always names it.
    expect(Object.keys(tools.find((tool) => tool.name === 'send_message')?.inputSchema.properties ?? {})).toEqual(['agent', 'message'])
    await expect(s.call('create_agent', {session: 's'})).rejects.toThrow(/Unknown tool: create_agent/)

    const peers = await s.call('list_agents')
    expect((peers.structuredContent as Json).agents.map((agent: Json) => `${agent.session}/${agent.name}`)).toEqual(['s/Agent_1', 's/Agent_2'])
    expect(errorCodeOf(await s.call('list_agents', {session: 'other'}))).toBe('FORBIDDEN')

    const created = await s.call('create_task', {title: 'Write the parser'})
    expect(created.structuredContent).toMatchObject({task: {id: 'T-1', createdBy: 'agent s/Agent_1'}})
    expect((await s.call('claim_task', {next: true})).structuredContent).toMatchObject({task: {id: 'T-1', status: 'claimed', claimedBy: 'Agent_1'}})
    expect(errorCodeOf(await s.call('list_tasks', {session: 'other'}))).toBe('FORBIDDEN')

    const sent = await s.call('send_message', {agent: 'Agent_2', message: 'the parser is mine', raw: true})
    expect(sent.isError, textOf(sent)).toBeFalsy()
    // raw is not part of the tool, so it was dropped (as an input to send_message_to_agent it would be FORBIDDEN);
    // a program agent gets the text without a header (claude agents get "[from Agent_1] ").
    expect(sent.structuredContent).toMatchObject({delivery: 'delivered', agent: {session: 's', name: 'Agent_2', lastPrompt: 'the parser is mine'}})

    const refused = await s.call('send_message', {agent: 'other/Agent_1', message: 'psst'})
    expect(errorCodeOf(refused)).toBe('FORBIDDEN')
    expect(textOf(refused)).toMatch(/limited to session s, and this send_message_to_agent reaches session other/)
    expect(errorCodeOf(await s.call('broadcast_message', {session: 'other', message: 'hi all'}))).toBe('FORBIDDEN')
    const mine = (await s.call('list_messages')).structuredContent as Json
    expect(mine.outbox.map((message: Json) => [message.to, message.state])).toEqual([['Agent_2', 'delivered']])
    const other = (await box.run(['messages', 'other/Agent_1', '--json'])).json as Json
    expect(other.inbox).toEqual([])
  }, 120_000)

  it('refuses to start outside an agent, and acts as nobody with a stale launch id', async () => {
    sandbox = await createSandbox()
    const box = sandbox
    await expect(startStdioServer(box, ['--agent'])).rejects.toThrow()
    expect((await box.run(['session', 'create', 's', '--root', box.root])).exitCode).toBe(0)
    expect((await box.run(['agent', 'create', 's', '--command', box.fakeAgentCommand()])).exitCode).toBe(0)
    server = await startStdioServer(box, ['--agent'], {CCMCP_SESSION: 's', CCMCP_AGENT: 'Agent_1', CCMCP_LAUNCH_ID: 'not-the-launch-id'})
    const refused = await server.call('list_agents')
    expect(errorCodeOf(refused)).toBe('FORBIDDEN')
    // No secret with it, or a wrong one: either way the caller proves nothing.
    expect(textOf(refused)).toMatch(/secret|launch id/)
  }, 60_000)
})
