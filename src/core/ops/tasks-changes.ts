/** Changing a task other than by claiming: progress notes, reopening, cancelling. */
import * as z from 'zod'

import {CcmcpError} from '../domain/errors.js'
import {describeCaller} from '../pipeline/caller.js'
import {defineOperation} from '../pipeline/operation.js'
import {assertMayFinish} from '../tasks/access.js'
import {findTask, isSettled, replaceTask, withEvent} from '../tasks/board.js'
import {changeTask} from '../tasks/board-io.js'
import {SessionField, TaskIdField, TaskOutput, boardScope, taskText} from './tasks.js'

export const updateTask = defineOperation({
  name: 'update_task',
  title: 'Update task',
  description: "Add a progress note to a task (what is done, what is next, what blocks it). A note by the task's holder also renews its claim.",
  level: 'MEDIUM',
  annotations: {readOnly: false, destructive: false, idempotent: false},
  mcp: true,
  input: z.object({session: SessionField, id: TaskIdField, note: z.string().describe('The progress note')}),
  output: TaskOutput,
  async handler(input, {deps, caller}) {
    const text = taskText(input.note, 'task note')
    const scope = await boardScope(deps, caller, input.session)
    const {taskLeaseMs} = await deps.ports.config.read()
    const task = await changeTask(deps, scope, (board, now) => {
      const current = findTask(board, scope.session.name, input.id)
      const by = describeCaller(caller)
      const at = now.toISOString()
      const holder = caller.kind === 'agent' && current.status === 'claimed' && current.claimedBy === caller.agent
      const noted = withEvent(current, {type: 'note', by, at, agent: caller.kind === 'agent' ? caller.agent : null}, {
        notes: [...current.notes, {by, at, text}],
        ...(holder ? {leaseUntil: new Date(now.getTime() + taskLeaseMs).toISOString()} : {}),
      })
      return {board: replaceTask(board, noted), id: current.id}
    })
    return {task}
  },
})

export const reopenTask = defineOperation({
  name: 'reopen_task',
  title: 'Reopen task',
  description: 'Open a done or cancelled task again (its result is kept in its history); tasks waiting for it are blocked again.',
  level: 'MEDIUM',
  annotations: {readOnly: false, destructive: false, idempotent: false},
  mcp: true,
  input: z.object({session: SessionField, id: TaskIdField}),
  output: TaskOutput,
  async handler(input, {deps, caller}) {
    const scope = await boardScope(deps, caller, input.session)
    const task = await changeTask(deps, scope, (board, now) => {
      const current = findTask(board, scope.session.name, input.id)
      if (!isSettled(current)) {
        throw new CcmcpError('CONFLICT', `${current.id} is ${current.status}, not done or cancelled: there is nothing to reopen; nothing was changed.`, {
          reason: 'not-settled',
          hint: current.status === 'claimed' ? 'To take it from its holder, release it (`ccmcp task release` / release_task).' : 'Reopen only a done or cancelled task.',
        })
      }
      const reopened = withEvent(current, {type: 'reopened', by: describeCaller(caller), at: now.toISOString(), reason: current.result ? `its result was: ${current.result.slice(0, 500)}` : null}, {status: 'open', result: null})
      return {board: replaceTask(board, reopened), id: current.id}
    })
    return {task}
  },
})

export const cancelTask = defineOperation({
  name: 'cancel_task',
  title: 'Cancel task',
  description: "Drop a task that is no longer wanted (it stays on the board as cancelled; reopen_task brings it back). A claimed task may be cancelled by its holder or the operator. Tasks waiting for it stay blocked.",
  level: 'MEDIUM',
  annotations: {readOnly: false, destructive: false, idempotent: false},
  mcp: true,
  input: z.object({session: SessionField, id: TaskIdField}),
  output: TaskOutput,
  async handler(input, {deps, caller}) {
    const scope = await boardScope(deps, caller, input.session)
    const task = await changeTask(deps, scope, (board, now) => {
      const current = findTask(board, scope.session.name, input.id)
      if (isSettled(current)) {
        throw new CcmcpError('CONFLICT', `${current.id} is already ${current.status}; nothing was changed.`, {reason: 'settled', hint: 'Reopen it first to change it.'})
      }
      assertMayFinish(caller, current, scope.session.name, 'cancel')
      const cancelled = withEvent(current, {type: 'cancelled', by: describeCaller(caller), at: now.toISOString(), agent: current.claimedBy}, {status: 'cancelled', claimedBy: null, leaseUntil: null})
      return {board: replaceTask(board, cancelled), id: current.id}
    })
    return {task}
  },
})
