/**
 * Human renderings of core results for the CLI (the --json output is the result itself).
 * Everything an agent or a user typed passes through present/text before it is printed.
 */
import type {Agent, Session} from '../core/domain/state.js'
import {statusLabel, table} from '../present/status.js'
import {oneLine, terminalSafe} from '../present/text.js'

export function sessionsTable(sessions: Array<Session & {agents: number; hostError?: string | null}>): string {
  if (sessions.length === 0) return 'No sessions. Create one with: ccmcp session create <name> --root <dir>'
  const rows = table(
    ['SESSION', 'AGENTS', 'BACKEND', 'HOST', 'ROOT'],
    sessions.map((session) => [oneLine(session.name), session.hostError ? '?' : String(session.agents), session.backend, oneLine(session.host ?? 'local'), oneLine(session.root)]),
  )
  const problems = sessions.filter((session) => session.hostError).map((session) => `${oneLine(session.name)}: ${oneLine(session.hostError ?? '')}`)
  return problems.length > 0 ? `${rows}\n\n${problems.join('\n')}` : rows
}

export function agentsTable(agents: Agent[], options: {showSession: boolean; color: boolean}): string {
  if (agents.length === 0) return 'No agents.'
  const headers = [...(options.showSession ? ['SESSION'] : []), 'AGENT', 'STATUS', 'KIND', 'DETAIL']
  return table(
    headers,
    agents.map((agent) => [
      ...(options.showSession ? [oneLine(agent.session)] : []),
      oneLine(agent.name),
      statusLabel(agent.status, options.color),
      agent.kind,
      oneLine(agent.waitingFor ?? agent.lastError ?? agent.lastReply ?? agent.command.join(' '), 60),
    ]),
  )
}

export function agentSummary(agent: Agent, color: boolean): string {
  return `${oneLine(agent.session)}/${oneLine(agent.name)}  ${statusLabel(agent.status, color)}  ${agent.kind}: ${oneLine(agent.command.join(' '))}`
}

/** Multi-line text from an agent (a reply, a screen), its lines kept and its escapes removed. */
export const agentText = terminalSafe
