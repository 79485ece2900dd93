/**
 * A session's task board: tasks with their claims, notes and history, kept in its own store
 * (`<home>/tasks/<session>.json`), never in state.json. The rules here are pure (the caller passes
 * `now` and the agents it knows), so a claim's compare-and-swap runs inside one store update.
 */
import * as z from 'zod'

import {CcmcpError} from '../domain/errors.js'
import {Name} from '../domain/state.js'

export const TASK_STATUSES = ['open', 'claimed', 'done', 'blocked', 'cancelled'] as const
export const TaskStatus = z.enum(TASK_STATUSES)
export type TaskStatus = z.infer<typeof TaskStatus>

export const TASK_ID_PATTERN = /^T-[1-9]\d{0,8}$/
export const TaskId = z.string().regex(TASK_ID_PATTERN, {message: 'must be a task id like T-1'})

export const TASK_EVENTS = ['created', 'claimed', 'note', 'released', 'lease-expired', 'holder-gone', 'done', 'reopened', 'cancelled', 'assigned'] as const
export const TaskEventType = z.enum(TASK_EVENTS)
export type TaskEventType = z.infer<typeof TaskEventType>

export const TaskEvent = z.object({
  type: TaskEventType,
  /** Who did it, as describeCaller says it: `operator`, `agent api/Agent_1`, `ccmcp (task sweep)`. */
  by: z.string(),
  at: z.string(),
  /** The agent it concerns (claimed, assigned, released, …), if any. */
  agent: Name.nullable().default(null),
  /** Why, for changes ccmcp made on its own (`Agent_2 is exited`, `no sign of Agent_2 for 300 s`). */
  reason: z.string().nullable().default(null),
})
export type TaskEvent = z.infer<typeof TaskEvent>

export const TaskNote = z.object({by: z.string(), at: z.string(), text: z.string()})
export type TaskNote = z.infer<typeof TaskNote>

export const Task = z.object({
  id: TaskId,
  title: z.string(),
  body: z.string().nullable(),
  status: TaskStatus,
  /** The agent (of this session) holding the claim, while status is `claimed`. */
  claimedBy: Name.nullable(),
  /** Until when the claim holds without a sign of life from its holder (any hook event renews it). */
  leaseUntil: z.string().nullable(),
  blockedBy: z.array(TaskId),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  notes: z.array(TaskNote),
  /** The summary given when it was completed. */
  result: z.string().nullable(),
  events: z.array(TaskEvent),
})
export type Task = z.infer<typeof Task>

export const TASKS_SCHEMA_VERSION = 1

export const TaskBoard = z.object({
  schemaVersion: z.literal(TASKS_SCHEMA_VERSION),
  /** Number of the next task id; never reused within a session. */
  nextId: z.number().int().min(1),
  /** Counts every change, so a TODO.md writer can tell it rendered the latest board. */
  version: z.number().int().min(0),
  tasks: z.array(Task),
})
export type TaskBoard = z.infer<typeof TaskBoard>

export const emptyBoard = (): TaskBoard => ({schemaVersion: TASKS_SCHEMA_VERSION, nextId: 1, version: 0, tasks: []})

export function migrateBoard(raw: Record<string, unknown>): Record<string, unknown> {
  if (typeof raw.schemaVersion === 'number' && raw.schemaVersion > TASKS_SCHEMA_VERSION) {
    throw new CcmcpError('STATE_INVALID', `The task board was written by a newer ccmcp (schema ${raw.schemaVersion}; this one reads ${TASKS_SCHEMA_VERSION}).`, {
      hint: 'Upgrade ccmcp, or point CCMCP_HOME elsewhere.',
    })
  }
  return raw
}

/** Settled tasks: nothing more happens to them unless reopened. */
export const isSettled = (task: Pick<Task, 'status'>): boolean => task.status === 'done' || task.status === 'cancelled'

