/** The pure part of the tasks pane: order, times, the task A offers, an agent's label, ids as typed. */
import {describe, expect, it} from 'vitest'

import {type TaskLine, currentTaskLabel, paneOrder, readyTaskId, taskIdOf, taskTime, withTasksPane} from '../../src/tui/task-model.js'

const NOW = Date.parse('2026-01-01T12:00:00.000Z')
const line = (id: string, fields: Partial<TaskLine> = {}): TaskLine => ({
  id, title: `title of ${id}`, status: 'open', claimedBy: null, blockedBy: [], result: null, updatedAt: new Date(NOW - 90_000).toISOString(), claimUntil: null, ...fields,
})
const board = (...tasks: TaskLine[]) => ({session: 's', tasks, error: null})

describe('task model', () => {
  it('orders claimed, open, blocked, done, cancelled, each by id number (T-10 after T-9)', () => {
    const tasks = [line('T-10'), line('T-1', {status: 'done'}), line('T-9'), line('T-3', {status: 'claimed', claimedBy: 'Agent_1'}), line('T-2', {status: 'cancelled'}), line('T-4', {status: 'blocked'})]
    expect(paneOrder(tasks).map((task) => task.id)).toEqual(['T-3', 'T-9', 'T-10', 'T-4', 'T-1', 'T-2'])
  })

  it("a claim shows its time left, and 'lapsing' once past until ccmcp frees it; other tasks their age", () => {
    expect(taskTime(line('T-1', {status: 'claimed', claimUntil: new Date(NOW + 4 * 60_000 + 5_000).toISOString()}), NOW)).toBe('4m left')
    expect(taskTime(line('T-1', {status: 'claimed', claimUntil: new Date(NOW - 1).toISOString()}), NOW)).toBe('lapsing')
    expect(taskTime(line('T-1'), NOW)).toBe('1m ago')
  })

  it('A offers the first open, unclaimed task; none when nothing is ready', () => {
    expect(readyTaskId(board(line('T-1', {status: 'claimed', claimedBy: 'Agent_1'}), line('T-2', {status: 'blocked'}), line('T-3')))).toBe('T-3')
    expect(readyTaskId(board(line('T-1', {status: 'done'})))).toBeUndefined()
    expect(readyTaskId(undefined)).toBeUndefined()
  })

  it("an agent's label: its first claimed task, shortened, +N for more; control characters never reach the screen", () => {
    const held = board(line('T-2', {status: 'claimed', claimedBy: 'Agent_1', title: 'Write\nthe \u001B[31mparser for every format there is'}), line('T-5', {status: 'claimed', claimedBy: 'Agent_1'}))
    const label = currentTaskLabel(held, 'Agent_1') ?? ''
    expect(label).toMatch(/^T-2 Write the .*… \+1$/)
    // eslint-disable-next-line no-control-regex -- control characters are what must not be there
    expect(label).not.toMatch(/[\u0000-\u001F]/)
    expect(currentTaskLabel(held, 'Agent_2')).toBeNull()
  })

  it('task ids as typed: 3 and t-3 mean T-3; anything else goes to core unchanged', () => {
    expect([taskIdOf(' 3 '), taskIdOf('t-3'), taskIdOf('T-3'), taskIdOf('three')]).toEqual(['T-3', 'T-3', 'T-3', 'three'])
  })

  it('the pane takes rows from the list, down to a few; then from the preview; and is left out when it would have under two', () => {
    const wide = {list: 20, preview: 14, body: 1, counts: true, help: true}
    expect(withTasksPane(wide, 9)).toEqual({layout: {...wide, list: 11, preview: 14}, tasks: 9})
    expect(withTasksPane({...wide, list: 8, preview: 10}, 9)).toEqual({layout: {...wide, list: 4, preview: 5}, tasks: 9})
    expect(withTasksPane({...wide, list: 9, preview: 0}, 9)).toEqual({layout: {...wide, list: 4, preview: 0}, tasks: 5})
    expect(withTasksPane({...wide, list: 5, preview: 0}, 9)).toEqual({layout: {...wide, list: 5, preview: 0}, tasks: 0})
    expect(withTasksPane(wide, 0).tasks).toBe(0)
  })
})
