/**
 * The list the TUI shows, as data: sessions with their agents (filtered), the selectable items,
 * and how long each agent has been in its status. Pure; the components only draw it.
 */
import {type PublicAgent, type AgentStatus, agentKey} from '../core/domain/state.js'
import {ageSince} from './display.js'
import {boardsSignature} from './task-model.js'
import type {Overview, OverviewSession, ScreenRead} from './types.js'

/** What the cursor can rest on: an agent, or the placeholder of a session without agents (so `a` can reach it). */
export type Item = {kind: 'agent'; key: string; session: string; agent: PublicAgent} | {kind: 'empty'; key: string; session: string}

export type Line = {kind: 'session'; session: OverviewSession} | {kind: 'item'; item: Item; index: number}

export interface ListModel {
  items: Item[]
  lines: Line[]
  /** Every agent the view covers, before filtering (for the footer counts). */
  agents: PublicAgent[]
}

export const emptyItemKey = (session: string): string => `${session}/`

export function matchesFilter(agent: PublicAgent, filter: string): boolean {
  const query = filter.trim().toLowerCase()
  if (!query) return true
  return `${agentKey(agent)} ${agent.status} ${agent.kind}`.toLowerCase().includes(query)
}

export function buildList(overview: Overview | null, filter: string): ListModel {
  const items: Item[] = []
  const lines: Line[] = []
  if (!overview) return {items, lines, agents: []}
  const filtering = filter.trim() !== ''
  for (const session of overview.sessions) {
    const agents = overview.agents.filter((agent) => agent.session === session.name && matchesFilter(agent, filter))
    if (agents.length === 0 && filtering) continue
    lines.push({kind: 'session', session})
    const sessionItems: Item[] =
      agents.length > 0
        ? agents.map((agent) => ({kind: 'agent', key: agentKey(agent), session: session.name, agent}))
        : [{kind: 'empty', key: emptyItemKey(session.name), session: session.name}]
    for (const item of sessionItems) {
      lines.push({kind: 'item', item, index: items.length})
      items.push(item)
    }
  }
  return {items, lines, agents: overview.agents}
}

/** The selected item's index: by key while it exists, else the nearest position. */
export function resolveSelection(items: readonly Item[], selected: {key: string | null; index: number}): number {
  if (items.length === 0) return -1
  const byKey = selected.key === null ? -1 : items.findIndex((item) => item.key === selected.key)
  if (byKey >= 0) return byKey
  return Math.min(Math.max(selected.index, 0), items.length - 1)
}

export type SinceMap = ReadonlyMap<string, {status: AgentStatus; since: number}>

/**
 * When each agent entered its current status, as far as this view knows: from the moment it saw
 * a change, or (first sight) the agent's last event, which is when hooks last reported it.
 */
export function trackSince(previous: SinceMap, agents: readonly PublicAgent[], now: number): SinceMap {
  const next = new Map<string, {status: AgentStatus; since: number}>()
  for (const agent of agents) {
    const key = agentKey(agent)
    const known = previous.get(key)
    if (known && known.status === agent.status) next.set(key, known)
    else if (known) next.set(key, {status: agent.status, since: now})
    else {
      const reported = Date.parse(agent.lastEventAt ?? agent.createdAt)
      next.set(key, {status: agent.status, since: Number.isNaN(reported) ? now : Math.min(reported, now)})
    }
  }
  return next
}

/**
 * Everything of the data that shows on screen, ages as displayed. Equal signatures draw the same
 * frame, so a refresh that changes none of it need not render.
 */
export function viewSignature(data: {overview: Overview | null; screen: ScreenRead | null; error: {message: string} | null; readAt: number; since: SinceMap}): string {
  const {overview, readAt, since} = data
  const ages = overview?.agents.map((agent) => ageSince(since.get(agentKey(agent))?.since ?? readAt, readAt))
  return JSON.stringify([overview?.sessions, overview?.agents, ages, data.screen, data.error?.message ?? null, boardsSignature(overview, readAt)])
}
