/**
 * The whole TUI against a fake core (ink-testing-library): what it shows for each state, and
 * which core call each key makes. No terminal, no tmux.
 */
import {render} from 'ink-testing-library'
import {afterEach, describe, expect, it, vi} from 'vitest'

import {CcmcpError} from '../../src/core/domain/errors.js'
import {RESTART_OPERATION} from '../../src/tui/actions.js'
import {App} from '../../src/tui/app.js'
import type {Overview} from '../../src/tui/types.js'
import {agent, createFakeCore, overviewOf} from './fake-core.js'
import {renderInTerminal} from './render-terminal.js'

const ENTER = '\r'
const ESC = '\u001B'
const DOWN = '\u001B[B'
const UP = '\u001B[A'
const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString()

function team(): Overview {
  return overviewOf(
    [
      agent('Agent_1', {status: 'busy', lastEventAt: minutesAgo(3.5)}),
      agent('Agent_2', {status: 'waiting', waitingFor: 'permission: Bash', lastEventAt: minutesAgo(1)}),
      agent('Agent_3', {status: 'error', lastError: 'API overloaded'}),
      agent('Agent_4', {status: 'lost'}),
      agent('Agent_5', {status: 'idle', lastReply: 'All tests pass.\nDetails follow'}),
      agent('Agent_1', {session: 'web', status: 'exited', lastError: 'exited with status 2'}),
    ],
    ['api', 'web', 'docs'],
  )
}

