/**
 * Issue 10 items 1 and 2: every operation runs for a caller, through one pipeline (authorize →
 * validate → run → record). The caller reaches the handler and the record step; an MCP client's
 * clearance and an agent's proof are checked in core, whatever the surface; hook events and the
 * flusher take the same path as internal operations.
 */
import {readFile} from 'node:fs/promises'
import path from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {type AgentCaller, type Caller, OPERATOR, secretDigest, surfaceCaller} from '../../src/core/pipeline/caller.js'
import {createCore} from '../../src/core/pipeline/core.js'
import {main as flushMain} from '../../src/core/entry/flush-entry.js'
import {main as hookMain} from '../../src/core/entry/hook-entry.js'
import {internalPipeline, recordHookEventOperation} from '../../src/core/pipeline/internal-operations.js'
import {createPipeline} from '../../src/core/pipeline/pipeline.js'
import type {OperationRecord, Recorder} from '../../src/core/ports.js'
import {serverCaller} from '../../src/mcp/serve.js'
import {type Harness, createHarness, simulateClaude} from '../helpers/core-harness.js'
import {agentCallerOf, agentEnvOf} from '../helpers/agent-env.js'

let h: Harness
beforeEach(async () => {
  h = await createHarness()
  await h.core.run('create_session', {name: 's', root: h.root})
})
afterEach(async () => {
  await h.cleanup()
})

function recording(): Recorder & {entries: OperationRecord[]} {
  const entries: OperationRecord[] = []
  return {entries, record: (entry) => void entries.push(entry)}
}

async function agentCaller(name: string): Promise<AgentCaller> {
  return agentCallerOf(h.backend, `s/${name}`)
}

const lowClient: Caller = {kind: 'mcp', clearance: 'LOW', client: null}

