/** Issue 3's logic over a simulated Claude (hook events through the real recorder and store). */
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import type {Caller} from '../../src/core/pipeline/caller.js'
import {recordHookEvent} from '../../src/core/delivery/hook-events.js'
import {eventually} from '../helpers/cli.js'
import {type Harness, createHarness, fakeExec, fastClock, simulateClaude} from '../helpers/core-harness.js'
import type {FakeTab} from '../helpers/fake-backend.js'
import {ManualClock} from '../helpers/manual-clock.js'
import {agentCallerOf} from '../helpers/agent-env.js'

let h: Harness
beforeEach(async () => {
  h = await createHarness()
  await h.core.run('create_session', {name: 's', root: h.root})
})
afterEach(async () => {
  h.deps.ports.clock = fastClock
  await h.cleanup()
})

const hook = (agent: string, event: Record<string, unknown>) =>
  recordHookEvent({store: h.deps.ports.state, host: h.deps.ports.host, eventsDir: h.deps.settings.paths.eventsDir, session: 's', agent, launchId: null, now: new Date()}, {hook_event_name: 'x', ...event})

describe('ready detection', () => {
  it('create returns once SessionStart arrived, with the Claude Code version recorded', async () => {
    simulateClaude(h)
    const {agent} = await h.core.run('create_agent', {session: 's'})
    expect(agent).toMatchObject({status: 'idle', claudeVersion: '2.1.330'})
  })

  it('no SessionStart in time → AGENT_START_FAILED with the screen, agent kept for inspection', async () => {
    simulateClaude(h, {ready: false})
    await h.core.run('set_config', {key: 'readyTimeoutMs', value: '1000'})
    const clock = new ManualClock()
    h.deps.ports.clock = clock
    await expect(clock.runUntil(h.core.run('create_agent', {session: 's'}))).rejects.toMatchObject({code: 'AGENT_START_FAILED', message: expect.stringContaining('screen of s/Agent_1')})
    expect((await h.core.run('list_agents', {})).agents[0]?.status).toBe('starting')
  })

  it('the trust dialog on screen → a clear error naming session trust, no key pressed, no stuck agent kept', async () => {
    simulateClaude(h, {ready: false})
    const opened: FakeTab[] = []
    h.backend.onOpen = (tab) => {
      opened.push(tab)
      tab.screen = 'Accessing workspace:\n\nQuick safety check: Is this a project you created or one you trust?\n❯ 1. Yes, I trust this folder\n  2. No, exit'
    }
    const error = await h.core.run('create_agent', {session: 's'}).catch((failure) => failure)
    expect(error).toMatchObject({code: 'AGENT_START_FAILED', message: expect.stringContaining('workspace-trust dialog')})
    expect(error.hint).toMatch(/ccmcp session trust s\b/)
    expect(error.details.agent).toMatchObject({status: 'waiting', waitingFor: expect.stringMatching(/^trust/)})
    expect((await h.core.run('list_agents', {})).agents).toEqual([])
    expect(h.backend.tabs).toEqual([])
    expect(opened[0]?.typed).toEqual([])
  })

  it('a missing claude is named before any tab opens', async () => {
    h.deps.ports.exec = async () => ({stdout: '', stderr: '', exitCode: undefined, notFound: true, timedOut: false})
    await expect(h.core.run('create_agent', {session: 's'})).rejects.toMatchObject({code: 'AGENT_START_FAILED', message: 'Claude Code was not found: claude'})
    expect(h.backend.tabs).toHaveLength(0)
    expect((await h.core.run('list_agents', {})).agents).toEqual([])
    h.deps.ports.exec = fakeExec
  })
})

