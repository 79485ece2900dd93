import {mkdtemp, readFile, rm} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {localHost} from '../../src/core/adapters/local-host.js'
import {createStateStore} from '../../src/core/adapters/stores.js'
import {Agent} from '../../src/core/domain/state.js'
import {applyHookEvent, eventLogPath, recordHookEvent} from '../../src/core/delivery/hook-events.js'
import {hookSettings, launchSpec} from '../../src/core/agents/launch-spec.js'
import {indexTabs, reconcileAgent} from '../../src/core/agents/reconcile.js'
import {main as hookMain} from '../../src/core/entry/hook-entry.js'
import {secretDigest} from '../../src/core/pipeline/caller.js'
import {atRest} from '../../src/core/adapters/at-rest.js'

const agent = (patch: Partial<Agent> = {}): Agent => Agent.parse({
  session: 's', name: 'Agent_1', kind: 'claude', command: ['claude'], status: 'starting',
  tab: {backend: 'tmux', sessionId: '$0', windowId: '@0', paneId: '%0'},
  conversationId: '11111111-1111-4111-8111-111111111111', createdAt: '', lastEventAt: null, lastError: null,
  waitingFor: null, lastReply: null, claudeVersion: null, launchId: 'L1', ...patch,
})

describe('applyHookEvent', () => {
  it.each([
    ['SessionStart', {}, {status: 'idle'}],
    ['UserPromptSubmit', {prompt: 'x'}, {status: 'busy'}],
    ['Stop', {last_assistant_message: 'done'}, {status: 'idle', lastReply: 'done'}],
    ['StopFailure', {error: 'authentication_failed', last_assistant_message: 'API Error: 401'}, {status: 'error', lastError: 'authentication_failed: API Error: 401'}],
    ['PermissionRequest', {tool_name: 'Bash'}, {status: 'waiting', waitingFor: 'permission: Bash'}],
    ['Notification', {notification_type: 'permission_prompt', message: 'Claude needs your permission'}, {status: 'waiting', waitingFor: 'Claude needs your permission'}],
    ['SessionEnd', {reason: 'prompt_input_exit'}, {status: 'exited'}],
  ])('%s', (event, fields, expected) => {
    expect(applyHookEvent(agent({status: 'busy'}), {hook_event_name: event, ...fields})).toMatchObject(expected)
  })

  it('a SessionEnd for a killed terminal ("other") leaves the status to reconciliation (lost, then restart)', () => {
    expect(applyHookEvent(agent({status: 'idle'}), {hook_event_name: 'SessionEnd', reason: 'other'})).toBeNull()
    expect(applyHookEvent(agent({status: 'idle'}), {hook_event_name: 'SessionEnd', reason: 'logout'})).toMatchObject({status: 'exited'})
  })

  it('ignores idle notifications, /clear session ends, unknown events, and anything once closed', () => {
    expect(applyHookEvent(agent({status: 'idle'}), {hook_event_name: 'Notification', notification_type: 'idle_prompt'})).toBeNull()
    expect(applyHookEvent(agent({status: 'idle'}), {hook_event_name: 'SessionEnd', reason: 'clear'})).toBeNull()
    expect(applyHookEvent(agent(), {hook_event_name: 'Whatever'})).toBeNull()
    expect(applyHookEvent(agent({status: 'closed'}), {hook_event_name: 'SessionStart'})).toBeNull()
  })

  it('follows the new conversation id after /clear', () => {
    const id = '22222222-2222-4222-8222-222222222222'
    expect(applyHookEvent(agent(), {hook_event_name: 'SessionStart', source: 'clear', session_id: id})).toMatchObject({conversationId: id})
  })

  it('a tool running after a permission prompt means busy again', () => {
    expect(applyHookEvent(agent({status: 'waiting', waitingFor: 'permission: Bash'}), {hook_event_name: 'PostToolUse'})).toEqual({status: 'busy', waitingFor: null})
  })
})

