/**
 * Issue 11 item 4: messages between the agents of a session, over a simulated Claude (hook events
 * through the real recorder and stores): scoping, ids, once-only ordered delivery, broadcast and
 * the history with delivery states.
 */
import {agentCallerOf} from '../helpers/agent-env.js'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {recordHookEvent} from '../../src/core/delivery/hook-events.js'
import {flushQueue} from '../../src/core/delivery/delivery.js'
import {MAX_KEPT, appended, emptyMessageLog} from '../../src/core/messages/message-log.js'
import type {AgentCaller} from '../../src/core/pipeline/caller.js'
import {createCore} from '../../src/core/pipeline/core.js'
import type {OperationRecord} from '../../src/core/ports.js'
import {eventually} from '../helpers/cli.js'
import {type Harness, createHarness, simulateClaude} from '../helpers/core-harness.js'

let h: Harness
beforeEach(async () => {
  h = await createHarness()
  await h.core.run('create_session', {name: 's', root: h.root})
  await h.core.run('create_session', {name: 'other', root: h.root})
})
afterEach(async () => {
  await h.cleanup()
})

/** The caller ccmcp run inside that agent's environment would be (identity and per-launch secret). */
async function as(session: string, agent: string): Promise<AgentCaller> {
  return agentCallerOf(h.backend, `${session}/${agent}`)
}

const typed = (key: string) => h.backend.tabOf(key)?.typed.map((entry) => entry.text) ?? []

async function twoAgentsAndAStranger(): Promise<void> {
  simulateClaude(h)
  await h.core.run('create_agent', {session: 's'})
  await h.core.run('create_agent', {session: 's'})
  await h.core.run('create_agent', {session: 'other'})
}