describe('verified delivery', () => {
  beforeEach(async () => {
    // Generous for a loaded machine; the "never accepted" case waits it out on a manual clock.
    await h.core.run('set_config', {key: 'deliveryTimeoutMs', value: '2000'})
  })

  it('delivered once UserPromptSubmit carries the text; claude agents get a sender header unless raw', async () => {
    simulateClaude(h)
    await h.core.run('create_agent', {session: 's'})
    const sent = await h.core.run('send_message_to_agent', {agent: 'Agent_1', message: 'hello'})
    expect(sent.delivery).toBe('delivered')
    expect(sent.agent.lastPrompt).toBe('[from operator] hello')
    await h.core.run('wait_for_agent', {agent: 'Agent_1', until: 'idle', timeoutSeconds: 5})
    const raw = await h.core.run('send_message_to_agent', {agent: 'Agent_1', message: 'plain', raw: true})
    expect(raw.agent.lastPrompt).toBe('plain')
  })

  it('names the sending agent when an agent sends', async () => {
    simulateClaude(h)
    await h.core.run('create_session', {name: 'other', root: h.root})
    await h.core.run('create_agent', {session: 's'})
    await h.core.run('create_agent', {session: 's', name: 'Agent_7', command: 'prog'})
    await h.core.run('create_agent', {session: 'other', name: 'Agent_7', command: 'prog'})
    const as = (session: string): Caller => agentCallerOf(h.backend, `${session}/Agent_7`)
    expect((await h.core.run('send_message_to_agent', {agent: 's/Agent_1', message: 'hi'}, {caller: as('s')})).agent.lastPrompt).toBe('[from Agent_7] hi')
    await h.core.run('wait_for_agent', {agent: 's/Agent_1', timeoutSeconds: 5})
    // An agent of another session cannot reach it at all (issue 12: agents act only in their own session).
    await expect(h.core.run('send_message_to_agent', {agent: 's/Agent_1', message: 'hi'}, {caller: as('other')})).rejects.toMatchObject({code: 'FORBIDDEN', reason: 'scope'})
  })

  it('a lost Enter is retried once', async () => {
    simulateClaude(h, {dropFirstEnter: true})
    await h.core.run('create_agent', {session: 's'})
    const sent = await h.core.run('send_message_to_agent', {agent: 'Agent_1', message: 'again', raw: true})
    expect(sent.delivery).toBe('delivered')
    expect(h.backend.tabs[0]?.typed).toEqual([{text: 'again', submit: true}, {text: '', submit: true}])
  })

  it('never accepted → DELIVERY_FAILED (exit 9)', async () => {
    simulateClaude(h)
    await h.core.run('create_agent', {session: 's'})
    h.backend.onSubmit = null
    const clock = new ManualClock()
    h.deps.ports.clock = clock
    await expect(clock.runUntil(h.core.run('send_message_to_agent', {agent: 'Agent_1', message: 'void'}))).rejects.toMatchObject({code: 'DELIVERY_FAILED', exitCode: 9})
  })

  it('wait returns the reply once the turn ends; a failed turn is AGENT_ERROR', async () => {
    simulateClaude(h, {reply: (prompt) => `answer to ${prompt}`})
    await h.core.run('create_agent', {session: 's'})
    const result = await h.core.run('send_message_to_agent', {agent: 'Agent_1', message: 'q', raw: true, wait: true, timeoutSeconds: 5})
    expect(result).toMatchObject({delivery: 'delivered', reply: 'answer to q', agent: {status: 'idle'}})
    await hook('Agent_1', {hook_event_name: 'StopFailure', error: 'authentication_failed'})
    await expect(h.core.run('wait_for_agent', {agent: 'Agent_1', until: 'idle', timeoutSeconds: 5})).rejects.toMatchObject({code: 'AGENT_ERROR', message: expect.stringContaining('authentication_failed')})
  })
})

