/**
 * The task board as the TUI shows it: which session's board, its tasks in the order that matters
 * (claimed work first, settled last), each one's lease or age, and each agent's current task.
 * Pure; the board itself and every rule about it come from core (get_overview with tasks).
 */
import {type SessionBoard, type TaskLine, tasksHeldBy} from '../core/tasks/board-view.js'
import {ageSince, oneLine, timeLeft} from './display.js'
import type {Layout} from './layout.js'
import type {Overview} from './types.js'

export type {SessionBoard, TaskLine}

/** The session's board, or undefined when the view was not given boards (or not that one). */
export const boardOf = (overview: Overview | null, session: string | undefined): SessionBoard | undefined =>
  session === undefined ? undefined : overview?.boards?.find((board) => board.session === session)

const PANE_ORDER: readonly TaskLine['status'][] = ['claimed', 'open', 'blocked', 'done', 'cancelled']
const idNumber = (task: TaskLine): number => Number(task.id.slice(2))

export function paneOrder(tasks: readonly TaskLine[]): TaskLine[] {
  return [...tasks].sort((a, b) => PANE_ORDER.indexOf(a.status) - PANE_ORDER.indexOf(b.status) || idNumber(a) - idNumber(b))
}

/** A claim's time left ("4m left"; "lapsing" once past, until ccmcp frees it), else how long the task has been as it is ("12m ago"). */
export function taskTime(task: TaskLine, readAt: number): string {
  if (task.status === 'claimed' && task.claimUntil) {
    const left = timeLeft(Date.parse(task.claimUntil), readAt)
    return left === null ? 'lapsing' : `${left} left`
  }
  return `${ageSince(Date.parse(task.updatedAt), readAt)} ago`
}

/** What `A` offers to assign: the first task a claim --next would take (open means every blocker is done). */
export const readyTaskId = (board: SessionBoard | undefined): string | undefined => board?.tasks.find((task) => task.status === 'open' && task.claimedBy === null)?.id

/** The agent's current task, for its line in the agent list: "T-3 Write the parser", "+1" when it holds more. */
export function currentTaskLabel(board: SessionBoard | undefined, agent: string, maxTitle = 28): string | null {
  const [first, ...more] = tasksHeldBy(board, agent)
  if (!first) return null
  const title = oneLine(first.title)
  const shown = title.length > maxTitle ? `${title.slice(0, maxTitle - 1)}…` : title
  return `${first.id} ${shown}${more.length > 0 ? ` +${more.length}` : ''}`
}

/** Counts by status for the pane's title, in pane order. */
export function boardCounts(board: SessionBoard): string {
  return PANE_ORDER.map((status) => [status, board.tasks.filter((task) => task.status === status).length] as const)
    .filter(([, count]) => count > 0)
    .map(([status, count]) => `${count} ${status}`)
    .join(' · ')
}

const MAX_PANE = 9
const MIN_LIST = 4
const MIN_PREVIEW = 4

/** Rows the pane wants (title + tasks, or title + a note), at most MAX_PANE; 0 without a board. */
export function wantedPaneRows(board: SessionBoard | undefined): number {
  if (!board) return 0
  return Math.min(MAX_PANE, 1 + Math.max(1, board.tasks.length))
}

/** Takes the pane's rows from the list down to a few rows, then from the preview (gone when it would be tiny). */
export function withTasksPane(layout: Layout, wanted: number): {layout: Layout; tasks: number} {
  const rows = layout.list + layout.preview
  const tasks = wanted > 0 ? Math.min(wanted, Math.max(0, rows - MIN_LIST)) : 0
  if (tasks < 2) return {layout, tasks: 0}
  const rest = rows - tasks
  let preview = Math.min(layout.preview, rest - MIN_LIST)
  if (preview < MIN_PREVIEW) preview = 0
  return {layout: {...layout, list: rest - preview, preview}, tasks}
}

/** The task part of what shows on screen (times as displayed), for the view's redraw check. */
export function boardsSignature(overview: Overview | null, readAt: number): unknown {
  return overview?.boards?.map((board) => [board, board.tasks.map((task) => taskTime(task, readAt))])
}

/** "3", "t-3" and "T-3" all mean T-3; anything else goes to core as typed (which says what a task id looks like). */
export function taskIdOf(text: string): string {
  const typed = text.trim()
  if (/^\d+$/.test(typed)) return `T-${typed}`
  return /^t-\d+$/.test(typed) ? typed.toUpperCase() : typed
}