describe('the caller, from the surface to the handler and the record step', () => {
  it('one operation as the operator, an MCP client at LOW and an agent: each reaches the handler and is recorded', async () => {
    await h.core.run('create_agent', {session: 's', command: 'prog'})
    const recorder = recording()
    const seen: Caller[] = []
    // The pipeline core runs on, over a LOW probe operation that shows what its handler got.
    const run = createPipeline({
      find: (name) => (name === 'probe' ? {name, level: 'LOW', scope: () => ({}), validate: (input) => input, handler: async (_input, context) => void seen.push(context.caller)} : undefined),
      unknown: () => new Error('unknown') as never,
      context: {},
      state: h.deps.ports.state,
      recorder,
      now: () => new Date(),
    })
    const agent = await agentCaller('Agent_1')
    for (const caller of [OPERATOR, lowClient, agent]) await run('probe', {}, caller)
    expect(seen).toEqual([OPERATOR, lowClient, agent])
    expect(recorder.entries.map((entry) => [entry.operation, entry.caller, entry.outcome])).toEqual([
      ['probe', OPERATOR, 'ok'],
      ['probe', lowClient, 'ok'],
      ['probe', agent, 'ok'],
    ])

    // The same through core.run with a real operation.
    const core = createCore(h.deps, {recorder})
    recorder.entries.length = 0
    for (const caller of [OPERATOR, lowClient, agent]) expect((await core.run('list_agents', {session: 's'}, {caller})).agents).toHaveLength(1)
    expect(recorder.entries.map((entry) => [entry.operation, entry.caller.kind, entry.outcome, entry.input])).toEqual([
      ['list_agents', 'operator', 'ok', {session: 's'}],
      ['list_agents', 'mcp', 'ok', {session: 's'}],
      ['list_agents', 'agent', 'ok', {session: 's'}],
    ])
  })

  it('the sender header comes from the caller, not from the environment of the process', async () => {
    simulateClaude(h)
    // The environment says Agent_9 is acting; only the caller counts.
    h.deps.launch.env.CCMCP_SESSION = 's'
    h.deps.launch.env.CCMCP_AGENT = 'Agent_9'
    await h.core.run('create_agent', {session: 's'})
    await h.core.run('create_agent', {session: 's'})
    const core = createCore(h.deps)
    await core.run('send_message_to_agent', {agent: 's/Agent_1', message: 'from the operator', wait: true, timeoutSeconds: 5}, {caller: OPERATOR})
    await core.run('send_message_to_agent', {agent: 's/Agent_1', message: 'from a peer', wait: true, timeoutSeconds: 5}, {caller: await agentCaller('Agent_2')})
    const typed = h.backend.tabs[0]?.typed.map((entry) => entry.text).filter(Boolean)
    expect(typed).toEqual(['[from operator] from the operator', '[from Agent_2] from a peer'])
  })

  it('an MCP client at LOW is refused a HIGH operation by core itself, recorded as refused, and nothing changes', async () => {
    const recorder = recording()
    const core = createCore(h.deps, {recorder})
    const refused = await core.run('delete_session', {name: 's'}, {caller: lowClient}).catch((error: unknown) => error)
    expect(refused).toMatchObject({
      code: 'FORBIDDEN',
      message: 'delete_session is a HIGH-level operation, and this server runs at security level LOW; nothing was done.',
      details: {operation: 'delete_session', level: 'HIGH', clearance: 'LOW'},
    })
    expect(recorder.entries).toMatchObject([{operation: 'delete_session', outcome: 'refused', error: {code: 'FORBIDDEN'}}])
    expect((await core.run('list_sessions', {})).sessions.map((session) => session.name)).toEqual(['s'])
    // An agent acting through a LOW server is held to it too.
    await h.core.run('create_agent', {session: 's', command: 'prog'})
    const agentAtLow = {...(await agentCaller('Agent_1')), clearance: 'LOW' as const}
    await expect(core.run('delete_session', {name: 's'}, {caller: agentAtLow})).rejects.toMatchObject({code: 'FORBIDDEN'})
  })

  it("an agent caller must present its current launch's secret: forged, missing, stale, read off the tab or deleted are refused", async () => {
    await h.core.run('create_session', {name: 'roomy', root: h.root, agentsMayCreateAgents: true})
    await h.core.run('create_agent', {session: 'roomy', command: 'prog'})
    const old = agentCallerOf(h.backend, 'roomy/Agent_1')
    await h.core.run('start_new_agent_conversation', {agent: 'roomy/Agent_1'})
    const real = agentCallerOf(h.backend, 'roomy/Agent_1')
    expect(real.secretDigest).not.toBe(old.secretDigest)
    const recorder = recording()
    const core = createCore(h.deps, {recorder})
    const stored = (await h.deps.ports.state.read()).agents.find((agent) => agent.session === 'roomy')
    // The state holds a digest, never the secret; the launch id (on the tab for anyone to read) proves nothing.
    expect(stored?.secretDigest).toBe(real.secretDigest)
    expect(JSON.stringify(await readFile(path.join(h.home, 'state.json'), 'utf8'))).not.toContain(agentEnvOf(h.backend, 'roomy/Agent_1').CCMCP_AGENT_SECRET)
    const attempts: Array<[AgentCaller, string]> = [
      [{...real, secretDigest: old.secretDigest}, 'wrong-secret'],
      [{...real, secretDigest: secretDigest('forged')}, 'wrong-secret'],
      [{...real, secretDigest: ''}, 'no-proof'],
      [old, 'stale-launch'],
      [{...real, agent: 'Agent_7'}, 'unknown-agent'],
    ]
    for (const [caller, reason] of attempts) {
      await expect(core.run('create_agent', {session: 'roomy'}, {caller})).rejects.toMatchObject({code: 'FORBIDDEN', reason})
    }
    expect((await core.run('list_agents', {session: 'roomy'})).agents.map((agent) => agent.name)).toEqual(['Agent_1'])
    expect(recorder.entries.map((entry) => entry.outcome)).toEqual(['refused', 'refused', 'refused', 'refused', 'refused', 'ok'])
    // The CLI builds the caller once, from the agent's environment; the MCP server the same way.
    const env = agentEnvOf(h.backend, 'roomy/Agent_1')
    expect(surfaceCaller(env)).toEqual(real)
    expect(surfaceCaller({})).toEqual(OPERATOR)
    expect(serverCaller(env, 'MEDIUM', null)).toEqual({...real, clearance: 'MEDIUM'})
  })

  it("no result shows an agent's secret digest (what its spooled hook events prove themselves with) or its spool offset", async () => {
    // Defect: every status read printed secretDigest, so whoever could read a status and append to the spool could speak as the agent.
    await h.core.run('create_session', {name: 'shown', root: h.root})
    const created = await h.core.run('create_agent', {session: 'shown', command: 'prog'})
    const stored = (await h.deps.ports.state.read()).agents.find((agent) => agent.session === 'shown')
    expect(stored?.secretDigest).toMatch(/^[0-9a-f]{64}$/)
    const results = [
      created,
      await h.core.run('list_agents', {session: 'shown'}),
      await h.core.run('get_session_status', {name: 'shown'}),
      await h.core.run('get_overview', {live: true, tasks: true}),
      await h.core.run('start_new_agent_conversation', {agent: 'shown/Agent_1'}),
    ]
    for (const result of results) {
      const text = JSON.stringify(result)
      expect(text).toContain('"Agent_1"')
      expect(text).not.toContain('secretDigest')
      expect(text).not.toContain('hookSpoolOffset')
    }
    const restarted = (await h.deps.ports.state.read()).agents.find((agent) => agent.session === 'shown')?.secretDigest
    for (const digest of [stored?.secretDigest, restarted]) expect(JSON.stringify(results)).not.toContain(digest)
  })

  it('internal operations are not offered to the public, and refuse callers they are not for', async () => {
    await expect(h.core.run('record_hook_event' as never, {} as never)).rejects.toMatchObject({code: 'INVALID_INPUT', message: 'Unknown operation "record_hook_event".'})
    const run = internalPipeline({record_hook_event: recordHookEventOperation}, {store: h.deps.ports.state, host: h.deps.ports.host, eventsDir: h.deps.settings.paths.eventsDir, now: () => new Date(), startFlusher() {}}, {state: h.deps.ports.state, recorder: recording(), now: () => new Date()})
    await expect(run('record_hook_event', {hook_event_name: 'Stop'}, OPERATOR)).rejects.toMatchObject({code: 'FORBIDDEN', reason: 'internal-operation'})
  })
})

