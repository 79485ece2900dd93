/**
 * Turning agent data into text that is safe to draw: one line, no control characters (a stray
 * escape or newline from an agent's reply or screen would break the layout), ages, details.
 */
import type {PublicAgent, AgentStatus} from '../core/domain/state.js'
import {oneLine} from '../present/text.js'

export {oneLine, screenLines} from '../present/text.js'

/** 0s … 59s, 1m … 59m, 1h … 23h, 1d … */
export function formatAge(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000))
  if (seconds < 60) return `${seconds}s`
  const minutes = Math.floor(seconds / 60)
  if (minutes < 60) return `${minutes}m`
  const hours = Math.floor(minutes / 60)
  if (hours < 24) return `${hours}h`
  return `${Math.floor(hours / 24)}d`
}

/**
 * Ages of a minute or more move on a 10 s beat of the clock, not on every read: with many agents
 * each crosses its minutes at its own second, and every crossing redrew the whole frame (about
 * once a second with 100 agents, all day). Shown this way a minute age is late by under 10 s.
 */
export const MINUTE_AGE_BEAT_MS = 10_000

/** formatAge of the time from `from` to `readAt`; an age of a minute or more is taken at the last beat (never under a minute). */
export function ageSince(from: number, readAt: number): string {
  const exact = readAt - from
  if (exact < 60_000) return formatAge(exact)
  return formatAge(Math.max(60_000, Math.floor(readAt / MINUTE_AGE_BEAT_MS) * MINUTE_AGE_BEAT_MS - from))
}

/** formatAge of the time left until `until` (null once it has passed); a minute or more is taken at the next beat (never under a minute). */
export function timeLeft(until: number, readAt: number): string | null {
  const left = until - readAt
  if (left <= 0) return null
  if (left < 60_000) return formatAge(left)
  return formatAge(Math.max(60_000, until - Math.ceil(readAt / MINUTE_AGE_BEAT_MS) * MINUTE_AGE_BEAT_MS))
}

export type DetailTone = 'waiting' | 'error' | 'reply' | 'plain'

/** The one line that says most about an agent now: what it waits for, what went wrong, or what it said. */
export function agentDetail(agent: PublicAgent): {text: string; tone: DetailTone} {
  switch (agent.status) {
    case 'waiting':
      return {text: `waits for ${oneLine(agent.waitingFor ?? 'input')}`, tone: 'waiting'}
    case 'error':
      return {text: oneLine(agent.lastError ?? 'the last turn failed'), tone: 'error'}
    case 'lost':
      return {text: `its tab is gone${agent.lastError ? ` (${oneLine(agent.lastError)})` : ''} · r restarts it`, tone: 'error'}
    case 'exited':
      return {text: `${agent.lastError ? oneLine(agent.lastError) : 'its program ended'} · r restarts it`, tone: 'error'}
    case 'closed':
      return {text: 'conversation cleared · n starts a new one', tone: 'plain'}
    case 'unknown':
      // A remote host that does not answer: the agent is as last seen there, nothing is restarted.
      if (agent.lastError) return {text: `? ${oneLine(agent.lastError)}`, tone: 'error'}
    // falls through
    default:
      if (agent.lastReply) return {text: `↳ ${oneLine(agent.lastReply)}`, tone: 'reply'}
      return {text: oneLine(agent.command.join(' ')), tone: 'plain'}
  }
}

/** Footer order: what needs attention first. */
const COUNT_ORDER: readonly AgentStatus[] = ['busy', 'waiting', 'error', 'lost', 'starting', 'idle', 'exited', 'closed', 'unknown']

export function statusCounts(agents: readonly PublicAgent[]): Array<{status: AgentStatus; count: number}> {
  const counts = new Map<AgentStatus, number>()
  for (const agent of agents) counts.set(agent.status, (counts.get(agent.status) ?? 0) + 1)
  return COUNT_ORDER.filter((status) => counts.has(status)).map((status) => ({status, count: counts.get(status) ?? 0}))
}
