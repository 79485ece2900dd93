/**
 * Turning agent data into text that is safe to draw: one line, no control characters (a stray
 * escape or newline from an agent's reply or screen would break the layout), ages, details.
 */
import type {Agent, AgentStatus} from '../core/domain.js'

// eslint-disable-next-line no-control-regex -- terminal escape sequences are exactly what is removed
const ANSI_SEQUENCE = /\u001B(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001B]*(?:\u0007|\u001B\\)|[@-Z\\-_])/g
// eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g

/** Any text as one line: escape sequences dropped, runs of whitespace (newlines too) made one space. */
export function oneLine(text: string): string {
  return text.replaceAll(ANSI_SEQUENCE, '').replaceAll(CONTROL, ' ').replaceAll(/\s+/g, ' ').trim()
}

/** A terminal screen as drawable lines: escapes dropped, tabs expanded, trailing blank lines removed. */
export function screenLines(text: string): string[] {
  const lines = text
    .replaceAll(ANSI_SEQUENCE, '')
    .replaceAll('\r\n', '\n')
    .split('\n')
    .map((line) => expandTabs(line.replaceAll('\r', '')).replaceAll(CONTROL, ' ').trimEnd())
  while (lines.length > 0 && lines.at(-1) === '') lines.pop()
  return lines
}

function expandTabs(line: string): string {
  if (!line.includes('\t')) return line
  let out = ''
  for (const char of line) out += char === '\t' ? ' '.repeat(8 - (out.length % 8)) : char
  return out
}

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

export type DetailTone = 'waiting' | 'error' | 'reply' | 'plain'

/** The one line that says most about an agent now: what it waits for, what went wrong, or what it said. */
export function agentDetail(agent: Agent): {text: string; tone: DetailTone} {
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
    default:
      if (agent.lastReply) return {text: `↳ ${oneLine(agent.lastReply)}`, tone: 'reply'}
      return {text: oneLine(agent.command.join(' ')), tone: 'plain'}
  }
}

/** Footer order: what needs attention first. */
const COUNT_ORDER: readonly AgentStatus[] = ['busy', 'waiting', 'error', 'lost', 'starting', 'idle', 'exited', 'closed', 'unknown']

export function statusCounts(agents: readonly Agent[]): Array<{status: AgentStatus; count: number}> {
  const counts = new Map<AgentStatus, number>()
  for (const agent of agents) counts.set(agent.status, (counts.get(agent.status) ?? 0) + 1)
  return COUNT_ORDER.filter((status) => counts.has(status)).map((status) => ({status, count: counts.get(status) ?? 0}))
}
