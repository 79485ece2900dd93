/** Human renderings of core results (the --json output is the result itself). */
import type {Agent, AgentStatus, Session} from '../core/domain.js'

export type StatusColor = 'cyan' | 'green' | 'yellow' | 'magenta' | 'red' | 'gray' | 'white'

/** Symbol and colour of each status, shared by the tables and the TUI. */
export const STATUS_STYLE: Record<AgentStatus, {symbol: string; color: StatusColor}> = {
  starting: {symbol: '…', color: 'cyan'},
  idle: {symbol: '○', color: 'green'},
  busy: {symbol: '●', color: 'yellow'},
  waiting: {symbol: '?', color: 'magenta'},
  error: {symbol: '✗', color: 'red'},
  exited: {symbol: '■', color: 'gray'},
  closed: {symbol: '·', color: 'gray'},
  lost: {symbol: '!', color: 'red'},
  unknown: {symbol: '~', color: 'white'},
}

const ANSI_COLOR: Record<StatusColor, number> = {cyan: 36, green: 32, yellow: 33, magenta: 35, red: 31, gray: 90, white: 37}

export function colorEnabled(stream: NodeJS.WriteStream = process.stdout): boolean {
  if (process.env.NO_COLOR) return false
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== '0') return true
  return Boolean(stream.isTTY)
}

export function statusLabel(status: AgentStatus, color = colorEnabled()): string {
  const style = STATUS_STYLE[status]
  const text = `${style.symbol} ${status}`
  return color ? `\u001B[${ANSI_COLOR[style.color]}m${text}\u001B[39m` : text
}

/** Columns padded to the widest cell; ANSI colour codes do not count toward width. */
export function table(headers: string[], rows: string[][]): string {
  // eslint-disable-next-line no-control-regex -- ANSI colour codes are exactly what is stripped
  const visible = (cell: string) => cell.replaceAll(/\u001B\[[0-9;]*m/g, '').length
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => visible(row[column] ?? ''))))
  const line = (cells: string[]) =>
    cells.map((cell, column) => (column === cells.length - 1 ? cell : cell + ' '.repeat((widths[column] ?? 0) - visible(cell)))).join('  ').trimEnd()
  return [line(headers), ...rows.map(line)].join('\n')
}

export function oneLine(text: string | null, max = 60): string {
  if (!text) return ''
  const flat = text.replaceAll(/\s+/g, ' ').trim()
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat
}

export function sessionsTable(sessions: Array<Session & {agents: number}>): string {
  if (sessions.length === 0) return 'No sessions. Create one with: ccmcp session create <name> --root <dir>'
  return table(
    ['SESSION', 'AGENTS', 'BACKEND', 'ROOT'],
    sessions.map((session) => [session.name, String(session.agents), session.backend, session.root]),
  )
}

export function agentsTable(agents: Agent[], options: {showSession: boolean}): string {
  if (agents.length === 0) return 'No agents.'
  const headers = [...(options.showSession ? ['SESSION'] : []), 'AGENT', 'STATUS', 'KIND', 'DETAIL']
  return table(
    headers,
    agents.map((agent) => [
      ...(options.showSession ? [agent.session] : []),
      agent.name,
      statusLabel(agent.status),
      agent.kind,
      oneLine(agent.waitingFor ?? agent.lastError ?? agent.lastReply ?? agent.command.join(' ')),
    ]),
  )
}

export function agentSummary(agent: Agent): string {
  return `${agent.session}/${agent.name}  ${statusLabel(agent.status)}  ${agent.kind}: ${agent.command.join(' ')}`
}
