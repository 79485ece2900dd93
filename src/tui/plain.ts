/**
 * `ccmcp watch` without a terminal on stdout: one plain table of every agent, the counts, then
 * each session's task board that has tasks, in the order and with the times the live view shows.
 */
import {statusLabel, table} from '../present/status.js'
import {agentDetail, formatAge, oneLine, statusCounts} from './display.js'
import {type SessionBoard, boardCounts, paneOrder, taskTime} from './task-model.js'
import type {Overview} from './types.js'

const DETAIL_WIDTH = 80

export function plainOverview(overview: Overview, now: Date, color: boolean): string {
  if (overview.sessions.length === 0) return 'No sessions. Create one with: ccmcp session create <name> --root <dir>'
  const rows: string[][] = []
  for (const session of overview.sessions) {
    const agents = overview.agents.filter((agent) => agent.session === session.name)
    if (agents.length === 0) rows.push([session.name, '-', '', '', '(no agents)'])
    for (const agent of agents) {
      const lastEvent = Date.parse(agent.lastEventAt ?? agent.createdAt)
      const detail = agentDetail(agent).text
      rows.push([
        session.name,
        agent.name,
        statusLabel(agent.status, color),
        Number.isNaN(lastEvent) ? '' : `${formatAge(now.getTime() - lastEvent)} ago`,
        detail.length > DETAIL_WIDTH ? `${detail.slice(0, DETAIL_WIDTH - 1)}…` : detail,
      ])
    }
  }
  const counts = statusCounts(overview.agents).map(({status, count}) => `${count} ${status}`)
  const agents = `${table(['SESSION', 'AGENT', 'STATUS', 'LAST EVENT', 'DETAIL'], rows)}\n\n${counts.length > 0 ? counts.join(' · ') : 'no agents'}`
  const boards = (overview.boards ?? []).filter((board) => board.tasks.length > 0 || board.error !== null)
  return [agents, ...boards.map((board) => plainBoard(board, now.getTime()))].join('\n\n')
}

function plainBoard(board: SessionBoard, readAt: number): string {
  if (board.error !== null) return `TASKS ${board.session}: could not be read: ${board.error}`
  const rows = paneOrder(board.tasks).map((task) => [task.id, task.status, task.claimedBy ?? '', taskTime(task, readAt), oneLine(task.title, DETAIL_WIDTH)])
  return `TASKS ${board.session}: ${boardCounts(board)}\n${table(['ID', 'STATUS', 'HOLDER', 'TIME', 'TITLE'], rows)}`
}
