/**
 * A permission prompt reports twice: the waiting PermissionRequest hook (what is asked) and, about
 * 6 s later, the dialog's generic Notification ("Claude needs your permission"). Events are dated
 * by when their hook started, but the waiting hook reads the state before it records, so on a
 * loaded machine the Notification can be recorded first. Either order must end the same: waiting
 * for the request's own summary, with the request open for `agent answer`.
 */
import {mkdtemp, rm} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'

import {localHost} from '../../src/core/adapters/local-host.js'
import {createStateStore} from '../../src/core/adapters/stores.js'
import {Agent} from '../../src/core/domain/state.js'
import {recordHookEvent} from '../../src/core/delivery/hook-events.js'

const agent = (patch: Partial<Agent> = {}): Agent => Agent.parse({
  session: 's', name: 'Agent_1', kind: 'claude', command: ['claude'], status: 'busy',
  tab: {backend: 'tmux', sessionId: '$0', windowId: '@0', paneId: '%0'},
  conversationId: '11111111-1111-4111-8111-111111111111', createdAt: '', lastEventAt: null, lastError: null,
  waitingFor: null, lastReply: null, claudeVersion: null, launchId: 'L1', ...patch,
})

const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second))
const request = {hook_event_name: 'PermissionRequest', tool_name: 'Bash', tool_input: {command: 'echo allowed > permission.txt'}, cwd: '/src/a'}
const notification = {hook_event_name: 'Notification', notification_type: 'permission_prompt', message: 'Claude needs your permission'}
const waiter = {requestId: 'req-1', pid: 4242}

describe('a permission request and its dialog notification, in either order', () => {
  let home: string | undefined
  afterEach(async () => {
    if (home) await rm(home, {recursive: true, force: true})
  })

  async function setup(patch: Partial<Agent> = {}) {
    home = await mkdtemp(path.join(os.tmpdir(), 'ccmcp-race-'))
    const store = createStateStore(home)
    await store.update((state) => ({value: {...state, agents: [agent({lastEventAt: at(1).toISOString(), ...patch})]}, result: undefined}))
    const context = {store, host: localHost, eventsDir: path.join(home, 'events'), session: 's', agent: 'Agent_1', launchId: 'L1'}
    // The PermissionRequest hook started at t=2 (it waits: it carries its request id); the Notification's at t=8.
    const recordRequest = () => recordHookEvent({...context, now: at(2), waiter}, request)
    const recordNotification = () => recordHookEvent({...context, now: at(8)}, notification)
    return {store, context, recordRequest, recordNotification, current: async () => (await store.read()).agents[0] as Agent}
  }

  const expected = {
    status: 'waiting',
    waitingFor: 'permission: Bash(echo allowed > permission.txt)',
    permissionRequest: {id: 'req-1', tool: 'Bash', summary: 'Bash(echo allowed > permission.txt)', hookPid: 4242, decision: null},
    lastEventAt: at(8).toISOString(),
  }

  it('request first, then the notification: the notification keeps the request and its summary', async () => {
    const t = await setup()
    await t.recordRequest()
    await t.recordNotification()
    expect(await t.current()).toMatchObject(expected)
  })

  it('notification first (the waiting hook was slow to record): the request still opens and says what it asks', async () => {
    const t = await setup()
    await t.recordNotification()
    expect(await t.current()).toMatchObject({status: 'waiting', waitingFor: 'Claude needs your permission', permissionRequest: null})
    await t.recordRequest()
    expect(await t.current()).toMatchObject(expected)
  })

  it('a request recorded after the prompt was answered in the terminal (PostToolUse) stays closed', async () => {
    const t = await setup()
    await t.recordNotification()
    await recordHookEvent({...t.context, now: at(9)}, {hook_event_name: 'PostToolUse', tool_name: 'Bash'})
    await t.recordRequest()
    expect(await t.current()).toMatchObject({status: 'busy', waitingFor: null, permissionRequest: null, lastEventAt: at(9).toISOString()})
  })

  it('a late request does not reopen one that is already open (its own hook recorded it)', async () => {
    const t = await setup()
    await t.recordRequest()
    await t.recordNotification()
    await recordHookEvent({...t.context, now: at(1), waiter: {requestId: 'stale', pid: 1}}, {...request, tool_input: {command: 'older'}})
    expect(await t.current()).toMatchObject(expected)
  })

  it('the tool\'s own PreToolUse (async, started just after the request\'s hook) recorded first: the request still opens', async () => {
    const t = await setup()
    // Claude Code 2.1.330 starts the async PreToolUse hook and the blocking PermissionRequest hook together.
    await recordHookEvent({...t.context, now: new Date(at(2).getTime() + 9)}, {hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: request.tool_input})
    await t.recordRequest()
    expect(await t.current()).toMatchObject({...expected, lastEventAt: new Date(at(2).getTime() + 9).toISOString()})
    await t.recordNotification()
    expect(await t.current()).toMatchObject({...expected, lastEvent: 'Notification'})
  })

  it('a request recorded after its tool ran (PreToolUse, PostToolUse: answered in the terminal) stays closed', async () => {
    const t = await setup()
    await recordHookEvent({...t.context, now: new Date(at(2).getTime() + 9)}, {hook_event_name: 'PreToolUse', tool_name: 'Bash'})
    await recordHookEvent({...t.context, now: at(5)}, {hook_event_name: 'PostToolUse', tool_name: 'Bash'})
    await t.recordRequest()
    expect(await t.current()).toMatchObject({status: 'busy', waitingFor: null, permissionRequest: null, lastEvent: 'PostToolUse'})
  })
})

