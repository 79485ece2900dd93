/** Changing a task other than by claiming: progress notes, reopening, cancelling. */
import * as z from 'zod'

import {CcmcpError} from '../domain/errors.js'
import {assertMayFinish} from '../tasks/access.js'
import {isSettled, withEvent} from '../tasks/board.js'
import {defineTaskChange} from './task-change.js'
import {taskText} from './tasks.js'

export const updateTask = defineTaskChange({
  name: 'update_task',
  title: 'Update task',
  description: "Add a progress note to a task (what is done, what is next, what blocks it). A note by the task's holder also renews its claim.",
  fields: {note: z.string().describe('The progress note')},
  change(current, {input, caller, by, now, leaseMs}) {
    const text = taskText(input.note, 'task note')
    const at = now.toISOString()
    const holder = caller.kind === 'agent' && current.status === 'claimed' && current.claimedBy === caller.agent
    return withEvent(current, {type: 'note', by, at, agent: caller.kind === 'agent' ? caller.agent : null}, {
      notes: [...current.notes, {by, at, text}],
      ...(holder ? {leaseUntil: new Date(now.getTime() + leaseMs).toISOString()} : {}),
    })
  },
})

export const reopenTask = defineTaskChange({
  name: 'reopen_task',
  title: 'Reopen task',
  description: 'Open a done or cancelled task again (its result is kept in its history); tasks waiting for it are blocked again.',
  fields: {},
  change(current, {by, now}) {
    if (!isSettled(current)) {
      throw new CcmcpError('CONFLICT', `${current.id} is ${current.status}, not done or cancelled: there is nothing to reopen; nothing was changed.`, {
        reason: 'not-settled',
        hint: current.status === 'claimed' ? 'To take it from its holder, release it (`ccmcp task release` / release_task).' : 'Reopen only a done or cancelled task.',
      })
    }
    return withEvent(current, {type: 'reopened', by, at: now.toISOString(), reason: current.result ? `its result was: ${current.result.slice(0, 500)}` : null}, {status: 'open', result: null})
  },
})

export const cancelTask = defineTaskChange({
  name: 'cancel_task',
  title: 'Cancel task',
  description: "Drop a task that is no longer wanted (it stays on the board as cancelled; reopen_task brings it back). A claimed task may be cancelled by its holder or the operator. Tasks waiting for it stay blocked.",
  fields: {},
  change(current, {caller, by, now, session}) {
    if (isSettled(current)) {
      throw new CcmcpError('CONFLICT', `${current.id} is already ${current.status}; nothing was changed.`, {reason: 'settled', hint: 'Reopen it first to change it.'})
    }
    assertMayFinish(caller, current, session, 'cancel')
    return withEvent(current, {type: 'cancelled', by, at: now.toISOString(), agent: current.claimedBy}, {status: 'cancelled', claimedBy: null, leaseUntil: null})
  },
})
