/**
 * A turn whose Stop hook never arrived (Claude Code cancelled the hook at its timeout, or it
 * crashed): after a long silence the screen decides, so the agent does not stay busy for good
 * with its messages queued behind it; a screen still showing a turn or a dialog changes nothing.
 */
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {STALLED_TURN_MS, mayHaveStalled, screenShowsTurnOver} from '../../src/core/agents/stalled-turn.js'
import {recordHookEvent} from '../../src/core/delivery/hook-events.js'
import type {Agent} from '../../src/core/domain/state.js'
import {eventually} from '../helpers/cli.js'
import {type Harness, claudeScreen, createHarness, fastClock, simulateClaude} from '../helpers/core-harness.js'

const BUSY_SCREEN = `${claudeScreen('')}\n✻ Thinking… (12s · esc to interrupt)`
const PERMISSION_SCREEN = 'Bash command\n  rm -rf build\nDo you want to proceed?\n❯ 1. Yes\n  2. No\n  ⏵⏵ accept edits on (shift+tab to cycle)'

describe('what the screen says about a silent turn', () => {
  it('over only at a ready prompt with no turn running and no dialog', () => {
    expect(screenShowsTurnOver(claudeScreen(''))).toBe(true)
    expect(screenShowsTurnOver(BUSY_SCREEN)).toBe(false)
    expect(screenShowsTurnOver(PERMISSION_SCREEN)).toBe(false)
    expect(screenShowsTurnOver('')).toBe(false)
  })

  it('looks only at a busy claude agent silent for the whole stall time', () => {
    const now = new Date('2026-11-30T10:00:00Z')
    const agent = {kind: 'claude', status: 'busy', tab: {backend: 'tmux', id: '%1'}, lastEventAt: new Date(now.getTime() - STALLED_TURN_MS).toISOString(), lastPromptAt: null} as unknown as Agent
    expect(mayHaveStalled(agent, now)).toBe(true)
    expect(mayHaveStalled({...agent, lastEventAt: new Date(now.getTime() - STALLED_TURN_MS + 1000).toISOString()}, now)).toBe(false)
    expect(mayHaveStalled({...agent, status: 'idle'}, now)).toBe(false)
    expect(mayHaveStalled({...agent, kind: 'command'}, now)).toBe(false)
  })
})

describe('a lost Stop', () => {
  let h: Harness
  beforeEach(async () => {
    h = await createHarness()
    await h.core.run('create_session', {name: 's', root: h.root})
    simulateClaude(h)
    await h.core.run('create_agent', {session: 's'})
    const tab = h.backend.tabs[0]!
    // This turn's Stop hook is cancelled: only UserPromptSubmit reaches ccmcp.
    h.backend.onSubmit = (submitted, line) => {
      submitted.screen = BUSY_SCREEN
      void recordHookEvent(
        {store: h.deps.ports.state, host: h.deps.ports.host, eventsDir: h.deps.settings.paths.eventsDir, session: 's', agent: 'Agent_1', launchId: tab.request.env.CCMCP_LAUNCH_ID ?? null, now: new Date()},
        {hook_event_name: 'UserPromptSubmit', prompt: line},
      )
    }
    await h.core.run('send_message_to_agent', {agent: 's/Agent_1', message: 'first', raw: true})
    await eventually(async () => ((await h.core.run('list_agents', {})).agents[0]?.status === 'busy' ? true : undefined))
    expect((await h.core.run('send_message_to_agent', {agent: 's/Agent_1', message: 'second', raw: true})).delivery).toBe('queued')
  })
  afterEach(async () => {
    h.deps.ports.clock = fastClock
    await h.cleanup()
  })
  const later = (ms: number) => {
    h.deps.ports.clock = {now: () => new Date(Date.now() + ms), sleep: fastClock.sleep}
  }
  const agent = async () => (await h.core.run('get_session_status', {name: 's'})).agents[0]!

  it('ends the turn once the screen shows the prompt ready after the stall time, with no reply rather than an old one, and sends what was queued', async () => {
    const tab = h.backend.tabs[0]!
    tab.screen = claudeScreen('')
    expect((await agent()).status).toBe('busy')
    simulateClaude(h)
    later(STALLED_TURN_MS + 1000)
    const healed = await agent()
    expect(healed).toMatchObject({status: 'idle', waitingFor: null, lastReply: null})
    const done = await eventually(async () => {
      const current = (await h.core.run('list_agents', {})).agents[0]
      return current?.status === 'idle' && current.queue.length === 0 && current.lastPrompt === 'second' ? current : undefined
    })
    expect(tab.typed.map((typed) => typed.text)).toEqual(['first', 'second'])
    expect(done.lastReply).toBe('reply to: second')
  })

  it('changes nothing while the screen still shows the turn running or a dialog', async () => {
    const tab = h.backend.tabs[0]!
    later(STALLED_TURN_MS + 1000)
    expect((await agent()).status).toBe('busy')
    tab.screen = PERMISSION_SCREEN
    expect((await agent()).status).toBe('busy')
    expect(tab.typed.map((typed) => typed.text)).toEqual(['first'])
  })
})
