/**
 * Issue 11's TUI part: the tasks pane of the selected session, each agent's current task in the
 * list, and the keys that add a task (t) and assign one to the selected agent (A). The App runs
 * against a real core over real stores in a temp dir (the harness), with the FakeBackend for
 * tabs, so every key is checked by what core then holds: the board, the message history.
 */
import {render} from 'ink-testing-library'
import {access, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest'

import {OPERATOR} from '../../src/core/pipeline/caller.js'
import {App} from '../../src/tui/app.js'
import type {WatchCore} from '../../src/tui/types.js'
import {type Harness, createHarness} from '../helpers/core-harness.js'
import {renderInTerminal} from './render-terminal.js'

const ENTER = '\r'
const ESC = '\u001B'
const DOWN = '\u001B[B'

let h: Harness
let views: Array<{unmount(): void}>
beforeEach(async () => {
  h = await createHarness()
  views = []
  await h.core.run('create_session', {name: 's', root: h.root})
  await h.core.run('create_agent', {session: 's', command: 'prog'})
  await h.core.run('create_agent', {session: 's', command: 'prog'})
})
afterEach(async () => {
  for (const view of views) view.unmount()
  await h.cleanup()
})

/** The TUI as `ccmcp watch` builds it: every call through core.run as the operator. */
const operatorCore = (): WatchCore => ({run: (name, input) => h.core.run(name, input, {caller: OPERATOR}), onStateChange: (listener) => h.deps.ports.state.watch(listener)})

function watch() {
  const core = operatorCore()
  const ui = render(<App core={core} intervalMs={60_000} color={false} />)
  views.push(ui)
  const frame = () => ui.lastFrame() ?? ''
  const line = (text: string) => frame().split('\n').find((candidate) => candidate.includes(text)) ?? ''
  const press = async (...keys: string[]) => {
    for (const key of keys) {
      ui.stdin.write(key)
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
  }
  const shows = (text: string | RegExp) => vi.waitFor(() => expect(frame()).toMatch(text), {timeout: 10_000})
  return {frame, line, press, shows}
}

const board = async () => (await h.core.run('list_tasks', {session: 's'})).tasks

describe('the tasks pane', () => {
  it("shows the selected session's board: id, status, holder, lease left or age, title and result; the agent list shows each agent's current task", async () => {
    await h.core.run('create_task', {session: 's', title: 'Write the parser'})
    await h.core.run('create_task', {session: 's', title: 'Test the parser', blockedBy: ['T-1']})
    await h.core.run('create_task', {session: 's', title: 'Set up the repo'})
    await h.core.run('claim_task', {session: 's', id: 'T-1', agent: 'Agent_1'})
    await h.core.run('claim_task', {session: 's', id: 'T-3', agent: 'Agent_2'})
    await h.core.run('complete_task', {session: 's', id: 'T-3', result: 'repo in /code'})
    const {line, shows, frame} = watch()
    await shows('── tasks · s · 1 claimed · 1 blocked · 1 done · t add · A assign')
    // The default lease is minutes; its time left counts down from there.
    expect(line('T-1 claimed')).toMatch(/^T-1 claimed {3}Agent_1 +\d+m left {2}Write the parser$/)
    expect(line('T-2 blocked')).toMatch(/^T-2 blocked +\d+s ago {2}Test the parser$/)
    expect(line('T-3 done')).toMatch(/^T-3 done +\d+s ago {2}Set up the repo {2}↳ repo in \/code$/)
    // Claimed work first, settled last.
    const rows = frame().split('\n')
    const at = (text: string) => rows.findIndex((row) => row.startsWith(text))
    expect([at('T-1 '), at('T-2 '), at('T-3 ')]).toEqual([at('T-1 '), at('T-1 ') + 1, at('T-1 ') + 2])
    expect(line('Agent_1 ')).toContain('T-1 Write the parser')
    expect(line('Agent_2 ')).not.toContain('T-')
  })

  it('a board that cannot be read is named in the pane; the agents still show', async () => {
    await h.core.run('create_task', {session: 's', title: 'Write the parser'})
    await writeFile(path.join(h.home, 'tasks', 's.json'), '{"schemaVersion": 1, "tasks": [')
    const {shows, frame} = watch()
    await shows('The board could not be read:')
    expect(frame()).toContain('Agent_2')
    expect(frame()).not.toContain('refresh failed')
  })

  it('takes its rows from the list and preview: the help line names t and A where it fits, and nothing overflows a small terminal', async () => {
    for (let index = 1; index <= 12; index++) await h.core.run('create_task', {session: 's', title: `Task number ${index} with a long title to truncate`})
    const view = renderInTerminal(<App core={operatorCore()} intervalMs={60_000} color={false} />, {columns: 130, rows: 40})
    views.push(view)
    await vi.waitFor(() => expect(view.lastFrame()).toContain('── tasks · s · 12 open'))
    // Title + 7 tasks + "… 5 more".
    expect(view.lastFrame()).toContain('… 5 more: ccmcp task list s')
    expect(view.lastFrame()).toContain('── s/Agent_1 · screen')
    expect(view.lastFrame()).toContain('t task · A assign · / filter · q quit')
    view.resize(60, 14)
    await vi.waitFor(() => expect(view.lastFrame()).not.toContain('· screen'))
    const lines = view.lastFrame().split('\n')
    expect(lines.length).toBeLessThanOrEqual(13)
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(59)
    expect(view.lastFrame()).toContain('Agent_2')
    expect(view.lastFrame()).toContain('T-1 open')
    view.resize(40, 6)
    await vi.waitFor(() => expect(view.lastFrame()).not.toContain('── tasks'))
    expect(view.lastFrame().split('\n').length).toBeLessThanOrEqual(5)
  })

  it('a session without tasks says how to add one', async () => {
    const {shows} = watch()
    await shows('── tasks · s · t add · A assign')
    await shows('No tasks yet · t adds one')
  })
})

describe('the task keys', () => {
  it('t adds a task to the selected session through create_task', async () => {
    const {press, shows, line} = watch()
    await shows('No tasks yet')
    await press('t')
    await shows('new task in s: its title · ⏎ add · Esc cancel')
    await press(ENTER)
    await shows("Type the task's title first (Esc cancels).")
    await press('Write the parser', ENTER)
    await shows('✓ Added T-1 to s (open).')
    expect(await board()).toEqual([expect.objectContaining({id: 'T-1', title: 'Write the parser', status: 'open', createdBy: 'operator'})])
    await shows(/T-1 open/)
    expect(line('T-1 open')).toContain('Write the parser')

    await press('t', 'never mind', ESC)
    await shows('No task added.')
    expect(await board()).toHaveLength(1)
  })

  it('A assigns the first ready task (or the one typed) to the selected agent: claimed for it, and sent as a message that enters its history', async () => {
    await h.core.run('create_task', {session: 's', title: 'Write the parser'})
    await h.core.run('create_task', {session: 's', title: 'Test the parser'})
    const {press, shows, line, frame} = watch()
    await shows('T-2 open')
    await press(DOWN)
    await press('A')
    await shows('task to give s/Agent_2 (claimed for it, sent to it as a message): its id')
    // Offered: the first ready task.
    expect(frame()).toContain('› T-1')
    await press(ENTER)
    await shows('✓ Assigned T-1 to s/Agent_2; its message was sent.')
    expect((await board())[0]).toMatchObject({id: 'T-1', status: 'claimed', claimedBy: 'Agent_2'})
    await shows(/T-1 claimed {3}Agent_2/)
    expect(line('Agent_2 ')).toContain('T-1 Write the parser')
    expect(h.backend.tabOf('s/Agent_2')?.typed.map((entry) => entry.text).join('')).toContain('Task T-1 of session s is assigned to you')
    const {inbox} = await h.core.run('list_messages', {agent: 's/Agent_2'})
    expect(inbox).toEqual([expect.objectContaining({from: 'operator', text: expect.stringContaining('Task T-1 of session s is assigned to you')})])

    // A bare number is the task of that number; Agent_1 gets T-2.
    await press('k', 'A')
    await shows('task to give s/Agent_1')
    await press('\u0015', '2', ENTER)
    await shows('✓ Assigned T-2 to s/Agent_1')
    expect((await board())[1]).toMatchObject({id: 'T-2', claimedBy: 'Agent_1'})
  })

  it("a task that cannot be assigned gets core's error, and nothing changes", async () => {
    await h.core.run('create_task', {session: 's', title: 'Write the parser'})
    await h.core.run('claim_task', {session: 's', id: 'T-1', agent: 'Agent_1'})
    const {press, shows} = watch()
    await shows('T-1 claimed')
    await press(DOWN, 'A', 'T-9', ENTER)
    await shows('✗ Session "s" has no task T-9.')
    await press('A', '1', ENTER)
    await shows('✗ T-1 cannot be claimed: Agent_1 holds it; nothing was changed.')
    expect((await board())[0]).toMatchObject({status: 'claimed', claimedBy: 'Agent_1'})
    expect((await h.core.run('list_messages', {agent: 's/Agent_2'})).inbox).toEqual([])
  })

  it('A needs an agent: on a session without agents it says so', async () => {
    await h.core.run('create_session', {name: 'empty', root: h.root})
    const {press, shows} = watch()
    await shows('(no agents')
    await press('G', 'A')
    await shows('Select an agent first')
  })
})

describe('get_overview with tasks (what the pane reads)', () => {
  it("gives each session's board, a claim's end moved by its holder's signs of life, and writes no board", async () => {
    await h.core.run('create_session', {name: 'quiet', root: h.root, todo: false})
    await h.core.run('create_task', {session: 's', title: 'Write the parser'})
    const claimed = await h.core.run('claim_task', {session: 's', id: 'T-1', agent: 'Agent_1'})
    const read = async () => (await h.core.run('get_overview', {live: false, tasks: true})).boards
    expect(await read()).toEqual([
      {session: 's', error: null, tasks: [expect.objectContaining({id: 'T-1', status: 'claimed', claimedBy: 'Agent_1', claimUntil: claimed.task.leaseUntil})]},
      {session: 'quiet', error: null, tasks: []},
    ])
    // A hook event of the holder renews the claim without writing the board: the view shows the later end.
    const signOfLife = new Date(Date.now() + 60 * 60_000).toISOString()
    await h.deps.ports.state.update((state) => ({value: {...state, agents: state.agents.map((agent) => (agent.name === 'Agent_1' ? {...agent, lastEventAt: signOfLife} : agent))}, result: null}))
    const {taskLeaseMs} = await h.deps.ports.config.read()
    expect((await read())?.[0]?.tasks[0]?.claimUntil).toBe(new Date(Date.parse(signOfLife) + taskLeaseMs).toISOString())
    await expect(access(path.join(h.home, 'tasks', 'quiet.json'))).rejects.toMatchObject({code: 'ENOENT'})
    // Without tasks, no boards.
    expect((await h.core.run('get_overview', {live: false})).boards).toBeUndefined()
  })
})