/** Every task it waits for is done. */
export const blockersDone = (board: TaskBoard, task: Task): boolean =>
  task.blockedBy.every((id) => board.tasks.find((candidate) => candidate.id === id)?.status === 'done')

/** Open, unclaimed, and nothing it waits for is unfinished. */
export const isReadyTask = (board: TaskBoard, task: Task): boolean => task.status === 'open' && task.claimedBy === null && blockersDone(board, task)

/** `open` ⇄ `blocked` follow the blockers; claimed, done and cancelled tasks keep their status. */
export function withBlockedStatus(board: TaskBoard): TaskBoard {
  const tasks = board.tasks.map((task) => {
    if (task.status !== 'open' && task.status !== 'blocked') return task
    const status: TaskStatus = blockersDone(board, task) ? 'open' : 'blocked'
    return status === task.status ? task : {...task, status}
  })
  return {...board, tasks}
}

export function findTask(board: TaskBoard, session: string, id: string): Task {
  const task = board.tasks.find((candidate) => candidate.id === id)
  if (task) return task
  const known = board.tasks.map((candidate) => candidate.id)
  throw new CcmcpError('NOT_FOUND', `Session "${session}" has no task ${id}.`, {
    hint: known.length > 0 ? `Its tasks: ${summarizeIds(known)}.` : {cli: `Create one with \`ccmcp task create ${session} "<title>"\`.`, mcp: `Create one with create_task (session "${session}").`},
    details: {session, task: id},
  })
}

function summarizeIds(ids: string[]): string {
  return ids.length <= 12 ? ids.join(', ') : `${ids.slice(0, 12).join(', ')} … (${ids.length} in all)`
}

/** The board with one task replaced (by id). */
export const replaceTask = (board: TaskBoard, task: Task): TaskBoard => ({...board, tasks: board.tasks.map((candidate) => (candidate.id === task.id ? task : candidate))})

/** The task after an event: appended to its history, updatedAt moved. */
export function withEvent(task: Task, event: Omit<TaskEvent, 'agent' | 'reason'> & Partial<Pick<TaskEvent, 'agent' | 'reason'>>, patch: Partial<Task> = {}): Task {
  return {...task, ...patch, updatedAt: event.at, events: [...task.events, {agent: null, reason: null, ...event}]}
}

/** Unknown ids and cycles in `blockedBy` for a new task (or one whose blockers change). */
export function assertBlockers(board: TaskBoard, session: string, id: string, blockedBy: readonly string[]): void {
  const unknown = blockedBy.filter((blocker) => blocker === id ? false : !board.tasks.some((task) => task.id === blocker))
  if (unknown.length > 0) {
    throw new CcmcpError('INVALID_INPUT', `blockedBy names ${unknown.join(', ')}, which session "${session}" does not have; nothing was changed.`, {
      hint: 'Name existing tasks only (list them with `ccmcp task list` / list_tasks); create the blocker first.',
      details: {unknown},
    })
  }
  const waitsFor = new Map(board.tasks.map((task) => [task.id, task.blockedBy]))
  waitsFor.set(id, [...blockedBy])
  const path = cycleFrom(id, waitsFor)
  if (path) {
    throw new CcmcpError('INVALID_INPUT', `blockedBy would make a cycle: ${path.join(' → ')}; nothing was changed.`, {
      hint: 'A task cannot wait for itself, directly or through others; drop one of those dependencies.',
      details: {cycle: path},
    })
  }
}

/** A path start → … → start through `waitsFor`, or null. Each task is explored once (boards can be wide). */
function cycleFrom(start: string, waitsFor: ReadonlyMap<string, readonly string[]>): string[] | null {
  const explored = new Set<string>()
  const visit = (id: string, trail: string[]): string[] | null => {
    for (const next of waitsFor.get(id) ?? []) {
      if (next === start) return [...trail, next]
      if (explored.has(next)) continue
      explored.add(next)
      const found = visit(next, [...trail, next])
      if (found) return found
    }
    return null
  }
  return visit(start, [start])
}
