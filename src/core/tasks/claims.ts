/**
 * Claims as a compare-and-swap: run inside one store update, so of many processes claiming at
 * once exactly one wins each task. A task is claimable when open and unclaimed (or already the
 * claimer's: a repeat claim renews it); `next` picks the first ready task in id order.
 */
import {CcmcpError} from '../domain/errors.js'
import {type Task, type TaskBoard, type TaskEvent, blockersDone, findTask, isReadyTask, replaceTask, withEvent} from './board.js'

export interface ClaimRequest {
  session: string
  /** A task id, or null for the first ready task. */
  id: string | null
  agent: string
  /** describeCaller of who asked (the agent itself, or the operator assigning). */
  by: string
  now: Date
  leaseMs: number
  /** `assigned` when the operator gives the task to the agent. */
  event?: Extract<TaskEvent['type'], 'claimed' | 'assigned'>
}

export function claimOnBoard(board: TaskBoard, request: ClaimRequest): {board: TaskBoard; task: Task} {
  const task = request.id === null ? firstReady(board, request.session) : findTask(board, request.session, request.id)
  const leaseUntil = new Date(request.now.getTime() + request.leaseMs).toISOString()
  if (task.status === 'claimed' && task.claimedBy === request.agent) {
    const renewed = {...task, leaseUntil}
    return {board: replaceTask(board, renewed), task: renewed}
  }
  assertClaimable(board, task, request.session)
  const claimed = withEvent(task, {type: request.event ?? 'claimed', by: request.by, at: request.now.toISOString(), agent: request.agent}, {status: 'claimed', claimedBy: request.agent, leaseUntil})
  return {board: replaceTask(board, claimed), task: claimed}
}

function firstReady(board: TaskBoard, session: string): Task {
  const ready = board.tasks.find((task) => isReadyTask(board, task))
  if (ready) return ready
  const count = (status: Task['status']) => board.tasks.filter((task) => task.status === status).length
  const unsettled = board.tasks.length - count('done') - count('cancelled')
  throw new CcmcpError('NOTHING_READY', `No task is ready to claim in session "${session}": ${board.tasks.length === 0 ? 'the board is empty' : `${count('claimed')} claimed, ${count('blocked')} blocked, ${count('done')} done, ${count('cancelled')} cancelled`}. Nothing was changed.`, {
    reason: 'nothing-ready',
    hint:
      unsettled > 0
        ? {cli: `Wait for claimed tasks to finish (\`ccmcp task list ${session}\`) and try again, or create a task for new work.`, mcp: 'Wait for claimed tasks to finish (list_tasks) and try again, or create a task for new work.'}
        : {cli: `Create one with \`ccmcp task create ${session} "<title>"\`.`, mcp: 'Create one with create_task.'},
    details: {session, claimed: count('claimed'), blocked: count('blocked'), tasks: board.tasks.length},
  })
}

function assertClaimable(board: TaskBoard, task: Task, session: string): void {
  const refuse = (why: string, hint: string, reason: string) =>
    new CcmcpError('CONFLICT', `${task.id} cannot be claimed: ${why}; nothing was changed.`, {reason, hint, details: {session, task: task.id, status: task.status}})
  switch (task.status) {
    case 'claimed':
      throw refuse(`${task.claimedBy} holds it`, `Pick another task (or claim the next ready one), or message ${task.claimedBy}.`, 'claimed-by-other')
    case 'done':
      throw refuse('it is done', 'Reopen it first (`ccmcp task reopen` / reopen_task) if it needs more work.', 'settled')
    case 'cancelled':
      throw refuse('it is cancelled', 'Reopen it first (`ccmcp task reopen` / reopen_task) if it is wanted after all.', 'settled')
    case 'blocked':
    case 'open':
      if (!blockersDone(board, task)) {
        const waiting = task.blockedBy.filter((id) => board.tasks.find((other) => other.id === id)?.status !== 'done')
        throw refuse(`it waits for ${waiting.join(', ')} to be done`, 'Claim the next ready task instead, or finish what it waits for first.', 'blocked')
      }
  }
}