describe('queueing', () => {
  it('messages to a starting agent are queued, then delivered in order, one per turn', async () => {
    simulateClaude(h, {ready: false})
    const {agent} = await h.core.run('create_agent', {session: 's', wait: false, prompt: 'first'})
    expect(agent.queue.map((message) => message.text)).toEqual(['[from operator] first'])
    const second = await h.core.run('send_message_to_agent', {agent: 'Agent_1', message: 'second', raw: true})
    expect(second.delivery).toBe('queued')
    // Claude Code becomes ready: its SessionStart hook finds queued messages and starts a flusher.
    simulateClaude(h)
    const tab = h.backend.tabs[0]!
    const recorded = await recordHookEvent({store: h.deps.ports.state, host: h.deps.ports.host, eventsDir: h.deps.settings.paths.eventsDir, session: 's', agent: 'Agent_1', launchId: tab.request.env.CCMCP_LAUNCH_ID ?? null, now: new Date()}, {hook_event_name: 'SessionStart'})
    expect(recorded.flush).toBe(true)
    const {flushQueue} = await import('../../src/core/delivery/delivery.js')
    expect(await flushQueue(h.deps, 's/Agent_1', {settleMs: 0})).toBe('delivered')
    // Its Stop hook finds "second" queued and starts the next delivery.
    const done = await eventually(async () => {
      const [current] = (await h.core.run('list_agents', {})).agents
      return current?.status === 'idle' && current.queue.length === 0 && current.lastPrompt === 'second' ? current : undefined
    })
    expect(done.lastReply).toBe('reply to: second')
    expect(tab.typed.map((typed) => typed.text)).toEqual(['[from operator] first', 'second'])
  })

  it('send --wait on a queued message waits for its delivery and the reply', async () => {
    simulateClaude(h, {ready: false})
    await h.core.run('create_agent', {session: 's', wait: false})
    const pending = h.core.run('send_message_to_agent', {agent: 'Agent_1', message: 'later', raw: true, wait: true, timeoutSeconds: 10})
    await new Promise((resolve) => setTimeout(resolve, 200))
    simulateClaude(h)
    const tab = h.backend.tabs[0]!
    const recorded = await recordHookEvent({store: h.deps.ports.state, host: h.deps.ports.host, eventsDir: h.deps.settings.paths.eventsDir, session: 's', agent: 'Agent_1', launchId: tab.request.env.CCMCP_LAUNCH_ID ?? null, now: new Date()}, {hook_event_name: 'SessionStart'})
    expect(recorded.flush).toBe(true)
    const {flushQueue} = await import('../../src/core/delivery/delivery.js')
    await flushQueue(h.deps, 's/Agent_1', {settleMs: 0})
    expect(await pending).toMatchObject({delivery: 'delivered', reply: 'reply to: later'})
  })

  it('an agent deleted while its queued message is typed: the flusher ends quietly, the message ends failed', async () => {
    simulateClaude(h, {ready: false})
    await h.core.run('create_agent', {session: 's', wait: false})
    expect((await h.core.run('send_message_to_agent', {agent: 'Agent_1', message: 'doomed', raw: true})).delivery).toBe('queued')
    simulateClaude(h)
    const tab = h.backend.tabs[0]!
    await recordHookEvent({store: h.deps.ports.state, host: h.deps.ports.host, eventsDir: h.deps.settings.paths.eventsDir, session: 's', agent: 'Agent_1', launchId: tab.request.env.CCMCP_LAUNCH_ID ?? null, now: new Date()}, {hook_event_name: 'SessionStart'})
    // Another process deletes the agent as the text reaches the tab: no prompt is ever accepted.
    h.backend.onSubmit = () => {
      void h.deps.ports.state.update((state) => ({value: {...state, agents: []}, result: undefined}))
    }
    const {flushQueue} = await import('../../src/core/delivery/delivery.js')
    expect(await flushQueue(h.deps, 's/Agent_1', {settleMs: 0})).toBe('failed')
    const {messages} = await h.deps.ports.messages('s').read()
    expect(messages.map((message) => [message.text, message.state])).toEqual([['doomed', 'failed']])
  })
})

describe('recovery', () => {
  it('restart without a transcript (no completed turn) starts again under the same conversation id', async () => {
    simulateClaude(h)
    const {agent} = await h.core.run('create_agent', {session: 's'})
    h.backend.tabs.splice(0)
    const restarted = await h.core.run('restart_agent', {agent: 'Agent_1'})
    expect(restarted.agent.conversationId).toBe(agent.conversationId)
    expect(h.backend.tabs[0]?.request.argv.slice(0, 3)).toEqual(['claude', '--session-id', agent.conversationId])
  })

  it('restart resumes the same conversation in a new tab; a running agent is refused', async () => {
    simulateClaude(h)
    const {agent} = await h.core.run('create_agent', {session: 's'})
    await h.core.run('send_message_to_agent', {agent: 'Agent_1', message: 'a first turn', wait: true, timeoutSeconds: 5})
    await expect(h.core.run('restart_agent', {agent: 'Agent_1'})).rejects.toMatchObject({code: 'CONFLICT'})
    h.backend.tabs.splice(0)
    expect((await h.core.run('list_agents', {})).agents[0]?.status).toBe('lost')
    const restarted = await h.core.run('restart_agent', {agent: 'Agent_1'})
    expect(restarted.agent).toMatchObject({status: 'idle', conversationId: agent.conversationId})
    const argv = h.backend.tabs[0]?.request.argv ?? []
    expect(argv.slice(0, 3)).toEqual(['claude', '--resume', agent.conversationId])
  })

  it('recover adopts a live tab that carries the agent, relaunches the rest, duplicates nothing', async () => {
    simulateClaude(h)
    await h.core.run('create_agent', {session: 's'})
    await h.core.run('create_agent', {session: 's'})
    await h.core.run('create_agent', {session: 's'})
    const survivor = h.backend.tabOf('s/Agent_2')!
    h.backend.tabs.splice(0)
    expect((await h.core.run('list_agents', {})).agents.map((agent) => agent.status)).toEqual(['lost', 'lost', 'lost'])
    h.backend.tabs.push({...survivor, ref: {backend: 'tmux', sessionId: '$9', windowId: '@9', paneId: '%9'}})
    const result = await h.core.run('recover_session', {name: 's'})
    expect(result.adopted).toEqual(['Agent_2'])
    expect(result.restarted).toEqual(['Agent_1', 'Agent_3'])
    expect(h.backend.tabs).toHaveLength(3)
    const again = await h.core.run('recover_session', {name: 's'})
    expect(again).toMatchObject({restarted: [], adopted: []})
    expect(h.backend.tabs).toHaveLength(3)
  })
})
