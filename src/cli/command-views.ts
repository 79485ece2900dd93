/**
 * What the hot read-only commands print for a human, shared by their oclif commands and the fast
 * path (src/cli/fast) so both print the same. Each entry is one `log` line (a newline follows it).
 */
import type {OutputOf} from '../core/pipeline/core.js'
import {usageLine} from '../present/usage.js'
import {agentsTable, sessionsTable} from './format.js'
import {sandboxLine} from './sandbox-line.js'

export function sessionStatusLines(result: OutputOf<'get_session_status'>, color: boolean): string[] {
  const lines = [`${result.session.name}  ${result.session.backend}  ${result.session.root}\n${sandboxLine(result.session)}\n`, agentsTable(result.agents, {showSession: false, color})]
  if (result.agents.some((agent) => agent.usage)) lines.push(`\nSession ${usageLine(result.usage)}`)
  if (result.agents.some((agent) => agent.git)) lines.push('BRANCH marks: ✎N uncommitted changes, ↑N commits not merged into the root\'s branch')
  return lines
}

export function agentListLines(result: OutputOf<'list_agents'>, session: string | undefined, color: boolean): string[] {
  return [agentsTable(result.agents, {showSession: session === undefined, color})]
}

export function sessionListLines(result: OutputOf<'list_sessions'>): string[] {
  return [sessionsTable(result.sessions)]
}
