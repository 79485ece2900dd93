/**
 * Claims that outlive their holder return to `open`. A claim is a lease: it holds while
 * max(leaseUntil, holder's last hook event + lease) is ahead, so every hook event renews it without
 * the hook path ever writing the task store. The holder's status and existence come from the state
 * (what reconciliation last recorded); a holder that is exited, lost, closed or deleted lets go at once.
 */
import type {Agent} from '../domain/state.js'
import {hasEnded} from '../domain/status.js'
import {type Task, type TaskBoard, type TaskEvent, withBlockedStatus, withEvent} from './board.js'

export const SWEEP_CALLER = 'ccmcp (task sweep)'

/** Until when the holder's claim on this task holds, given its last sign of life. */
export function claimAliveUntil(task: Pick<Task, 'leaseUntil'>, holder: Pick<Agent, 'lastEventAt'> | undefined, leaseMs: number): number {
  const lease = task.leaseUntil ? Date.parse(task.leaseUntil) : 0
  const lastSign = holder?.lastEventAt ? Date.parse(holder.lastEventAt) + leaseMs : 0
  return Math.max(lease, lastSign)
}

/** Why the holder of this claimed task no longer holds it, or null while the claim stands. */
export function lapseReason(task: Task, agents: readonly Agent[], now: Date, leaseMs: number): {type: TaskEvent['type']; reason: string} | null {
  if (task.status !== 'claimed' || task.claimedBy === null) return null
  const holder = agents.find((agent) => agent.name === task.claimedBy)
  if (!holder) return {type: 'holder-gone', reason: `${task.claimedBy} was deleted`}
  if (hasEnded(holder)) return {type: 'holder-gone', reason: `${holder.name} is ${holder.status}${holder.lastError ? ` (${holder.lastError})` : ''}`}
  if (claimAliveUntil(task, holder, leaseMs) <= now.getTime()) {
    return {type: 'lease-expired', reason: `no sign of ${holder.name} for ${Math.round(leaseMs / 1000)} s (the task lease, config taskLeaseMs)`}
  }
  return null
}

/** The board with every lapsed claim returned to open (and blocked statuses current); `changed` says whether anything moved. */
export function sweepBoard(board: TaskBoard, agents: readonly Agent[], now: Date, leaseMs: number): {board: TaskBoard; changed: boolean} {
  let changed = false
  const at = now.toISOString()
  const tasks = board.tasks.map((task) => {
    const lapse = lapseReason(task, agents, now, leaseMs)
    if (!lapse) return task
    changed = true
    return withEvent(task, {type: lapse.type, by: SWEEP_CALLER, at, agent: task.claimedBy, reason: lapse.reason}, {status: 'open', claimedBy: null, leaseUntil: null})
  })
  const swept = withBlockedStatus({...board, tasks})
  changed ||= swept.tasks.some((task, index) => task.status !== board.tasks[index]?.status)
  return {board: swept, changed}
}
