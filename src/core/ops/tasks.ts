/** The task board: create, list and show tasks. Claims are in tasks-claims.ts, other changes in tasks-changes.ts. */
import * as z from 'zod'

import {reconciledState} from '../agents/live-state.js'
import {findSession} from '../agents/resolve.js'
import {CcmcpError} from '../domain/errors.js'
import {validateMessage} from '../domain/message-text.js'
import {Name, type State} from '../domain/state.js'
import {type Caller, describeCaller} from '../pipeline/caller.js'
import {type CoreDeps, defineOperation} from '../pipeline/operation.js'
import {boardSession} from '../tasks/access.js'
import {Task, TaskId, TaskStatus, assertBlockers, findTask} from '../tasks/board.js'
import {type BoardScope, changeTask, readBoard} from '../tasks/board-io.js'

export const SessionField = Name.optional().describe("Session name; an agent may leave it out (its own session is the only one it may use)")
export const TaskIdField = TaskId.describe('Task id, e.g. T-3')
export const TaskOutput = z.object({task: Task})

/** The session record and the state for a board operation, after the caller's session is checked. */
export async function boardScope(deps: CoreDeps, caller: Caller, session: string | undefined, options: {live?: boolean} = {}): Promise<BoardScope> {
  const name = boardSession(caller, session)
  const state: State = options.live ? await reconciledState(deps) : await deps.ports.state.read()
  return {session: findSession(state, name), state}
}

/** Task text: verbatim like a message (tab and newline only among control characters, 64 KiB at most). */
export function taskText(text: string, what: string): string {
  return validateMessage(text, what)
}

function taskTitle(text: string): string {
  const title = taskText(text, 'task title').trim()
  if (title.includes('\n')) {
    throw new CcmcpError('INVALID_INPUT', 'The task title spans several lines; nothing was changed.', {hint: 'Keep the title to one line and put the rest in the body.'})
  }
  return title
}

export const createTask = defineOperation({
  name: 'create_task',
  title: 'Create task',
  description: "Add a task to a session's board (it appears in TODO.md at the session root). A task with blockedBy stays blocked until every task it names is done.",
  level: 'MEDIUM',
  annotations: {readOnly: false, destructive: false, idempotent: false},
  mcp: true,
  input: z.object({
    session: SessionField,
    title: z.string().describe('One line saying what is to be done'),
    body: z.string().optional().describe('Details: what, where, how to know it is done'),
    blockedBy: z.array(TaskIdField).default([]).describe('Tasks that must be done before this one can be claimed'),
  }),
  output: TaskOutput,
  async handler(input, {deps, caller}) {
    const title = taskTitle(input.title)
    const body = input.body === undefined ? null : taskText(input.body, 'task body')
    const scope = await boardScope(deps, caller, input.session)
    const task = await changeTask(deps, scope, (board, now) => {
      const id = `T-${board.nextId}`
      const blockedBy = [...new Set(input.blockedBy)]
      assertBlockers(board, scope.session.name, id, blockedBy)
      const at = now.toISOString()
      const by = describeCaller(caller)
      const created: Task = {
        id, title, body, status: 'open', claimedBy: null, leaseUntil: null, blockedBy, createdBy: by, createdAt: at, updatedAt: at, notes: [], result: null,
        events: [{type: 'created', by, at, agent: null, reason: null}],
      }
      return {board: {...board, nextId: board.nextId + 1, tasks: [...board.tasks, created]}, id}
    })
    return {task}
  },
})

export const listTasks = defineOperation({
  name: 'list_tasks',
  title: 'List tasks',
  description: "A session's task board: every task with its status (open, claimed, done, blocked, cancelled), holder, notes and history. Claims whose holder is gone or silent past the lease are returned to open first.",
  level: 'LOW',
  annotations: {readOnly: true, destructive: false, idempotent: true},
  mcp: true,
  input: z.object({session: SessionField, status: TaskStatus.optional().describe('Only tasks with this status')}),
  output: z.object({tasks: z.array(Task)}),
  async handler(input, {deps, caller}) {
    const board = await readBoard(deps, await boardScope(deps, caller, input.session, {live: true}))
    return {tasks: board.tasks.filter((task) => input.status === undefined || task.status === input.status)}
  },
})

export const getTask = defineOperation({
  name: 'get_task',
  title: 'Get task',
  description: 'One task with its body, notes, result and full history (who did what, when, and why ccmcp freed a claim).',
  level: 'LOW',
  annotations: {readOnly: true, destructive: false, idempotent: true},
  mcp: true,
  input: z.object({session: SessionField, id: TaskIdField}),
  output: TaskOutput,
  async handler(input, {deps, caller}) {
    const scope = await boardScope(deps, caller, input.session, {live: true})
    return {task: findTask(await readBoard(deps, scope), scope.session.name, input.id)}
  },
})
