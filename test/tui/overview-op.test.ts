/** get_overview: the one read `ccmcp watch` makes per refresh, against a real store and a fake backend. */
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {CcmcpError} from '../../src/core/domain/errors.js'
import {type Harness, createHarness} from '../helpers/core-harness.js'

let h: Harness

beforeEach(async () => {
  h = await createHarness()
  await h.core.run('create_session', {name: 'api', root: h.root})
  await h.core.run('create_session', {name: 'web', root: h.root})
  for (let index = 0; index < 3; index++) await h.core.run('create_agent', {session: 'api', command: 'worker --fast'})
})

afterEach(async () => {
  await h.cleanup()
})

describe('get_overview', () => {
  it('returns every session with its agent count and every agent, checking the terminal with ONE list call', async () => {
    const before = h.backend.listCalls
    const overview = await h.core.run('get_overview', {})
    expect(h.backend.listCalls - before).toBe(1)
    expect(overview.sessions.map((session) => [session.name, session.agents])).toEqual([['api', 3], ['web', 0]])
    expect(overview.agents.map((agent) => agent.name)).toEqual(['Agent_1', 'Agent_2', 'Agent_3'])
    expect(overview.screen).toBeNull()
  })

  it('live finds a vanished tab (lost); not live reads only the state file and makes no terminal call', async () => {
    h.backend.tabs.splice(1, 1)
    const before = h.backend.listCalls
    const recorded = await h.core.run('get_overview', {live: false})
    expect(h.backend.listCalls).toBe(before)
    expect(recorded.agents[1]?.status).toBe('unknown')
    const live = await h.core.run('get_overview', {live: true})
    expect(live.agents.map((agent) => agent.status)).toEqual(['unknown', 'lost', 'unknown'])
    expect((await h.core.run('get_overview', {live: false})).agents[1]?.status).toBe('lost')
  })

  it("reads one agent's screen in the same call, and reports a screen it cannot read instead of failing", async () => {
    const tab = h.backend.tabOf('api/Agent_2')
    if (tab) tab.screen = 'line 1\nline 2\nline 3'
    const overview = await h.core.run('get_overview', {live: false, screen: {agent: 'api/Agent_2', lines: 2}})
    expect(overview.screen).toEqual({agent: 'api/Agent_2', text: 'line 2\nline 3', error: null})

    h.backend.tabs.splice(0, 1)
    const lost = await h.core.run('get_overview', {screen: {agent: 'api/Agent_1', lines: 5}})
    expect(lost.screen).toEqual({agent: 'api/Agent_1', text: null, error: 'no tab (status: lost)'})

    const missing = await h.core.run('get_overview', {screen: {agent: 'api/Agent_9', lines: 5}})
    expect(missing.agents).toHaveLength(3)
    expect(missing.screen).toEqual({agent: 'api/Agent_9', text: null, error: 'Session "api" has no agent named "Agent_9".'})
  })

  it('limits to one session, and names the sessions there are when it does not exist', async () => {
    const web = await h.core.run('get_overview', {session: 'web'})
    expect(web.sessions.map((session) => session.name)).toEqual(['web'])
    expect(web.agents).toEqual([])
    const failure = await h.core.run('get_overview', {session: 'nope'}).catch((error: unknown) => error)
    expect(failure).toBeInstanceOf(CcmcpError)
    expect(failure).toMatchObject({code: 'NOT_FOUND', hint: 'Known sessions: api, web.'})
  })
})
