/**
 * Human renderings of core results for the CLI (the --json output is the result itself).
 * Everything an agent or a user typed passes through present/text before it is printed.
 */
import type {PublicAgent, Session} from '../core/domain/state.js'
import {statusLabel, table} from '../present/status.js'
import {oneLine, terminalSafe} from '../present/text.js'
import type {AgentView} from '../core/agents/agent-view.js'
import {gitLabel, usageLabel} from '../present/usage.js'

export function sessionsTable(sessions: Array<Session & {agents: number; hostError?: string | null}>): string {
  if (sessions.length === 0) return 'No sessions. Create one with: ccmcp session create <name> --root <dir>'
  const rows = table(
    ['SESSION', 'AGENTS', 'BACKEND', 'HOST', 'ROOT'],
    sessions.map((session) => [oneLine(session.name), session.hostError ? '?' : String(session.agents), session.backend, oneLine(session.host ?? 'local'), oneLine(session.root)]),
  )
  const problems = sessions.filter((session) => session.hostError).map((session) => `${oneLine(session.name)}: ${oneLine(session.hostError ?? '')}`)
  return problems.length > 0 ? `${rows}\n\n${problems.join('\n')}` : rows
}

export function agentsTable(agents: Array<PublicAgent & Partial<Pick<AgentView, 'usage' | 'git'>>>, options: {showSession: boolean; color: boolean}): string {
  if (agents.length === 0) return 'No agents.'
  // Columns only when some agent has something to show in them.
  const showBranch = agents.some((agent) => agent.git)
  const showUsage = agents.some((agent) => agent.usage)
  const headers = [...(options.showSession ? ['SESSION'] : []), 'AGENT', 'STATUS', 'KIND', ...(showBranch ? ['BRANCH'] : []), ...(showUsage ? ['USAGE'] : []), 'DETAIL']
  return table(
    headers,
    agents.map((agent) => [
      ...(options.showSession ? [oneLine(agent.session)] : []),
      oneLine(agent.name),
      statusLabel(agent.status, options.color),
      agent.kind,
      ...(showBranch ? [oneLine(gitLabel(agent.git), 60)] : []),
      ...(showUsage ? [usageLabel(agent.usage)] : []),
      oneLine(agent.waitingFor ?? agent.lastError ?? agent.lastReply ?? agent.command.join(' '), 60),
    ]),
  )
}

export function agentSummary(agent: PublicAgent, color: boolean): string {
  return `${oneLine(agent.session)}/${oneLine(agent.name)}  ${statusLabel(agent.status, color)}  ${agent.kind}: ${oneLine(agent.command.join(' '))}`
}

/** Multi-line text from an agent (a reply, a screen), its lines kept and its escapes removed. */
export const agentText = terminalSafe