describe('recordHookEvent', () => {
  it('logs every event and ignores events from an earlier launch', async () => {
    const home = await mkdtemp(path.join(os.tmpdir(), 'ccmcp-hook-'))
    try {
      // Encrypted as the hook entry keeps it (its key file is what the hook process finds too).
      const store = createStateStore(home, undefined, {codec: atRest({env: {CCMCP_KEY: Buffer.alloc(32, 1).toString('base64')}, home}).codec})
      await store.update((state) => ({value: {...state, agents: [agent()]}, result: undefined}))
      const context = {store, host: localHost, eventsDir: path.join(home, 'events'), session: 's', agent: 'Agent_1', now: new Date()}
      expect(await recordHookEvent({...context, launchId: 'OLD'}, {hook_event_name: 'SessionEnd'})).toEqual({status: null, flush: false})
      expect(await recordHookEvent({...context, launchId: 'L1'}, {hook_event_name: 'SessionStart'})).toEqual({status: 'idle', flush: false})
      expect((await store.read()).agents[0]?.status).toBe('idle')
      const log = (await readFile(eventLogPath(context.eventsDir, 's', 'Agent_1'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line))
      expect(log.map((entry) => [entry.hook_event_name, entry.launchId])).toEqual([['SessionEnd', 'OLD'], ['SessionStart', 'L1']])
      // A deleted agent's late SessionEnd leaves no file behind.
      expect(await recordHookEvent({...context, agent: 'Gone', launchId: 'L1'}, {hook_event_name: 'SessionEnd'})).toEqual({status: null, flush: false})
      await expect(readFile(eventLogPath(context.eventsDir, 's', 'Gone'), 'utf8')).rejects.toThrow()
    } finally {
      await rm(home, {recursive: true, force: true})
    }
  })
})

describe('events from async hooks, recorded out of order', () => {
  const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second))

  it('a late event never moves the status back, but its prompt still confirms delivery', async () => {
    const home = await mkdtemp(path.join(os.tmpdir(), 'ccmcp-hook-'))
    try {
      // Encrypted as the hook entry keeps it (its key file is what the hook process finds too).
      const store = createStateStore(home, undefined, {codec: atRest({env: {CCMCP_KEY: Buffer.alloc(32, 1).toString('base64')}, home}).codec})
      await store.update((state) => ({value: {...state, agents: [agent({status: 'idle'})]}, result: undefined}))
      const context = {store, host: localHost, eventsDir: path.join(home, 'events'), session: 's', agent: 'Agent_1', launchId: 'L1'}
      // The turn: UserPromptSubmit (t1), PreToolUse (t2), Stop (t3); Stop's hook finished first.
      expect(await recordHookEvent({...context, now: at(3)}, {hook_event_name: 'Stop', last_assistant_message: 'done'})).toEqual({status: 'idle', flush: false})
      expect(await recordHookEvent({...context, now: at(1)}, {hook_event_name: 'UserPromptSubmit', prompt: 'hello'})).toEqual({status: null, flush: false})
      expect(await recordHookEvent({...context, now: at(2)}, {hook_event_name: 'PreToolUse', tool_name: 'Bash'})).toEqual({status: null, flush: false})
      const stored = (await store.read()).agents[0]
      expect(stored).toMatchObject({status: 'idle', lastReply: 'done', lastPrompt: 'hello', lastPromptAt: at(1).toISOString(), lastEventAt: at(3).toISOString()})
      // An older prompt arriving after a newer one does not replace it.
      await recordHookEvent({...context, now: at(5)}, {hook_event_name: 'UserPromptSubmit', prompt: 'second'})
      await recordHookEvent({...context, now: at(6)}, {hook_event_name: 'Stop'})
      await recordHookEvent({...context, now: at(4)}, {hook_event_name: 'UserPromptSubmit', prompt: 'first'})
      expect((await store.read()).agents[0]).toMatchObject({status: 'idle', lastPrompt: 'second', lastPromptAt: at(5).toISOString()})
    } finally {
      await rm(home, {recursive: true, force: true})
    }
  })

  it('the hook entry dates an event by when its process started, not when it got to record it', async () => {
    const home = await mkdtemp(path.join(os.tmpdir(), 'ccmcp-hook-'))
    try {
      // Encrypted as the hook entry keeps it (its key file is what the hook process finds too).
      const store = createStateStore(home, undefined, {codec: atRest({env: {CCMCP_KEY: Buffer.alloc(32, 1).toString('base64')}, home}).codec})
      await store.update((state) => ({value: {...state, agents: [agent({status: 'idle', secretDigest: secretDigest('S1')})]}, result: undefined}))
      const env = {CCMCP_HOME: home, CCMCP_SESSION: 's', CCMCP_AGENT: 'Agent_1', CCMCP_LAUNCH_ID: 'L1', CCMCP_AGENT_SECRET: 'S1'}
      await hookMain(env, {startedAt: at(9), input: async () => JSON.stringify({hook_event_name: 'Stop'})})
      await hookMain(env, {startedAt: at(8), input: async () => JSON.stringify({hook_event_name: 'UserPromptSubmit', prompt: 'p'})})
      expect((await store.read()).agents[0]).toMatchObject({status: 'idle', lastEventAt: at(9).toISOString(), lastPromptAt: at(8).toISOString()})
    } finally {
      await rm(home, {recursive: true, force: true})
    }
  })
})

