/** `ccmcp watch` without a terminal on stdout: one plain table of every agent, then the counts. */
import {statusLabel, table} from '../present/status.js'
import {agentDetail, formatAge, statusCounts} from './display.js'
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
  return `${table(['SESSION', 'AGENT', 'STATUS', 'LAST EVENT', 'DETAIL'], rows)}\n\n${counts.length > 0 ? counts.join(' · ') : 'no agents'}`
}