describe('hook events and the flusher go through the pipeline', () => {
  const env = (extra: Record<string, string>) => ({CCMCP_HOME: h.home, PATH: process.env.PATH ?? '', ...extra})

  it('a hook event is run as the agent and recorded; a forged one (no secret, a wrong one, an earlier launch\'s) changes nothing and is recorded as refused', async () => {
    await h.core.run('create_agent', {session: 's', command: 'prog'})
    const earlier = agentEnvOf(h.backend, 's/Agent_1')
    await h.core.run('start_new_agent_conversation', {agent: 's/Agent_1'})
    const current = agentEnvOf(h.backend, 's/Agent_1')
    const recorder = recording()
    const event = (payload: Record<string, unknown>) => async () => JSON.stringify(payload)
    const before = (await h.deps.ports.state.read()).agents[0]
    const forgeries: Array<[Record<string, string>, string]> = [
      [{...current, CCMCP_AGENT_SECRET: ''}, 'no-proof'],
      [{...current, CCMCP_AGENT_SECRET: 'guessed'}, 'wrong-secret'],
      // What any same-user process can read off the tab: the current launch id, with an old secret.
      [{...current, CCMCP_AGENT_SECRET: earlier.CCMCP_AGENT_SECRET ?? ''}, 'wrong-secret'],
      [earlier, 'stale-launch'],
    ]
    for (const [forged] of forgeries) await hookMain(env(forged), {recorder, input: event({hook_event_name: 'StopFailure', error: 'forged'})})
    expect(recorder.entries.map((entry) => [entry.outcome, entry.error?.code, entry.error?.reason])).toEqual(forgeries.map(([, reason]) => ['refused', 'FORBIDDEN', reason]))
    expect((await h.deps.ports.state.read()).agents[0]).toEqual(before)
    await expect(readFile(path.join(h.home, 'events', 's', 'Agent_1.jsonl'), 'utf8')).rejects.toThrow()

    recorder.entries.length = 0
    await hookMain(env(current), {recorder, input: event({hook_event_name: 'Stop', last_assistant_message: 'done'})})
    expect(recorder.entries).toMatchObject([{operation: 'record_hook_event', caller: {kind: 'agent', session: 's', agent: 'Agent_1', launchId: current.CCMCP_LAUNCH_ID}, outcome: 'ok'}])
    expect((await h.deps.ports.state.read()).agents[0]).toMatchObject({status: 'idle', lastReply: 'done', lastError: null})
  })

  it('an event without the agent secret is refused and said so in hook.log', async () => {
    await h.core.run('create_agent', {session: 's', command: 'prog'})
    const recorder = recording()
    const {CCMCP_AGENT_SECRET: _secret, ...withoutSecret} = agentEnvOf(h.backend, 's/Agent_1')
    await hookMain(env(withoutSecret), {recorder, input: async () => '{"hook_event_name": "Stop", "last_assistant_message": "x"}'})
    expect(recorder.entries).toMatchObject([{outcome: 'refused', error: {reason: 'no-proof'}}])
    expect((await h.deps.ports.state.read()).agents[0]?.lastReply).toBeNull()
    expect(await readFile(path.join(h.home, 'logs', 'hook.log'), 'utf8')).toMatch(/no agent secret \(CCMCP_AGENT_SECRET\)/)
    // No identity at all: refused and recorded too, and hook.log says what is missing.
    recorder.entries.length = 0
    await hookMain(env({}), {recorder, input: async () => '{"hook_event_name": "Stop", "last_assistant_message": "y"}'})
    expect(recorder.entries).toMatchObject([{operation: 'record_hook_event', outcome: 'refused', error: {code: 'FORBIDDEN'}}])
    expect(await readFile(path.join(h.home, 'logs', 'hook.log'), 'utf8')).toMatch(/CCMCP_SESSION and CCMCP_AGENT are not set/)
  })

  it('a PermissionRequest that a newer event had closed is left to Claude Code, and hook.log says so', async () => {
    await h.core.run('create_agent', {session: 's', command: 'prog'})
    const current = agentEnvOf(h.backend, 's/Agent_1')
    const event = (payload: Record<string, unknown>) => async () => JSON.stringify(payload)
    await hookMain(env(current), {recorder: recording(), input: event({hook_event_name: 'Stop', last_assistant_message: 'done'})})
    const printed: string[] = []
    // Its hook process started a minute before that Stop: the call it asks about was decided already.
    await hookMain(env(current), {recorder: recording(), startedAt: new Date(Date.now() - 60_000), print: (text) => printed.push(text), input: event({hook_event_name: 'PermissionRequest', tool_name: 'Write', tool_input: {file_path: 'a.txt'}})})
    expect(printed).toEqual([])
    expect((await h.deps.ports.state.read()).agents[0]).toMatchObject({status: 'idle', permissionRequest: null})
    expect(await readFile(path.join(h.home, 'logs', 'hook.log'), 'utf8')).toMatch(/PermissionRequest for Write was not recorded as open/)
  })

  it('the flusher runs as ccmcp for the agent named on its command line, not the one in its environment', async () => {
    await h.core.run('create_agent', {session: 's', command: 'prog'})
    await h.core.run('create_agent', {session: 's', command: 'prog'})
    const recorder = recording()
    await flushMain(['s/Agent_2'], env({CCMCP_SESSION: 's', CCMCP_AGENT: 'Agent_1'}), {recorder})
    expect(recorder.entries).toMatchObject([{operation: 'flush_queue', caller: {kind: 'ccmcp', task: 'flusher'}, input: {agent: 's/Agent_2'}, outcome: 'ok'}])
    recorder.entries.length = 0
    await flushMain([], env({CCMCP_SESSION: 's', CCMCP_AGENT: 'Agent_1'}), {recorder})
    expect(recorder.entries).toMatchObject([{operation: 'flush_queue', outcome: 'failed', error: {code: 'INVALID_INPUT'}}])
  })
})