describe('a turn\'s hooks recorded out of their start order (async hooks started within milliseconds)', () => {
  let home: string | undefined
  afterEach(async () => {
    if (home) await rm(home, {recursive: true, force: true})
  })

  async function setup() {
    home = await mkdtemp(path.join(os.tmpdir(), 'ccmcp-turn-'))
    const store = createStateStore(home)
    await store.update((state) => ({value: {...state, agents: [agent({status: 'idle', lastEventAt: at(1).toISOString()})]}, result: undefined}))
    const context = {store, host: localHost, eventsDir: path.join(home, 'events'), session: 's', agent: 'Agent_1', launchId: 'L1'}
    const record = (ms: number, event: Record<string, unknown>) => recordHookEvent({...context, now: new Date(at(2).getTime() + ms)}, event)
    return {record, current: async () => (await store.read()).agents[0] as Agent}
  }
  const turn = (prompt: string) => ({
    submit: {hook_event_name: 'UserPromptSubmit', prompt: 'go', prompt_id: prompt},
    pre: {hook_event_name: 'PreToolUse', tool_name: 'Bash', prompt_id: prompt},
    post: {hook_event_name: 'PostToolUse', tool_name: 'Bash', prompt_id: prompt},
    stop: {hook_event_name: 'Stop', last_assistant_message: `done ${prompt}`, prompt_id: prompt},
  })

  it('the Stop whose process started a moment before its own PostToolUse\'s, recorded after it: idle, with the reply', async () => {
    const t = await setup()
    const one = turn('P1')
    await t.record(0, one.submit)
    await t.record(10, one.pre)
    await t.record(50, one.post)
    await t.record(45, one.stop)
    expect(await t.current()).toMatchObject({status: 'idle', lastReply: 'done P1'})
  })

  it('a fast turn: its Stop recorded after its UserPromptSubmit although it started first: idle', async () => {
    const t = await setup()
    const one = turn('P1')
    await t.record(20, one.submit)
    await t.record(15, one.stop)
    expect(await t.current()).toMatchObject({status: 'idle', lastReply: 'done P1', lastPrompt: 'go'})
  })

  it('a fast turn whose Stop started first and was recorded first, its UserPromptSubmit after: idle, the prompt counted, nothing older kept', async () => {
    const t = await setup()
    const one = turn('P1')
    await t.record(15, one.stop)
    await t.record(20, one.submit)
    expect(await t.current()).toMatchObject({status: 'idle', lastReply: 'done P1', lastPrompt: 'go', lastPromptAt: new Date(at(2).getTime() + 20).toISOString(), lastEvent: 'Stop'})
    // The next turn is a new prompt_id: busy as ever.
    await t.record(100, turn('P2').submit)
    expect((await t.current()).status).toBe('busy')
  })

  it('a failed fast turn the same way: stays error', async () => {
    const t = await setup()
    const one = turn('P1')
    await t.record(15, {hook_event_name: 'StopFailure', error: 'server_error', prompt_id: 'P1'})
    await t.record(20, one.submit)
    expect(await t.current()).toMatchObject({status: 'error', lastPrompt: 'go'})
  })

  it('the PostToolUse of a turn that has ended, recorded after its Stop with a later start: stays idle', async () => {
    const t = await setup()
    const one = turn('P1')
    await t.record(0, one.submit)
    await t.record(45, one.stop)
    await t.record(50, one.post)
    expect(await t.current()).toMatchObject({status: 'idle', lastReply: 'done P1'})
  })

  it('a tool call of another turn still makes an idle agent busy; an earlier turn\'s Stop after the next prompt stays stale', async () => {
    const t = await setup()
    const [one, two] = [turn('P1'), turn('P2')]
    await t.record(0, one.submit)
    await t.record(40, one.stop)
    await t.record(100, two.pre)
    expect((await t.current()).status).toBe('busy')
    await t.record(200, two.submit)
    await t.record(30, {...one.stop, last_assistant_message: 'late'})
    expect(await t.current()).toMatchObject({status: 'busy', lastReply: 'done P1'})
  })
})
