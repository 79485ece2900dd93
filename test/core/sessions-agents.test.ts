import {mkdir, rm, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import type {CcmcpError} from '../../src/core/domain/errors.js'
import {type Harness, createHarness, simulateClaude} from '../helpers/core-harness.js'

let h: Harness
beforeEach(async () => {
  h = await createHarness()
})
afterEach(async () => {
  await h.cleanup()
})

async function failure(promise: Promise<unknown>): Promise<CcmcpError> {
  try {
    await promise
  } catch (error) {
    return error as CcmcpError
  }
  throw new Error('expected a failure')
}

describe('sessions', () => {
  it('creates a session with the realpath of its root', async () => {
    await mkdir(path.join(h.root, 'real'))
    const {session} = await h.core.run('create_session', {name: 'api', root: path.join(h.root, 'real', '..', 'real')})
    expect(session).toMatchObject({name: 'api', root: path.join(h.root, 'real'), backend: 'tmux'})
    expect(await h.core.run('list_sessions', {})).toEqual({sessions: [{...session, agents: 0, hostError: null}]})
  })

  it.each(['', '-x', 'a b', 'a/b', 'x'.repeat(65), 'ünï', '.hidden'])('refuses the name %j', async (name) => {
    const error = await failure(h.core.run('create_session', {name, root: h.root}))
    expect(error.code).toBe('INVALID_INPUT')
    expect(error.message).toMatch(/name/)
  })

  it('refuses a missing root, a file root and a duplicate name, naming each', async () => {
    expect((await failure(h.core.run('create_session', {name: 'a', root: path.join(h.root, 'nope')}))).message).toMatch(/does not exist/)
    await writeFile(path.join(h.root, 'file'), '')
    expect((await failure(h.core.run('create_session', {name: 'a', root: path.join(h.root, 'file')}))).message).toMatch(/not a directory/)
    await h.core.run('create_session', {name: 'a', root: h.root})
    const duplicate = await failure(h.core.run('create_session', {name: 'a', root: h.root}))
    expect(duplicate.code).toBe('ALREADY_EXISTS')
    expect((await h.core.run('list_sessions', {})).sessions).toHaveLength(1)
  })

  it('enforces maxSessions from config and from the surface override', async () => {
    await h.core.run('set_config', {key: 'maxSessions', value: '1'})
    await h.core.run('create_session', {name: 'one', root: h.root})
    const error = await failure(h.core.run('create_session', {name: 'two', root: h.root}))
    expect(error.code).toBe('LIMIT_REACHED')
    expect(error.hintFor('cli')).toMatch(/--max-sessions/)
    const lifted = await createHarness({limits: {maxSessions: 5}})
    try {
      await lifted.core.run('set_config', {key: 'maxSessions', value: '1'})
      await lifted.core.run('create_session', {name: 'one', root: lifted.root})
      await lifted.core.run('create_session', {name: 'two', root: lifted.root})
    } finally {
      await lifted.cleanup()
    }
  })

  it('delete closes every tab and forgets the agents', async () => {
    await h.core.run('create_session', {name: 's', root: h.root})
    await h.core.run('create_agent', {session: 's', command: 'prog'})
    await h.core.run('create_agent', {session: 's', command: 'prog'})
    expect(h.backend.tabs).toHaveLength(2)
    const result = await h.core.run('delete_session', {name: 's'})
    expect(result.deleted).toEqual({session: 's', agents: ['Agent_1', 'Agent_2']})
    expect(h.backend.tabs).toHaveLength(0)
    expect(await h.deps.ports.state.read()).toEqual({schemaVersion: 1, sessions: [], agents: []})
  })
})

describe('agents', () => {
  beforeEach(async () => {
    await h.core.run('create_session', {name: 's', root: h.root})
  })

  it('names agents Agent_1, Agent_2, … and never reuses a number', async () => {
    const first = await h.core.run('create_agent', {session: 's', command: 'prog'})
    const second = await h.core.run('create_agent', {session: 's', command: 'prog'})
    await h.core.run('delete_agent', {agent: 's/Agent_2'})
    const third = await h.core.run('create_agent', {session: 's', command: 'prog'})
    expect([first.agent.name, second.agent.name, third.agent.name]).toEqual(['Agent_1', 'Agent_2', 'Agent_3'])
  })

  it('launches a claude agent with a conversation id, identity and hook settings, in the root, with CCMCP_* env', async () => {
    const {agent} = await h.core.run('create_agent', {session: 's', wait: false})
    expect(agent).toMatchObject({kind: 'claude', status: 'starting', command: ['claude'], claudeVersion: '2.1.330'})
    expect(agent.conversationId).toMatch(/^[0-9a-f-]{36}$/)
    const tab = h.backend.tabOf('s/Agent_1')
    expect(tab?.request.cwd).toBe(h.root)
    expect(tab?.request.title).toBe('Agent_1 · s')
    const argv = tab?.request.argv ?? []
    expect(argv.slice(0, 3)).toEqual(['claude', '--session-id', agent.conversationId])
    expect(argv[argv.indexOf('--append-system-prompt') + 1]).toMatch(/^You are Agent_1, one of several agents in session "s"/)
    expect(tab?.request.env).toMatchObject({CCMCP_HOME: h.home, CCMCP_SESSION: 's', CCMCP_AGENT: 'Agent_1', PATH: process.env.PATH})
  })

  it('uses CCMCP claudeBin from config', async () => {
    await h.core.run('set_config', {key: 'claudeBin', value: '/opt/claude'})
    const {agent} = await h.core.run('create_agent', {session: 's', wait: false})
    expect(agent.command).toEqual(['/opt/claude'])
  })

  it('a command agent is unknown while alive: nothing reports what it does', async () => {
    const {agent} = await h.core.run('create_agent', {session: 's', command: `aider --model "x y"`})
    expect(agent).toMatchObject({kind: 'command', status: 'unknown', command: ['aider', '--model', 'x y'], conversationId: null})
  })

  it('refuses a duplicate --name and enforces maxAgents', async () => {
    await h.core.run('create_agent', {session: 's', name: 'rev', command: 'prog'})
    expect((await failure(h.core.run('create_agent', {session: 's', name: 'rev', command: 'prog'}))).code).toBe('ALREADY_EXISTS')
    const limited = await createHarness({limits: {maxAgents: 1}})
    try {
      await limited.core.run('create_session', {name: 's', root: limited.root})
      await limited.core.run('create_agent', {session: 's', command: 'prog'})
      const error = await failure(limited.core.run('create_agent', {session: 's', command: 'prog'}))
      expect(error.code).toBe('LIMIT_REACHED')
      expect(error.message).toMatch(/limit is 1/)
    } finally {
      await limited.cleanup()
    }
  })

  it('a failed launch leaves no half-made agent', async () => {
    h.backend.failOpen = new Error('terminal exploded')
    await expect(h.core.run('create_agent', {session: 's', command: 'prog'})).rejects.toThrow('terminal exploded')
    expect((await h.core.run('list_agents', {})).agents).toEqual([])
  })

  it('a deleted root is a clear error, not a tab in the wrong directory', async () => {
    await rm(h.root, {recursive: true})
    const error = await failure(h.core.run('create_agent', {session: 's', command: 'prog'}))
    expect(error.message).toMatch(/no longer exists/)
    expect((await h.core.run('list_agents', {})).agents).toEqual([])
  })

  it('resolves bare names when unique and explains ambiguity', async () => {
    await h.core.run('create_session', {name: 't', root: h.root})
    await h.core.run('create_agent', {session: 's', command: 'prog'})
    await h.core.run('create_agent', {session: 's', command: 'prog'})
    await h.core.run('create_agent', {session: 't', command: 'prog'})
    expect((await h.core.run('read_agent_screen', {agent: 'Agent_2'})).screen).toBe('screen of s/Agent_2')
    const ambiguous = await failure(h.core.run('read_agent_screen', {agent: 'Agent_1'}))
    expect(ambiguous.message).toBe('"Agent_1" is ambiguous: s/Agent_1, t/Agent_1.')
    expect((await failure(h.core.run('read_agent_screen', {agent: 's/Agent_9'}))).hint).toMatch(/Agent_1, Agent_2/)
    expect((await failure(h.core.run('read_agent_screen', {agent: 'x/Agent_1'}))).code).toBe('NOT_FOUND')
  })

  it('sends verbatim text with submit, and refuses control characters before touching the terminal', async () => {
    await h.core.run('create_agent', {session: 's', command: 'prog'})
    const result = await h.core.run('send_message_to_agent', {agent: 'Agent_1', message: 'hi $(x);'})
    expect(result.delivery).toBe('sent')
    expect(h.backend.tabOf('s/Agent_1')?.typed).toEqual([{text: 'hi $(x);', submit: true}])
    await expect(h.core.run('send_message_to_agent', {agent: 'Agent_1', message: 'a\u001Bb'})).rejects.toThrow('U+001B')
    expect(h.backend.tabOf('s/Agent_1')?.typed).toHaveLength(1)
  })

  it('reconciles with ONE list call: vanished → lost, ended → exited with its status', async () => {
    for (let index = 0; index < 3; index++) await h.core.run('create_agent', {session: 's', command: 'prog'})
    h.backend.tabs.splice(h.backend.tabs.findIndex((tab) => tab.request.agentKey === 's/Agent_1'), 1)
    const ended = h.backend.tabOf('s/Agent_2')
    if (ended) Object.assign(ended, {alive: false, exitStatus: 2})
    h.backend.listCalls = 0
    const {agents} = await h.core.run('get_session_status', {name: 's'})
    expect(h.backend.listCalls).toBe(1)
    expect(agents.map((agent) => [agent.name, agent.status, agent.lastError])).toEqual([
      ['Agent_1', 'lost', null],
      ['Agent_2', 'exited', 'exited with status 2'],
      ['Agent_3', 'unknown', null],
    ])
    await expect(h.core.run('send_message_to_agent', {agent: 'Agent_1', message: 'x'})).rejects.toMatchObject({code: 'AGENT_NOT_RUNNING'})
  })

  it('clear closes the tab and keeps the agent as closed; new-conversation opens a fresh tab', async () => {
    simulateClaude(h)
    const {agent} = await h.core.run('create_agent', {session: 's'})
    const cleared = await h.core.run('clear_agent_conversation', {agent: 'Agent_1'})
    expect(cleared.agent).toMatchObject({status: 'closed', tab: null})
    expect(h.backend.tabs).toHaveLength(0)
    const fresh = await h.core.run('start_new_agent_conversation', {agent: 'Agent_1'})
    expect(fresh.agent.status).toBe('idle')
    expect(fresh.agent.conversationId).not.toBe(agent.conversationId)
    expect(h.backend.tabs).toHaveLength(1)
    expect(h.backend.tabs[0]?.request.argv).toContain(fresh.agent.conversationId)
  })
})