function start(overview: Overview = team(), props: {intervalMs?: number; session?: string; screens?: Record<string, string>} = {}) {
  const fake = createFakeCore(overview)
  for (const [key, text] of Object.entries(props.screens ?? {})) fake.screens.set(key, text)
  const ui = render(<App core={fake.core} intervalMs={props.intervalMs ?? 60_000} initial={overview} session={props.session} color={false} />)
  const frame = () => ui.lastFrame() ?? ''
  const press = async (...keys: string[]) => {
    for (const key of keys) {
      ui.stdin.write(key)
      // Let Ink parse (a lone ESC waits a tick) and React render before the next key.
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
  }
  const shows = (text: string) => vi.waitFor(() => expect(frame()).toContain(text))
  return {fake, ui, frame, press, shows}
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('what the TUI shows', () => {
  it('lists every session and agent: status symbol, time in status, what it waits for, its error or its last reply', () => {
    const {frame, ui} = start()
    const lines = frame().split('\n')
    const line = (text: string) => lines.find((candidate) => candidate.includes(text)) ?? ''
    expect(lines[0]).toBe('ccmcp watch · 3 sessions · 6 agents')
    expect(line('api ')).toContain('/code/api · tmux · 5 agents')
    expect(line('Agent_1 busy')).toMatch(/^› ● Agent_1 busy +3m {2}fake-agent$/)
    expect(line('Agent_2')).toContain('? Agent_2 waiting')
    expect(line('Agent_2')).toContain('waits for permission: Bash')
    expect(line('Agent_3')).toContain('✗ Agent_3 error')
    expect(line('Agent_3')).toContain('API overloaded')
    expect(line('Agent_4')).toContain('! Agent_4 lost')
    expect(line('Agent_4')).toContain('its tab is gone · r restarts it')
    expect(line('Agent_5')).toContain('↳ All tests pass. Details follow')
    expect(line('Agent_1 exited')).toContain('exited with status 2 · r restarts it')
    expect(line('docs')).toContain('0 agents')
    expect(line('(no agents')).toContain('a adds one')
    expect(frame()).toContain('1 busy · 1 waiting · 1 error · 1 lost · 1 idle · 1 exited   1/7')
    expect(frame()).toContain('↑↓ select · ⏎ focus · s send · c clear · n new · r restart · d delete · a add · / filter · q quit')
    ui.unmount()
  })

  it('says how to start when there are no sessions', () => {
    const {frame, ui} = start(overviewOf([], []))
    expect(frame()).toContain('No sessions yet. Create one with: ccmcp session create <name> --root <dir>')
    expect(frame()).toContain('no agents')
    ui.unmount()
  })

  it("shows the selected agent's screen and follows the selection", async () => {
    const {fake, press, shows, ui} = start(team(), {
      screens: {'api/Agent_1': 'Agent_1 is compiling\n> ', 'api/Agent_2': 'Allow Bash(rm -rf build)?\n\u001B[1m1. Yes\u001B[0m\t2. No'},
    })
    // The first read after start asks for the selected agent's screen (the list came with the start).
    await vi.waitFor(() => expect(fake.callsOf('get_overview')[0]?.input).toEqual({session: undefined, live: false, screen: {agent: 'api/Agent_1', lines: 6}, tasks: true}))
    await shows('── api/Agent_1 · screen')
    await shows('Agent_1 is compiling')
    await press('j')
    await shows('── api/Agent_2 · screen')
    // Escape sequences are dropped and tabs expanded; nothing of the agent's styling leaks.
    await shows('1. Yes  2. No')
    expect(fake.callsOf('get_overview').at(-1)?.input).toMatchObject({live: false, screen: {agent: 'api/Agent_2'}})
    ui.unmount()
  })
})

describe('live without busy polling', () => {
  it('redraws on a state-store change with a read that does not touch the terminal', async () => {
    const {fake, shows, ui} = start()
    await vi.waitFor(() => expect(fake.callsOf('get_overview')).toHaveLength(1))
    fake.overview = {...fake.overview, agents: fake.overview.agents.map((one) => (one.name === 'Agent_1' && one.session === 'api' ? {...one, status: 'idle' as const, lastReply: 'Done.'} : one))}
    fake.emitChange()
    await shows('○ Agent_1 idle')
    await shows('↳ Done.')
    expect(fake.callsOf('get_overview').at(-1)?.input).toMatchObject({live: false})
    expect(fake.callsOf('get_overview').filter((call) => call.input.live === true)).toHaveLength(0)
    ui.unmount()
  })

  it('a refresh that changes nothing on screen draws nothing', async () => {
    const {fake, ui} = start()
    await vi.waitFor(() => expect(fake.callsOf('get_overview')).toHaveLength(1))
    await new Promise((resolve) => setTimeout(resolve, 20))
    const frames = ui.frames.length
    fake.emitChange()
    await vi.waitFor(() => expect(fake.callsOf('get_overview')).toHaveLength(2))
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(ui.frames.length).toBe(frames)
    ui.unmount()
  })

  it('checks the terminal once per interval: one live get_overview per tick and nothing else', async () => {
    const {fake, ui} = start(team(), {intervalMs: 30})
    await vi.waitFor(() => expect(fake.callsOf('get_overview').filter((call) => call.input.live === true).length).toBeGreaterThanOrEqual(3))
    ui.unmount()
    expect(new Set(fake.calls.map((call) => call.op))).toEqual(new Set(['get_overview']))
    // Live reads carry the preview's screen, so the screen costs no extra terminal round trip.
    expect(fake.callsOf('get_overview').find((call) => call.input.live === true)?.input.screen).toEqual({agent: 'api/Agent_1', lines: 6})
  })

  it('shows a failed refresh in the header and keeps the last data', async () => {
    const {fake, shows, frame, ui} = start()
    fake.on('get_overview', () => {
      throw new CcmcpError('STATE_INVALID', 'state.json is not valid')
    })
    fake.emitChange()
    await shows('✗ refresh failed: state.json is not valid')
    expect(frame()).toContain('● Agent_1 busy')
    ui.unmount()
  })

  it('stops watching the state store when it quits', async () => {
    const {fake, press} = start()
    expect(fake.subscribers()).toBe(1)
    await press('q')
    await vi.waitFor(() => expect(fake.subscribers()).toBe(0))
  })

  it('Ctrl-C quits too', async () => {
    const {fake, press} = start()
    await press('\u0003')
    await vi.waitFor(() => expect(fake.subscribers()).toBe(0))
  })
})

describe('keys call core', () => {
  it('Enter focuses the tab, and shows the exact attach command when no terminal shows it', async () => {
    const {fake, press, shows, ui} = start()
    fake.on('focus_agent', (input) => ({agent: fake.overview.agents[0], focused: false, hint: `tmux -S /home/u/.ccmcp/tmux.sock attach -t '$1' # ${String(input.agent)}`}))
    await press(ENTER)
    await shows("No terminal shows api/Agent_1's tab. To see it, run:")
    await shows("tmux -S /home/u/.ccmcp/tmux.sock attach -t '$1' # api/Agent_1")
    expect(fake.callsOf('focus_agent')).toEqual([{op: 'focus_agent', input: {agent: 'api/Agent_1'}}])
    fake.on('focus_agent', () => ({agent: fake.overview.agents[0], focused: true, hint: null}))
    await press(ENTER)
    await shows("✓ Switched to api/Agent_1's tab.")
    ui.unmount()
  })

  it('s sends what is typed; Ctrl-J, Alt+Enter and a trailing backslash make new lines', async () => {
    const {fake, press, shows, ui} = start()
    fake.on('send_message_to_agent', (input) => ({agent: fake.overview.agents[1], delivery: 'sent', echo: input}))
    await press('j', 's')
    await shows('message to api/Agent_2 · ⏎ send')
    await press('fix it', '\n', 'then test', `${ESC}\r`, 'and commit\\', ENTER, 'q?')
    await shows('› fix it')
    await press(ENTER)
    await shows('✓ Message sent to api/Agent_2.')
    expect(fake.callsOf('send_message_to_agent')).toEqual([
      {op: 'send_message_to_agent', input: {agent: 'api/Agent_2', message: 'fix it\nthen test\nand commit\nq?'}},
    ])
    ui.unmount()
  })

  it('keys typed ahead in one read act one by one: "jj" moves twice, text then Enter submits', async () => {
    const {fake, press, shows, ui} = start()
    fake.on('send_message_to_agent', () => ({agent: fake.overview.agents[2], delivery: 'sent'}))
    await press('jj')
    await shows('3/7')
    await press('s', 'run the tests\r')
    await shows('✓ Message sent to api/Agent_3.')
    expect(fake.callsOf('send_message_to_agent')[0]?.input).toEqual({agent: 'api/Agent_3', message: 'run the tests'})
    ui.unmount()
  })

  it('a bracketed paste is text: its line breaks do not submit', async () => {
    const {fake, press, shows, ui} = start()
    fake.on('send_message_to_agent', () => ({agent: fake.overview.agents[0], delivery: 'sent'}))
    await press('s', `${ESC}[200~first line\rsecond line${ESC}[201~`)
    await shows('  second line')
    expect(fake.callsOf('send_message_to_agent')).toHaveLength(0)
    await press(ENTER)
    await vi.waitFor(() => expect(fake.callsOf('send_message_to_agent')[0]?.input).toEqual({agent: 'api/Agent_1', message: 'first line\nsecond line'}))
    ui.unmount()
  })

  it('Esc leaves the message unsent; an empty message is not sent', async () => {
    const {fake, press, shows, ui} = start()
    await press('s', ENTER)
    await shows('Type a message first (Esc cancels).')
    await press('draft', ESC)
    await shows('Not sent.')
    expect(fake.callsOf('send_message_to_agent')).toHaveLength(0)
    ui.unmount()
  })

  it.each([
    ['c', 'clear_agent_conversation', "Clear api/Agent_1's conversation? Its tab is closed. [y/N]"],
    ['n', 'start_new_agent_conversation', 'Start a new conversation for api/Agent_1? The current one ends. [y/N]'],
    ['d', 'delete_agent', 'Delete api/Agent_1? Its tab is closed and the agent forgotten. [y/N]'],
  ])('%s asks y/N, then calls %s', async (key, op, question) => {
    const {fake, press, shows, ui} = start()
    fake.on(op, () => ({agent: fake.overview.agents[0], deleted: {session: 'api', agent: 'Agent_1'}}))
    await press(key)
    await shows(question)
    await press('x')
    await shows('Cancelled; nothing was changed.')
    expect(fake.callsOf(op)).toHaveLength(0)
    await press(key, 'y')
    await vi.waitFor(() => expect(fake.callsOf(op)).toEqual([{op, input: {agent: 'api/Agent_1'}}]))
    await shows('✓ ')
    ui.unmount()
  })

  it('r restarts a lost agent after y, and explains itself on a live one', async () => {
    const {fake, press, shows, ui} = start()
    fake.on(RESTART_OPERATION, () => ({agent: fake.overview.agents[3]}))
    await press('r')
    await shows('r restarts a lost or exited agent; api/Agent_1 is busy. n starts a new conversation.')
    await press(DOWN, DOWN, 'j', 'r')
    await shows('Restart api/Agent_4 in a new tab, continuing its conversation? [y/N]')
    await press('y')
    await shows('✓ Restarted api/Agent_4.')
    expect(fake.calls.filter((call) => call.op !== 'get_overview')).toEqual([{op: RESTART_OPERATION, input: {agent: 'api/Agent_4'}}])
    ui.unmount()
  })

  it('a adds an agent to the selected session (Claude Code by default, or a command) and selects it', async () => {
    const {fake, press, shows, ui} = start()
    fake.on('create_agent', (input) => {
      const created = agent('Agent_9', {session: String(input.session), status: 'starting'})
      fake.overview = overviewOf([...fake.overview.agents, created], ['api', 'web', 'docs'])
      return {agent: created}
    })
    await press('G', 'a')
    await shows('new agent in docs: command to run, empty for Claude Code')
    await press(ENTER)
    await shows('✓ Added docs/Agent_9 (starting).')
    expect(fake.callsOf('create_agent')[0]?.input).toEqual({session: 'docs', command: undefined})
    await shows('› … Agent_9')
    await press('g', 'a', 'aider --model "big one"', ENTER)
    await vi.waitFor(() => expect(fake.callsOf('create_agent')[1]?.input).toEqual({session: 'api', command: 'aider --model "big one"'}))
    ui.unmount()
  })

  it('/ filters by name, session or status as you type; Esc clears it', async () => {
    const {press, shows, frame, ui} = start()
    await press('/', 'wait')
    await shows('filter "wait"')
    await vi.waitFor(() => expect(frame()).not.toContain('Agent_1'))
    expect(frame()).toContain('? Agent_2 waiting')
    await press(ENTER)
    await shows('1/1')
    await press('/', 'zzz')
    await shows('No agent matches "waitzzz" (Esc clears the filter).')
    await press(ESC)
    await shows('1/7')
    ui.unmount()
  })

  it('a failing action shows the error and its hint in the footer, and the TUI keeps working', async () => {
    const {fake, press, shows, ui} = start()
    fake.on('send_message_to_agent', () => {
      throw new CcmcpError('AGENT_NOT_RUNNING', 'api/Agent_4 is lost; nothing was sent.', {hint: 'Start it again with `ccmcp agent new-conversation api/Agent_4`, then send.'})
    })
    fake.on('delete_agent', () => {
      throw new Error('socket closed')
    })
    await press('j', 'j', 'j', 's', 'hello', ENTER)
    await shows('✗ api/Agent_4 is lost; nothing was sent.')
    await shows('Start it again with `ccmcp agent new-conversation api/Agent_4`, then send.')
    await press('d', 'y')
    await shows('✗ socket closed')
    await press(UP)
    await shows('3/7')
    fake.on('focus_agent', () => ({agent: fake.overview.agents[2], focused: true, hint: null}))
    await press(ENTER)
    await shows("✓ Switched to api/Agent_3's tab.")
    ui.unmount()
  })

  it('actions on a session placeholder ask for an agent first', async () => {
    const {fake, press, shows, ui} = start()
    await press('G', 'd')
    await shows('Select an agent first (↑/↓).')
    expect(fake.calls.filter((call) => call.op !== 'get_overview')).toHaveLength(0)
    ui.unmount()
  })
})

describe('terminals', () => {
  it('without a terminal on stdin it only watches: no key handling, no crash', async () => {
    const fake = createFakeCore(team())
    const view = renderInTerminal(<App core={fake.core} intervalMs={60_000} initial={fake.overview} color={false} />, {columns: 100, rows: 24, stdinIsTTY: false})
    expect(view.lastFrame()).toContain('· read-only')
    expect(view.lastFrame()).toContain('read-only: stdin is not a terminal · Ctrl-C quits')
    view.stdin.emit('data', 'd')
    fake.overview = overviewOf([agent('Agent_1', {status: 'idle'})])
    fake.emitChange()
    await vi.waitFor(() => expect(view.lastFrame()).toContain('○ Agent_1 idle'))
    expect(fake.calls.map((call) => call.op)).toEqual(['get_overview', 'get_overview'])
    view.unmount()
  })

  it('a small terminal truncates every line and never draws more rows than it has', async () => {
    const fake = createFakeCore(team())
    const view = renderInTerminal(<App core={fake.core} intervalMs={60_000} initial={fake.overview} color={false} />, {columns: 32, rows: 8})
    const check = () => {
      const lines = view.lastFrame().split('\n')
      expect(lines.length).toBeLessThanOrEqual(7)
      for (const line of lines) expect(line.length).toBeLessThanOrEqual(31)
    }
    check()
    expect(view.lastFrame()).toContain('● Agent_1 busy')
    view.resize(20, 4)
    await vi.waitFor(() => expect(view.lastFrame().split('\n').length).toBeLessThanOrEqual(3))
    for (const line of view.lastFrame().split('\n')) expect(line.length).toBeLessThanOrEqual(19)
    view.resize(120, 40)
    await vi.waitFor(() => expect(view.lastFrame()).toContain('── api/Agent_1 · screen'))
    view.unmount()
  })
})
