/** Resource templates (session status, agent screen), completion, and the planning prompt. */
import {afterEach, describe, expect, it} from 'vitest'

import {type McpHarness, connectInMemory} from '../helpers/mcp.js'

let h: McpHarness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

async function seeded(options: Parameters<typeof connectInMemory>[0] = {}): Promise<McpHarness> {
  h = await connectInMemory(options)
  await h.core.run('create_session', {name: 'api', root: h.root})
  await h.core.run('create_agent', {session: 'api', command: 'sh'})
  return h
}

describe('resources', () => {
  it('offers the two templates', async () => {
    const {client} = await seeded()
    const {resourceTemplates} = await client.listResourceTemplates()
    expect(resourceTemplates.map((template) => [template.uriTemplate, template.mimeType])).toEqual([
      ['ccmcp://sessions/{name}', 'application/json'],
      ['ccmcp://agents/{session}/{agent}/screen', 'text/plain'],
    ])
  })

  it('lists one resource per session and per agent with a tab', async () => {
    const {client} = await seeded()
    const {resources} = await client.listResources()
    expect(resources.map((resource) => resource.uri)).toEqual(['ccmcp://sessions/api', 'ccmcp://agents/api/Agent_1/screen'])
  })

  it("reads a session's status as JSON and an agent's screen as text", async () => {
    const {client} = await seeded()
    const status = await client.readResource({uri: 'ccmcp://sessions/api'})
    const content = status.contents[0] as {text: string; mimeType: string}
    expect(content.mimeType).toBe('application/json')
    expect(JSON.parse(content.text)).toMatchObject({session: {name: 'api'}, agents: [{name: 'Agent_1'}]})
    const screen = await client.readResource({uri: 'ccmcp://agents/api/Agent_1/screen'})
    expect(screen.contents[0]).toMatchObject({mimeType: 'text/plain', text: 'screen of api/Agent_1'})
  })

  it('fails a read of something missing with resource-not-found and the CLI code', async () => {
    const {client} = await seeded()
    await expect(client.readResource({uri: 'ccmcp://sessions/nope'})).rejects.toThrow(/-32002.*NOT_FOUND: No session named "nope"/)
    await expect(client.readResource({uri: 'ccmcp://agents/api/Agent_7/screen'})).rejects.toThrow(/NOT_FOUND: Session "api" has no agent named "Agent_7"/)
  })

  it('completes session and agent names', async () => {
    const {client} = await seeded()
    const sessions = await client.complete({ref: {type: 'ref/resource', uri: 'ccmcp://sessions/{name}'}, argument: {name: 'name', value: 'a'}})
    expect(sessions.completion.values).toEqual(['api'])
    const agents = await client.complete({
      ref: {type: 'ref/resource', uri: 'ccmcp://agents/{session}/{agent}/screen'},
      argument: {name: 'agent', value: 'Ag'},
      context: {arguments: {session: 'api'}},
    })
    expect(agents.completion.values).toEqual(['Agent_1'])
  })

  it('tells the client the resource list changed after a tool changed state, not after a read', async () => {
    const {client, call} = await seeded()
    const {ResourceListChangedNotificationSchema} = await import('@modelcontextprotocol/sdk/types.js')
    let changes = 0
    client.setNotificationHandler(ResourceListChangedNotificationSchema, () => {
      changes++
    })
    await call('list_sessions')
    await call('create_agent', {session: 'api', command: 'sh'})
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(changes).toBe(1)
  })

  it('keeps listing sessions when the backend cannot list tabs', async () => {
    const {client, backend, logged} = await seeded()
    backend.listTabs = async () => {
      throw new Error('tmux is gone')
    }
    const {resources} = await client.listResources()
    expect(resources.map((resource) => resource.uri)).toEqual(['ccmcp://sessions/api'])
    expect(logged.join('')).toContain('listing agent screens: tmux is gone')
  })
})

describe('the planning prompt', () => {
  it('is offered with described arguments', async () => {
    const {client} = await seeded()
    const {prompts} = await client.listPrompts()
    expect(prompts).toEqual([
      expect.objectContaining({
        name: 'plan_multi_agent_work',
        arguments: [
          expect.objectContaining({name: 'session', required: true, description: expect.any(String)}),
          expect.objectContaining({name: 'goal', required: true}),
          expect.objectContaining({name: 'agents', required: false}),
        ],
      }),
    ])
  })

  it('kicks off a plan with the session as it is now, in terms of the tools', async () => {
    const {client, root} = await seeded()
    const prompt = await client.getPrompt({name: 'plan_multi_agent_work', arguments: {session: 'api', goal: 'Add rate limiting', agents: '2'}})
    expect(prompt.messages).toHaveLength(1)
    const text = (prompt.messages[0]?.content as {text: string}).text
    expect(text).toContain(`session "api", whose codebase root is ${root}`)
    expect(text).toContain('Goal: Add rate limiting')
    expect(text).toContain('at most 2 tasks')
    expect(text).toContain('Agent_1 (')
    for (const tool of ['create_agent', 'send_message_to_agent', 'get_session_status', 'wait_for_agent', 'read_agent_screen']) expect(text).toContain(tool)
  })

  it('completes the session argument and rejects an unknown session with its code', async () => {
    const {client} = await seeded()
    const completion = await client.complete({ref: {type: 'ref/prompt', name: 'plan_multi_agent_work'}, argument: {name: 'session', value: ''}})
    expect(completion.completion.values).toEqual(['api'])
    await expect(client.getPrompt({name: 'plan_multi_agent_work', arguments: {session: 'nope', goal: 'x'}})).rejects.toThrow(/NOT_FOUND: No session named "nope"/)
  })

  it('is not offered at LOW, where the model could not act on it', async () => {
    h = await connectInMemory({clearance: 'LOW'})
    expect(h.client.getServerCapabilities()?.prompts).toBeUndefined()
    expect((await h.client.listResourceTemplates()).resourceTemplates).toHaveLength(2)
  })
})
