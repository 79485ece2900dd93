/**
 * `agent wait --until waiting && agent answer …`: the dialog's Notification can make the agent
 * `waiting` a moment before its PermissionRequest hook records the request (a loaded machine).
 * The answer waits a little for the request instead of failing with "no hook holds that prompt".
 */
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {recordHookEvent} from '../../src/core/delivery/hook-events.js'
import type {Agent} from '../../src/core/domain/state.js'
import {type Harness, createHarness, simulateClaude} from '../helpers/core-harness.js'
import {eventually} from '../helpers/cli.js'

let h: Harness
beforeEach(async () => {
  h = await createHarness()
  await h.core.run('create_session', {name: 's', root: h.root})
  simulateClaude(h)
  await h.core.run('create_agent', {session: 's'})
})
afterEach(async () => h.cleanup())

const hook = (event: Record<string, unknown>, waiter?: {requestId: string; pid: number}) =>
  recordHookEvent({store: h.deps.ports.state, host: h.deps.ports.host, eventsDir: h.deps.settings.paths.eventsDir, session: 's', agent: 'Agent_1', launchId: null, now: new Date(), waiter}, event)
const current = async () => (await h.deps.ports.state.read()).agents[0] as Agent

describe('answering right after the agent shows waiting', () => {
  it('waits for the request its hook records a moment later, then answers it', async () => {
    await hook({hook_event_name: 'UserPromptSubmit', prompt: 'write it'})
    await hook({hook_event_name: 'Notification', notification_type: 'permission_prompt', message: 'Claude needs your permission to use Write'})
    expect(await current()).toMatchObject({status: 'waiting', permissionRequest: null})

    const answering = h.core.run('answer_agent', {agent: 's/Agent_1', answer: 'allow'})
    await new Promise((resolve) => setTimeout(resolve, 300))
    await hook({hook_event_name: 'PermissionRequest', tool_name: 'Write', tool_input: {file_path: 'a.txt'}}, {requestId: 'r1', pid: process.pid})
    // The hook takes the decision and closes the request, as permission-hook.ts does.
    const decided = await eventually(async () => (await current()).permissionRequest?.decision ?? undefined)
    expect(decided).toMatchObject({behavior: 'allow', by: 'operator'})
    await h.deps.ports.state.update((state) => ({value: {...state, agents: state.agents.map((agent) => ({...agent, status: 'busy' as const, waitingFor: null, permissionRequest: null}))}, result: undefined}))
    const {answered} = await answering
    expect(answered).toMatchObject({answer: 'allow', summary: 'Write(a.txt)'})
  })

  it('still refuses, after the grace, a prompt no hook holds', async () => {
    await hook({hook_event_name: 'UserPromptSubmit', prompt: 'write it'})
    await hook({hook_event_name: 'Notification', notification_type: 'permission_prompt', message: 'Claude needs your permission to use Write'})
    await expect(h.core.run('answer_agent', {agent: 's/Agent_1', answer: 'allow'})).rejects.toMatchObject({code: 'AGENT_NOT_WAITING'})
    expect(await current()).toMatchObject({status: 'waiting', permissionRequest: null})
  })
})