describe('messages between agents', () => {
  it('an agent messages a peer by its bare name: [from Agent_1] header, an id, delivered, in both histories', async () => {
    await twoAgentsAndAStranger()
    const sent = await h.core.run('send_message_to_agent', {agent: 'Agent_2', message: 'take the parser'}, {caller: await as('s', 'Agent_1')})
    expect(sent).toMatchObject({delivery: 'delivered', agent: {session: 's', name: 'Agent_2', lastPrompt: '[from Agent_1] take the parser'}})
    expect(sent.messageId).toMatch(/^[0-9a-f-]{36}$/)
    const inbox = await h.core.run('list_messages', {}, {caller: await as('s', 'Agent_2')})
    expect(inbox).toMatchObject({agent: 's/Agent_2', inbox: [{id: sent.messageId, from: 'Agent_1', to: 'Agent_2', text: 'take the parser', state: 'delivered'}], outbox: []})
    const outbox = await h.core.run('list_messages', {agent: 's/Agent_1'})
    expect(outbox.outbox).toEqual([expect.objectContaining({id: sent.messageId, state: 'delivered'})])
    expect(typed('other/Agent_1')).toEqual([])
  })

  it('a message to an agent of another session is refused (FORBIDDEN) by the scope step, recorded as refused, and nothing is typed', async () => {
    await twoAgentsAndAStranger()
    const entries: OperationRecord[] = []
    const core = createCore(h.deps, {recorder: {record: (entry) => void entries.push(entry)}})
    const refused = await core.run('send_message_to_agent', {agent: 'other/Agent_1', message: 'psst'}, {caller: await as('s', 'Agent_1')}).catch((error: unknown) => error)
    expect(refused).toMatchObject({code: 'FORBIDDEN', reason: 'scope', message: expect.stringMatching(/limited to session s, and this send_message_to_agent reaches session other/)})
    expect(typed('other/Agent_1')).toEqual([])
    expect(entries.map((entry) => [entry.operation, entry.outcome, entry.error?.code])).toEqual([['send_message_to_agent', 'refused', 'FORBIDDEN']])
    // Refused before anything ran: nothing in either history.
    expect((await h.core.run('list_messages', {agent: 's/Agent_1'})).outbox).toEqual([])
    expect((await h.core.run('list_messages', {agent: 'other/Agent_1'})).inbox).toEqual([])
    // The operator may message anyone.
    expect((await h.core.run('send_message_to_agent', {agent: 'other/Agent_1', message: 'hello'})).delivery).toBe('delivered')
    expect(typed('other/Agent_1')).toEqual(['[from operator] hello'])
  })

  it('bad input changes nothing: to itself, raw, 64 KiB + 1, an unknown agent', async () => {
    await twoAgentsAndAStranger()
    const me = await as('s', 'Agent_1')
    // (Bare names are ambiguous here: other/Agent_1 exists too; the scope step refuses those.)
    await expect(h.core.run('send_message_to_agent', {agent: 's/Agent_1', message: 'hi me'}, {caller: me})).rejects.toMatchObject({code: 'INVALID_INPUT', message: expect.stringMatching(/cannot send a message to itself/)})
    await expect(h.core.run('send_message_to_agent', {agent: 'Agent_2', message: 'I am the operator', raw: true}, {caller: me})).rejects.toMatchObject({code: 'FORBIDDEN', reason: 'raw-from-agent'})
    await expect(h.core.run('send_message_to_agent', {agent: 'Agent_2', message: 'x'.repeat(64 * 1024 + 1)}, {caller: me})).rejects.toMatchObject({code: 'INVALID_INPUT', message: expect.stringMatching(/65537 bytes; the limit is 65536/)})
    await expect(h.core.run('broadcast_message', {message: 'x'.repeat(64 * 1024 + 1)}, {caller: me})).rejects.toMatchObject({code: 'INVALID_INPUT'})
    await expect(h.core.run('send_message_to_agent', {agent: 's/Agent_9', message: 'anyone?'}, {caller: me})).rejects.toMatchObject({code: 'NOT_FOUND', message: 'Session "s" has no agent named "Agent_9".'})
    expect(typed('s/Agent_2')).toEqual([])
    expect((await h.deps.ports.messages('s').read()).messages).toEqual([])
  })

  it('queued while the receiver is not ready: delivered in order, each exactly once, even with two flushers racing', async () => {
    simulateClaude(h, {ready: false})
    await h.core.run('create_agent', {session: 's', command: 'prog'})
    await h.core.run('create_agent', {session: 's', wait: false})
    const me = await as('s', 'Agent_1')
    const ids: string[] = []
    for (const text of ['one', 'two', 'three']) {
      const sent = await h.core.run('send_message_to_agent', {agent: 'Agent_2', message: text}, {caller: me})
      expect(sent.delivery).toBe('queued')
      ids.push(sent.messageId)
    }
    expect(new Set(ids).size).toBe(3)
    expect((await h.core.run('list_messages', {agent: 's/Agent_2'})).inbox.map((message) => message.state)).toEqual(['queued', 'queued', 'queued'])
    const tab = h.backend.tabOf('s/Agent_2')
    await recordHookEvent({store: h.deps.ports.state, host: h.deps.ports.host, eventsDir: h.deps.settings.paths.eventsDir, session: 's', agent: 'Agent_2', launchId: tab?.request.env.CCMCP_LAUNCH_ID ?? null, now: new Date()}, {hook_event_name: 'SessionStart', source: 'startup'})
    await Promise.all([flushQueue(h.deps, 's/Agent_2', {settleMs: 0}), flushQueue(h.deps, 's/Agent_2', {settleMs: 0})])
    // Each Stop starts the next flush (simulateClaude); wait until all three were taken.
    await eventually(async () => ((await h.core.run('list_messages', {agent: 's/Agent_2'})).inbox.every((message) => message.state === 'delivered') ? true : undefined))
    expect(typed('s/Agent_2')).toEqual(['[from Agent_1] one', '[from Agent_1] two', '[from Agent_1] three'])
    const {inbox} = await h.core.run('list_messages', {agent: 's/Agent_2'})
    expect(inbox.map((message) => [message.id, message.state])).toEqual(ids.map((id) => [id, 'delivered']))
  })

  it('broadcast from an agent: one message per OTHER agent of its own session, each with its own id and state', async () => {
    await twoAgentsAndAStranger()
    await h.core.run('create_agent', {session: 's', command: 'prog'})
    const me = await as('s', 'Agent_1')
    const result = await h.core.run('broadcast_message', {message: 'standup'}, {caller: me})
    expect(result.messages.map((message) => [message.to, message.delivery])).toEqual([['s/Agent_2', 'delivered'], ['s/Agent_3', 'sent']])
    expect(new Set(result.messages.map((message) => message.messageId)).size).toBe(2)
    expect(typed('s/Agent_2')).toEqual(['[from Agent_1] standup'])
    expect(typed('s/Agent_3')).toEqual(['standup'])
    expect(typed('s/Agent_1')).toEqual([])
    expect(typed('other/Agent_1')).toEqual([])
    const {outbox} = await h.core.run('list_messages', {}, {caller: me})
    // The two sends of a broadcast run at once: either may be recorded first.
    expect(outbox.map((message) => [message.to, message.state, message.broadcastId]).sort()).toEqual([['Agent_2', 'delivered', result.broadcastId], ['Agent_3', 'sent', result.broadcastId]])
    await expect(h.core.run('broadcast_message', {session: 'other', message: 'hi'}, {caller: me})).rejects.toMatchObject({code: 'FORBIDDEN'})
    // The operator reaches every agent of any session; a stopped agent fails alone.
    await h.core.run('clear_agent_conversation', {agent: 's/Agent_3'})
    // Agent_2's turn for "standup" must have ended, or the next message is (rightly) queued.
    await h.core.run('wait_for_agent', {agent: 's/Agent_2', until: 'idle', timeoutSeconds: 30})
    const all = await h.core.run('broadcast_message', {session: 's', message: 'wrap up'})
    expect(all.messages.map((message) => [message.to, message.delivery])).toEqual([['s/Agent_1', 'delivered'], ['s/Agent_2', 'delivered'], ['s/Agent_3', 'failed']])
    expect(all.messages[2]?.error).toMatch(/closed/)
  })

  it('an agent sees only its own session: list_agents, list_messages', async () => {
    await twoAgentsAndAStranger()
    const me = await as('s', 'Agent_1')
    expect((await h.core.run('list_agents', {}, {caller: me})).agents.map((agent) => `${agent.session}/${agent.name}`)).toEqual(['s/Agent_1', 's/Agent_2'])
    await expect(h.core.run('list_agents', {session: 'other'}, {caller: me})).rejects.toMatchObject({code: 'FORBIDDEN'})
    await expect(h.core.run('list_messages', {agent: 'other/Agent_1'}, {caller: me})).rejects.toMatchObject({code: 'FORBIDDEN'})
    expect((await h.core.run('list_agents', {})).agents).toHaveLength(3)
  })

  it('the history keeps the newest messages per session', () => {
    const record = (index: number) => ({id: `m${index}`, from: 'operator', to: 'Agent_1', text: 't', state: 'queued' as const, broadcastId: null, error: null, createdAt: '', updatedAt: ''})
    const log = appended(emptyMessageLog(), Array.from({length: MAX_KEPT + 5}, (_, index) => record(index)))
    expect(log.messages).toHaveLength(MAX_KEPT)
    expect(log.messages[0]?.id).toBe('m5')
  })
})
