/**
 * Reads that span hosts, through a RemoteHosts fake whose hosts answer when the test says: the
 * order of the list never depends on which host was faster, and a host that does not answer
 * shows its agents as last seen, `unknown`, with the reason.
 */
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {CcmcpError} from '../../src/core/domain/errors.js'
import {Agent} from '../../src/core/domain/state.js'
import type {RemoteHosts, RemoteTarget} from '../../src/core/ports.js'
import {agentDetail} from '../../src/tui/display.js'
import {type Harness, createHarness} from '../helpers/core-harness.js'

const agentOn = (session: string, name: string) =>
  Agent.parse({session, name, kind: 'command', command: ['sh'], status: 'idle', tab: null, conversationId: null, createdAt: '2026-01-01T00:00:00.000Z', lastEventAt: null, lastError: null})

/** Host `a` answers list_agents only when released; `b` at once; `down` never. */
function hostsFake() {
  let release: () => void = () => undefined
  const released = new Promise<void>((resolve) => (release = resolve))
  const agents: Record<string, Agent[]> = {a: [agentOn('alpha', 'Agent_1'), agentOn('alpha', 'Agent_2')], b: [agentOn('beta', 'Agent_1')]}
  const remote: RemoteHosts & {release(): void; down: Set<string>} = {
    down: new Set(),
    release,
    async call(target: RemoteTarget, operation: string, input: unknown) {
      if (remote.down.has(target.host)) throw new CcmcpError('BACKEND_UNAVAILABLE', `Cannot reach ${target.host} over ssh: Connection timed out.`, {reason: 'host-unreachable'})
      if (operation === 'create_session') return {session: {root: '/srv/x', backend: 'tmux'}, trust: null}
      if (operation === 'read_agent_screen') return {agent: agents[target.host]?.[0], screen: `screen of ${(input as {agent: string}).agent} on ${target.host}, ${(input as {lines: number}).lines} lines`}
      if (operation !== 'list_agents') throw new Error(`unexpected ${operation} ${JSON.stringify(input)}`)
      if (target.host === 'a') await released
      return {agents: agents[target.host] ?? []}
    },
    interactiveArgv: (target, line) => ['ssh', '-t', '--', target.host, line],
  }
  return remote
}

let h: Harness
let remote: ReturnType<typeof hostsFake>
beforeEach(async () => {
  remote = hostsFake()
  h = await createHarness({remote})
  await h.core.run('create_session', {name: 'alpha', root: '/srv/x', host: 'a'})
  await h.core.run('create_session', {name: 'beta', root: '/srv/x', host: 'b'})
})
afterEach(async () => {
  await h.cleanup()
})

describe('agents of several hosts', () => {
  it('are listed in the order of their sessions, though the first host answers last', async () => {
    const listing = h.core.run('list_agents', {})
    // b has answered long before a is let go.
    await new Promise((resolve) => setTimeout(resolve, 50))
    remote.release()
    const {agents} = await listing
    expect(agents.map((agent) => `${agent.session}/${agent.name}`)).toEqual(['alpha/Agent_1', 'alpha/Agent_2', 'beta/Agent_1'])
  })

  it('of a host that stops answering are unknown, as last seen, with the reason; the TUI line says it', async () => {
    remote.release()
    await h.core.run('list_agents', {})
    remote.down.add('a')
    const {agents} = await h.core.run('list_agents', {})
    expect(agents.map((agent) => `${agent.session}/${agent.name} ${agent.status}`)).toEqual(['alpha/Agent_1 unknown', 'alpha/Agent_2 unknown', 'beta/Agent_1 idle'])
    expect(agents[0]?.lastError).toBe('Cannot reach a over ssh: Connection timed out.')
    expect(agentDetail(agents[0] as Agent)).toEqual({text: '? Cannot reach a over ssh: Connection timed out.', tone: 'error'})
    const {sessions} = await h.core.run('list_sessions', {})
    expect(sessions.map((session) => [session.name, session.hostError])).toEqual([
      ['alpha', 'Cannot reach a over ssh: Connection timed out.'],
      ['beta', null],
    ])
  })

  it("stay in a view's redraws between live reads (no ssh), as last seen, unknown while their host is down", async () => {
    remote.release()
    const live = await h.core.run('get_overview', {live: true})
    const calls = {count: 0}
    const counting = remote.call
    remote.call = async (...args) => (calls.count++, counting(...args))
    const redraw = await h.core.run('get_overview', {live: false})
    expect(calls.count).toBe(0)
    expect(redraw.agents.map((agent) => `${agent.session}/${agent.name} ${agent.status}`)).toEqual(live.agents.map((agent) => `${agent.session}/${agent.name} ${agent.status}`))
    expect(redraw.sessions.map((session) => session.agents)).toEqual([2, 1])

    remote.down.add('a')
    await h.core.run('get_overview', {live: true})
    const down = await h.core.run('get_overview', {live: false})
    expect(down.agents.map((agent) => `${agent.session}/${agent.name} ${agent.status}`)).toEqual(['alpha/Agent_1 unknown', 'alpha/Agent_2 unknown', 'beta/Agent_1 idle'])
    expect(down.sessions[0]?.hostError).toBe('Cannot reach a over ssh: Connection timed out.')
  })

  it("in a view, the selected remote agent's screen is read on its host", async () => {
    remote.release()
    const {screen} = await h.core.run('get_overview', {live: false, screen: {agent: 'alpha/Agent_2', lines: 7}})
    expect(screen).toEqual({agent: 'alpha/Agent_2', text: 'screen of alpha/Agent_2 on a, 7 lines', error: null})
    remote.down.add('a')
    const down = await h.core.run('get_overview', {live: false, screen: {agent: 'alpha/Agent_2', lines: 7}})
    expect(down.screen).toEqual({agent: 'alpha/Agent_2', text: null, error: 'Cannot reach a over ssh: Connection timed out.'})
  })
})
