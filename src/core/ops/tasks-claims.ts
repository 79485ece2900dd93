/** Claiming tasks: claim (by id or the next ready one), release, complete, and assign (claim for an agent and tell it). */
import * as z from 'zod'

import {DeliverySchema} from './conversations.js'
import {CcmcpError} from '../domain/errors.js'
import {MAX_MESSAGE_BYTES} from '../domain/message-text.js'
import {sendRecorded} from '../messages/messaging.js'
import {Name} from '../domain/state.js'
import {describeCaller} from '../pipeline/caller.js'
import {defineOperation} from '../pipeline/operation.js'
import {assertMayFinish, claimerFor} from '../tasks/access.js'
import {type Task, withEvent} from '../tasks/board.js'
import {changeTask} from '../tasks/board-io.js'
import {claimOnBoard} from '../tasks/claims.js'
import {defineTaskChange} from './task-change.js'
import {SessionField, TaskIdField, TaskOutput, boardScope, taskText} from './tasks.js'

export const claimTask = defineOperation({
  name: 'claim_task',
  title: 'Claim task',
  description:
    'Take a task to work on: by id, or next: true for the first ready one (open, unclaimed, everything it waits for done), in one atomic step, so two agents never get the same task. A repeat claim by the holder renews it. The claim holds while the holder shows signs of life (any hook event, a note) within the task lease, and returns to open when the holder ends or is deleted. Nothing ready: fails with NOTHING_READY.',
  level: 'MEDIUM',
  scope: (input) => ({sessions: [input.session]}),
  annotations: {readOnly: false, destructive: false, idempotent: false},
  mcp: true,
  input: z.object({
    session: SessionField,
    id: TaskIdField.optional(),
    next: z.boolean().default(false).describe('Claim the first ready task instead of a given id'),
    agent: Name.optional().describe('The operator only: the agent the claim is for (an agent always claims for itself)'),
  }),
  output: TaskOutput,
  async handler(input, {deps, caller}) {
    if ((input.id === undefined) === !input.next) {
      throw new CcmcpError('INVALID_INPUT', input.next ? 'Give either a task id or next, not both.' : 'Which task? Give a task id, or next to claim the first ready one.', {
        hint: {cli: 'Run `ccmcp task claim <session> T-3` or `ccmcp task claim <session> --next`.', mcp: 'Pass id (e.g. "T-3") or next: true.'},
      })
    }
    const scope = await boardScope(deps, caller, input.session)
    const agent = claimerFor(caller, input.agent, scope.state, scope.session.name)
    const {taskLeaseMs} = await deps.ports.config.read()
    const by = describeCaller(caller)
    const task = await changeTask(deps, scope, (board, now) => {
      const claimed = claimOnBoard(board, {session: scope.session.name, id: input.id ?? null, agent, by, now, leaseMs: taskLeaseMs})
      return {board: claimed.board, id: claimed.task.id}
    })
    return {task}
  },
})

export const releaseTask = defineTaskChange({
  name: 'release_task',
  title: 'Release task',
  description: 'Give a claimed task back: it returns to open for anyone to claim. Only its holder or the operator may release it.',
  fields: {},
  change(current, {caller, by, now, session}) {
    if (current.status !== 'claimed') {
      throw new CcmcpError('CONFLICT', `${current.id} is ${current.status}, not claimed: there is nothing to release; nothing was changed.`, {reason: 'not-claimed', hint: 'Release only a claimed task.'})
    }
    assertMayFinish(caller, current, session, 'release')
    return withEvent(current, {type: 'released', by, at: now.toISOString(), agent: current.claimedBy}, {status: 'open', claimedBy: null, leaseUntil: null})
  },
})

export const completeTask = defineTaskChange({
  name: 'complete_task',
  title: 'Complete task',
  description: 'Mark a task done with a result (a short summary of what was done, where, and anything left). Only its holder or the operator may complete a claimed task; tasks waiting for it become ready.',
  fields: {result: z.string().optional().describe('What was done: files, outcome, anything left over')},
  change(current, {input, caller, by, now, session}) {
    const result = input.result === undefined ? null : taskText(input.result, 'task result')
    if (current.status === 'done' || current.status === 'cancelled') {
      throw new CcmcpError('CONFLICT', `${current.id} is already ${current.status}; nothing was changed.`, {reason: 'settled', hint: 'Reopen it first if there is more to do.'})
    }
    assertMayFinish(caller, current, session, 'complete')
    const agent = caller.kind === 'agent' ? caller.agent : current.claimedBy
    return withEvent(current, {type: 'done', by, at: now.toISOString(), agent}, {status: 'done', claimedBy: null, leaseUntil: null, result})
  },
})

export const assignTask = defineOperation({
  name: 'assign_task',
  title: 'Assign task',
  description: "Give a task to an agent: claim it on the agent's behalf and send the agent the task as a message (delivered now, or queued until it is ready), recorded like any message, so list_messages shows it.",
  level: 'MEDIUM',
  scope: (input) => ({sessions: [input.session]}),
  annotations: {readOnly: false, destructive: false, idempotent: false},
  mcp: true,
  input: z.object({session: SessionField, id: TaskIdField, agent: Name.describe('The agent of the session that is to do it')}),
  output: TaskOutput.extend({delivery: DeliverySchema, messageId: z.string()}),
  async handler(input, {deps, caller}) {
    const scope = await boardScope(deps, caller, input.session)
    const agentName = caller.kind === 'agent' ? claimerFor({kind: 'operator'}, input.agent, scope.state, scope.session.name) : claimerFor(caller, input.agent, scope.state, scope.session.name)
    const agent = scope.state.agents.find((candidate) => candidate.session === scope.session.name && candidate.name === agentName)!
    const {taskLeaseMs} = await deps.ports.config.read()
    const task = await changeTask(deps, scope, (board, now) => {
      const claimed = claimOnBoard(board, {session: scope.session.name, id: input.id, agent: agentName, by: describeCaller(caller), now, leaseMs: taskLeaseMs, event: 'assigned'})
      return {board: claimed.board, id: claimed.task.id}
    })
    // Like send_message: recorded in the session's message history, so list_messages shows it.
    const outcome = await sendRecorded(deps, caller, agent, assignmentText(scope.session.name, task), {raw: false, command: false})
    return {task, delivery: outcome.delivery, messageId: outcome.messageId}
  },
})

/** What the agent reads: the task, and how to report on it (both its MCP tools and the CLI). */
function assignmentText(session: string, task: Task): string {
  const lines = [
    `Task ${task.id} of session ${session} is assigned to you (claimed in your name): ${task.title}`,
    ...(task.body ? ['', task.body] : []),
    '',
    `Keep notes with update_task (or \`ccmcp task note ${task.id} "…"\`); when finished call complete_task with a result (or \`ccmcp task done ${task.id} --result "…"\`).`,
  ]
  const text = lines.join('\n')
  if (Buffer.byteLength(text) <= MAX_MESSAGE_BYTES - 1024) return text
  return [lines[0], '', `The body is long: read it with get_task (or \`ccmcp task show ${task.id}\`).`, lines.at(-1)].join('\n')
}
