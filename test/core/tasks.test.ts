/**
 * Issue 11 items 1–3 and 8, in-process over the real stores and a FakeBackend: the board, claims
 * as compare-and-swap, leases renewed by hook events (manual clock), claims freed when their
 * holder is gone, TODO.md as a live view that never overwrites the user's own, and bad input.
 */
import {readFile, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {type AgentCaller, OPERATOR} from '../../src/core/pipeline/caller.js'
import {type Harness, createHarness} from '../helpers/core-harness.js'
import {agentCallerOf} from '../helpers/agent-env.js'
import {ManualClock} from '../helpers/manual-clock.js'

let h: Harness
let warnings: string[]
beforeEach(async () => {
  h = await createHarness()
  warnings = []
  h.deps.ports.logger = {debug() {}, warn: (message) => void warnings.push(message)}
  await h.core.run('create_session', {name: 's', root: h.root})
  await h.core.run('create_agent', {session: 's', command: 'prog'})
  await h.core.run('create_agent', {session: 's', command: 'prog'})
})
afterEach(async () => {
  await h.cleanup()
})

/** The caller ccmcp run inside that agent's environment would be (identity and per-launch secret). */
async function as(name: string, session = 's'): Promise<AgentCaller> {
  return agentCallerOf(h.backend, `${session}/${name}`)
}

const boardFile = () => path.join(h.home, 'tasks', 's.json')
const todo = () => readFile(path.join(h.root, 'TODO.md'), 'utf8')

describe('the board and its claims', () => {
  it('an agent creates, claims (by id and next), notes and completes tasks of its own session; every change is an event with its caller', async () => {
    const one = await as('Agent_1')
    await h.core.run('create_task', {session: 's', title: 'Write the parser', body: 'in src/parser.ts'})
    await h.core.run('create_task', {title: 'Test the parser', blockedBy: ['T-1']}, {caller: one})
    expect((await h.core.run('get_task', {session: 's', id: 'T-2'})).task).toMatchObject({status: 'blocked', blockedBy: ['T-1'], createdBy: 'agent s/Agent_1'})

    const claimed = await h.core.run('claim_task', {next: true}, {caller: one})
    expect(claimed.task).toMatchObject({id: 'T-1', status: 'claimed', claimedBy: 'Agent_1'})
    expect(claimed.task.leaseUntil).not.toBeNull()
    // A repeat claim by the holder succeeds; T-2 waits for T-1, so nothing else is ready.
    expect((await h.core.run('claim_task', {id: 'T-1'}, {caller: one})).task.claimedBy).toBe('Agent_1')
    await expect(h.core.run('claim_task', {next: true}, {caller: await as('Agent_2')})).rejects.toMatchObject({code: 'NOTHING_READY', reason: 'nothing-ready'})
    await expect(h.core.run('claim_task', {id: 'T-2'}, {caller: await as('Agent_2')})).rejects.toMatchObject({code: 'CONFLICT', reason: 'blocked'})
    await expect(h.core.run('claim_task', {id: 'T-1'}, {caller: await as('Agent_2')})).rejects.toMatchObject({code: 'CONFLICT', reason: 'claimed-by-other'})

    await h.core.run('update_task', {id: 'T-1', note: 'half done'}, {caller: one})
    const done = await h.core.run('complete_task', {id: 'T-1', result: 'parser in src/parser.ts'}, {caller: one})
    expect(done.task).toMatchObject({status: 'done', claimedBy: null, result: 'parser in src/parser.ts', notes: [{by: 'agent s/Agent_1', text: 'half done'}]})
    expect(done.task.events.map((event) => [event.type, event.by])).toEqual([
      ['created', 'operator'],
      ['claimed', 'agent s/Agent_1'],
      ['note', 'agent s/Agent_1'],
      ['done', 'agent s/Agent_1'],
    ])
    // Its blocker done, T-2 is ready.
    expect((await h.core.run('claim_task', {next: true}, {caller: await as('Agent_2')})).task).toMatchObject({id: 'T-2', claimedBy: 'Agent_2'})
    expect((await h.core.run('list_tasks', {session: 's', status: 'claimed'})).tasks.map((task) => task.id)).toEqual(['T-2'])
  })

  it('only the holder or the operator completes, releases or cancels a claimed task; a refused change writes nothing', async () => {
    await h.core.run('create_task', {session: 's', title: 'A'})
    await h.core.run('claim_task', {id: 'T-1'}, {caller: await as('Agent_1')})
    const before = await readFile(boardFile(), 'utf8')
    const two = await as('Agent_2')
    await expect(h.core.run('complete_task', {id: 'T-1', result: 'mine'}, {caller: two})).rejects.toMatchObject({code: 'FORBIDDEN', reason: 'not-holder', message: expect.stringContaining('claimed by Agent_1')})
    await expect(h.core.run('release_task', {id: 'T-1'}, {caller: two})).rejects.toMatchObject({code: 'FORBIDDEN', reason: 'not-holder'})
    await expect(h.core.run('cancel_task', {id: 'T-1'}, {caller: two})).rejects.toMatchObject({code: 'FORBIDDEN', reason: 'not-holder'})
    expect(await readFile(boardFile(), 'utf8')).toBe(before)

    const released = await h.core.run('release_task', {session: 's', id: 'T-1'}, {caller: OPERATOR})
    expect(released.task).toMatchObject({status: 'open', claimedBy: null})
    expect(released.task.events.at(-1)).toMatchObject({type: 'released', by: 'operator', agent: 'Agent_1'})
    await h.core.run('complete_task', {session: 's', id: 'T-1', result: 'by hand'})
    await expect(h.core.run('claim_task', {id: 'T-1'}, {caller: two})).rejects.toMatchObject({code: 'CONFLICT', reason: 'settled', message: expect.stringContaining('it is done')})
    expect((await h.core.run('reopen_task', {session: 's', id: 'T-1'})).task).toMatchObject({status: 'open', result: null})
    expect((await h.core.run('cancel_task', {session: 's', id: 'T-1'})).task.status).toBe('cancelled')
  })

  it('the operator claims for a named agent or is told how; assign claims and sends the agent the task', async () => {
    await h.core.run('create_task', {session: 's', title: 'A', body: 'the details'})
    await h.core.run('create_task', {session: 's', title: 'B'})
    await expect(h.core.run('claim_task', {session: 's', next: true})).rejects.toMatchObject({code: 'INVALID_INPUT', message: expect.stringContaining('name the agent')})
    await expect(h.core.run('claim_task', {session: 's', next: true, agent: 'Agent_9'})).rejects.toMatchObject({code: 'NOT_FOUND'})
    expect((await h.core.run('claim_task', {session: 's', next: true, agent: 'Agent_2'})).task).toMatchObject({id: 'T-1', claimedBy: 'Agent_2'})
    // An agent claims for itself only.
    await expect(h.core.run('claim_task', {next: true, agent: 'Agent_2'}, {caller: await as('Agent_1')})).rejects.toMatchObject({code: 'FORBIDDEN', reason: 'claim-for-other'})

    const assigned = await h.core.run('assign_task', {session: 's', id: 'T-2', agent: 'Agent_1'})
    expect(assigned.task).toMatchObject({status: 'claimed', claimedBy: 'Agent_1'})
    expect(assigned.task.events.at(-1)).toMatchObject({type: 'assigned', by: 'operator', agent: 'Agent_1'})
    expect(assigned.delivery).toBe('sent')
    const typed = h.backend.tabOf('s/Agent_1')?.typed.map((entry) => entry.text).join('')
    expect(typed).toContain('Task T-2 of session s is assigned to you')
  })

  it('the message assign sends enters the message history like send_message, with its id and delivery state', async () => {
    await h.core.run('create_task', {session: 's', title: 'Write the parser'})
    const assigned = await h.core.run('assign_task', {session: 's', id: 'T-1', agent: 'Agent_2'})
    const {inbox} = await h.core.run('list_messages', {agent: 's/Agent_2'})
    expect(inbox).toEqual([expect.objectContaining({id: assigned.messageId, from: 'operator', to: 'Agent_2', state: assigned.delivery, text: expect.stringContaining('Task T-1 of session s is assigned to you')})])
    // The agent sees it in its own history too.
    expect((await h.core.run('list_messages', {}, {caller: await as('Agent_2')})).inbox.map((message) => message.id)).toEqual([assigned.messageId])
  })

  it('an agent naming another session is refused by the scope step of the pipeline, and nothing is created', async () => {
    await h.core.run('create_session', {name: 'other', root: h.root, todo: false})
    const one = await as('Agent_1')
    await expect(h.core.run('create_task', {session: 'other', title: 'sneaky'}, {caller: one})).rejects.toMatchObject({code: 'FORBIDDEN', reason: 'scope'})
    await expect(h.core.run('list_tasks', {session: 'other'}, {caller: one})).rejects.toMatchObject({code: 'FORBIDDEN', reason: 'scope'})
    expect((await h.core.run('list_tasks', {session: 'other'})).tasks).toEqual([])
    await expect(h.core.run('list_tasks', {})).rejects.toMatchObject({code: 'INVALID_INPUT', message: expect.stringContaining('Which session?')})
  })
})

describe('bad input: a clear error and nothing changed', () => {
  it('unknown ids, unknown or cyclic blockers, oversized and control-character text', async () => {
    await h.core.run('create_task', {session: 's', title: 'A'})
    await h.core.run('create_task', {session: 's', title: 'B', blockedBy: ['T-1']})
    const before = await readFile(boardFile(), 'utf8')
    const todoBefore = await todo()
    await expect(h.core.run('get_task', {session: 's', id: 'T-9'})).rejects.toMatchObject({code: 'NOT_FOUND', message: 'Session "s" has no task T-9.', hint: 'Its tasks: T-1, T-2.'})
    await expect(h.core.run('claim_task', {session: 's', id: 'T-9', agent: 'Agent_1'})).rejects.toMatchObject({code: 'NOT_FOUND'})
    await expect(h.core.run('get_task', {session: 's', id: 'task1'})).rejects.toMatchObject({code: 'INVALID_INPUT', message: expect.stringContaining('task id like T-1')})
    await expect(h.core.run('create_task', {session: 's', title: 'C', blockedBy: ['T-7']})).rejects.toMatchObject({code: 'INVALID_INPUT', message: expect.stringContaining('T-7, which session "s" does not have')})
    await expect(h.core.run('create_task', {session: 's', title: 'C', blockedBy: ['T-3']})).rejects.toMatchObject({code: 'INVALID_INPUT', message: expect.stringContaining('cycle: T-3 → T-3')})
    const big = 'x'.repeat(64 * 1024 + 1)
    await expect(h.core.run('create_task', {session: 's', title: big})).rejects.toMatchObject({code: 'INVALID_INPUT', message: expect.stringContaining('limit is 65536 bytes')})
    await expect(h.core.run('create_task', {session: 's', title: 'ok', body: big})).rejects.toMatchObject({code: 'INVALID_INPUT', message: expect.stringContaining('task body')})
    await expect(h.core.run('update_task', {session: 's', id: 'T-1', note: big})).rejects.toMatchObject({code: 'INVALID_INPUT', message: expect.stringContaining('task note')})
    await expect(h.core.run('complete_task', {session: 's', id: 'T-1', result: big})).rejects.toMatchObject({code: 'INVALID_INPUT', message: expect.stringContaining('task result')})
    await expect(h.core.run('create_task', {session: 's', title: 'two\nlines'})).rejects.toMatchObject({code: 'INVALID_INPUT', message: expect.stringContaining('several lines')})
    await expect(h.core.run('create_task', {session: 's', title: 'bell\u0007'})).rejects.toMatchObject({code: 'INVALID_INPUT'})
    await expect(h.core.run('claim_task', {session: 's', agent: 'Agent_1'})).rejects.toMatchObject({code: 'INVALID_INPUT', message: expect.stringContaining('Which task?')})
    await expect(h.core.run('create_task', {session: 'nope', title: 'x'})).rejects.toMatchObject({code: 'NOT_FOUND'})
    expect(await readFile(boardFile(), 'utf8')).toBe(before)
    expect(await todo()).toBe(todoBefore)
  })

  it('a cycle through other tasks is refused (blockedBy is checked across the board)', async () => {
    const {assertBlockers, emptyBoard} = await import('../../src/core/tasks/board.js')
    const board = emptyBoard()
    const task = (id: string, blockedBy: string[]) => ({id, title: id, body: null, status: 'open' as const, claimedBy: null, leaseUntil: null, blockedBy, createdBy: 'operator', createdAt: '', updatedAt: '', notes: [], result: null, events: []})
    board.tasks = [task('T-1', ['T-3']), task('T-2', ['T-1'])]
    expect(() => assertBlockers(board, 's', 'T-3', ['T-2'])).toThrow('blockedBy would make a cycle: T-3 → T-2 → T-1 → T-3; nothing was changed.')
    expect(() => assertBlockers(board, 's', 'T-3', ['T-1'])).toThrow(/cycle/)
  })
})

describe('leases and holders that are gone', () => {
  it("a claim lapses after taskLeaseMs of silence; the holder's hook events renew it without writing the board", async () => {
    const clock = new ManualClock(Date.now())
    h.deps.ports.clock = clock
    await h.core.run('set_config', {key: 'taskLeaseMs', value: '60000'})
    await h.core.run('create_task', {session: 's', title: 'A'})
    await h.core.run('claim_task', {id: 'T-1'}, {caller: await as('Agent_1')})
    clock.advance(50_000)
    // A hook event 50 s in: the lease runs 60 s from it, whatever leaseUntil says.
    const signOfLife = clock.now().toISOString()
    await h.deps.ports.state.update((state) => ({value: {...state, agents: state.agents.map((agent) => (agent.name === 'Agent_1' ? {...agent, lastEventAt: signOfLife} : agent))}, result: null}))
    clock.advance(50_000)
    expect((await h.core.run('get_task', {session: 's', id: 'T-1'})).task.status).toBe('claimed')
    clock.advance(15_000)
    const lapsed = (await h.core.run('get_task', {session: 's', id: 'T-1'})).task
    expect(lapsed).toMatchObject({status: 'open', claimedBy: null, leaseUntil: null})
    expect(lapsed.events.at(-1)).toMatchObject({type: 'lease-expired', by: 'ccmcp (task sweep)', agent: 'Agent_1', reason: 'no sign of Agent_1 for 60 s (the task lease, config taskLeaseMs)'})
    // The sweep was written once, with its event; another agent can take the task now.
    expect((await h.core.run('claim_task', {next: true}, {caller: await as('Agent_2')})).task.claimedBy).toBe('Agent_2')
  })

  it("a note by the holder renews its lease", async () => {
    const clock = new ManualClock(Date.now())
    h.deps.ports.clock = clock
    await h.core.run('create_task', {session: 's', title: 'A'})
    const one = await as('Agent_1')
    await h.core.run('claim_task', {id: 'T-1'}, {caller: one})
    clock.advance(250_000)
    await h.core.run('update_task', {id: 'T-1', note: 'still on it'}, {caller: one})
    clock.advance(250_000)
    expect((await h.core.run('list_tasks', {session: 's'})).tasks[0]?.status).toBe('claimed')
    clock.advance(60_000)
    expect((await h.core.run('list_tasks', {session: 's'})).tasks[0]?.events.at(-1)?.type).toBe('lease-expired')
  })

  it("the holder's program exiting frees its claim within one reconciliation, with the reason", async () => {
    await h.core.run('create_task', {session: 's', title: 'A'})
    await h.core.run('claim_task', {id: 'T-1'}, {caller: await as('Agent_1')})
    const tab = h.backend.tabOf('s/Agent_1')!
    tab.alive = false
    tab.exitStatus = 3
    // Any reconciling read (here the agent list, not a task command) frees it.
    await h.core.run('list_agents', {session: 's'})
    const board = await h.deps.ports.tasks('s').read()
    expect(board.tasks[0]).toMatchObject({status: 'open', claimedBy: null})
    expect(board.tasks[0]?.events.at(-1)).toMatchObject({type: 'holder-gone', agent: 'Agent_1', reason: 'Agent_1 is exited (exited with status 3)'})
    expect(await todo()).toContain('- [ ] T-1 A\n')
  })

  it('deleting the holder frees its claim; deleting the session forgets the board', async () => {
    await h.core.run('create_task', {session: 's', title: 'A'})
    await h.core.run('claim_task', {id: 'T-1'}, {caller: await as('Agent_2')})
    await h.core.run('delete_agent', {agent: 's/Agent_2'})
    const board = await h.deps.ports.tasks('s').read()
    expect(board.tasks[0]).toMatchObject({status: 'open', claimedBy: null})
    expect(board.tasks[0]?.events.at(-1)).toMatchObject({type: 'holder-gone', reason: 'Agent_2 was deleted'})
    await h.core.run('delete_session', {name: 's'})
    await expect(readFile(boardFile())).rejects.toMatchObject({code: 'ENOENT'})
  })
})

describe('TODO.md', () => {
  it('is rendered after every change in the todo-md convention, its first line saying how to change it', async () => {
    await h.core.run('create_task', {session: 's', title: 'Write the parser'})
    await h.core.run('create_task', {session: 's', title: 'Test it', blockedBy: ['T-1']})
    await h.core.run('create_task', {session: 's', title: 'Docs'})
    await h.core.run('create_task', {session: 's', title: 'Dropped'})
    await h.core.run('claim_task', {session: 's', id: 'T-3', agent: 'Agent_2'})
    await h.core.run('complete_task', {session: 's', id: 'T-1', result: 'done in\nsrc/parser.ts'})
    await h.core.run('cancel_task', {session: 's', id: 'T-4'})
    expect(await todo()).toBe(
      [
        '<!-- Generated by ccmcp from the task board of session "s"; edits here are overwritten. Change tasks with `ccmcp task …` (see `ccmcp task --help`). -->',
        '# TODO',
        '',
        '- [ ] T-2 Test it',
        '- [ ] T-3 Docs @Agent_2',
        '',
        '# DONE',
        '',
        '- [x] T-1 Write the parser — done in src/parser.ts',
        '- [-] T-4 Dropped',
        '',
      ].join('\n'),
    )
  })

  it("never overwrites a TODO.md ccmcp did not write: the board goes to .ccmcp/TODO.md, said once", async () => {
    const mine = '# My own todo list\n- [ ] buy milk\n'
    await writeFile(path.join(h.root, 'TODO.md'), mine)
    await h.core.run('create_task', {session: 's', title: 'A'})
    await h.core.run('create_task', {session: 's', title: 'B'})
    expect(await todo()).toBe(mine)
    expect(await readFile(path.join(h.root, '.ccmcp', 'TODO.md'), 'utf8')).toContain('- [ ] T-2 B')
    expect(warnings.filter((warning) => warning.includes('was not written by ccmcp'))).toHaveLength(1)
  })

  it('is not written for a session created with todo off', async () => {
    await h.core.run('create_session', {name: 'quiet', root: path.join(h.root), todo: false})
    await h.core.run('create_task', {session: 'quiet', title: 'A'})
    await expect(todo()).rejects.toMatchObject({code: 'ENOENT'})
  })
})