describe('reconcileAgent', () => {
  const tab = (patch: object) => indexTabs([{tab: {backend: 'tmux', sessionId: '$0', windowId: '@0', paneId: '%0'}, agentKey: 's/Agent_1', launchId: null, alive: true, exitStatus: null, ...patch}])

  it('leaves a live agent alone', () => {
    expect(reconcileAgent(agent({status: 'busy'}), tab({}))).toBeNull()
  })
  it('marks a vanished tab lost, but keeps an agent that ended itself exited', () => {
    expect(reconcileAgent(agent({status: 'idle'}), new Map())).toMatchObject({status: 'lost'})
    expect(reconcileAgent(agent({status: 'exited'}), new Map())).toBeNull()
  })
  it('marks a dead pane exited with its status', () => {
    expect(reconcileAgent(agent({status: 'idle'}), tab({alive: false, exitStatus: 1}))).toEqual({status: 'exited', lastError: 'exited with status 1'})
  })
  it('does not mistake another agent reusing the pane id (new tmux server) for this one', () => {
    expect(reconcileAgent(agent({status: 'idle'}), tab({agentKey: 'other/Agent_7'}))).toMatchObject({status: 'lost'})
  })
})

describe('launchSpec', () => {
  const session = {name: 's', root: '/r'}
  it('resumes with --resume, never --session-id', () => {
    const spec = launchSpec({agent: agent(), session, baseEnv: {}, home: '/h', settingsFile: '/f', resume: true, secret: 'secret'})
    expect(spec.argv.slice(0, 3)).toEqual(['claude', '--resume', '11111111-1111-4111-8111-111111111111'])
    expect(spec.argv).not.toContain('--session-id')
  })
  it('installs a hook for every status event', () => {
    const hooks = hookSettings("'node' '/x/hook.js'").hooks as Record<string, Array<{hooks: Array<{command: string}>}>>
    expect(Object.keys(hooks)).toEqual(expect.arrayContaining(['SessionStart', 'UserPromptSubmit', 'Stop', 'StopFailure', 'Notification', 'PermissionRequest', 'SessionEnd']))
    expect(hooks.Stop?.[0]?.hooks[0]?.command).toBe("'node' '/x/hook.js'")
  })
  it('costs a turn nothing: turn events run async; only SessionStart, SessionEnd and PermissionRequest (it waits for an answer) are waited for', () => {
    const hooks = hookSettings("'node' '/x/hook.js'").hooks as Record<string, Array<{hooks: Array<{async?: boolean; timeout?: number}>}>>
    const waited = Object.entries(hooks).filter(([, entry]) => entry[0]?.hooks[0]?.async !== true).map(([event]) => event)
    expect(waited.sort()).toEqual(['PermissionRequest', 'SessionEnd', 'SessionStart'])
    expect(hooks.PermissionRequest?.[0]?.hooks[0]?.timeout).toBe(3600)
  })
  it('gives a recording hook minutes: Claude Code drops an event whose hook times out, and a lost Stop leaves the agent busy for good', () => {
    const hooks = hookSettings("'node' '/x/hook.js'").hooks as Record<string, Array<{hooks: Array<{async?: boolean; timeout?: number}>}>>
    for (const event of ['UserPromptSubmit', 'Stop', 'StopFailure', 'Notification']) expect(hooks[event]?.[0]?.hooks[0]?.timeout).toBeGreaterThanOrEqual(120)
    for (const event of ['SessionStart', 'SessionEnd']) expect(hooks[event]?.[0]?.hooks[0]?.timeout).toBeGreaterThanOrEqual(30)
  })
})
