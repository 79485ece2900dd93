/** How statuses look on every surface: one symbol and colour each, and plain-text tables. */
import type {AgentStatus} from '../core/domain/state.js'

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

export function colorEnabled(stream: {isTTY?: boolean} = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR) return false
  if (env.FORCE_COLOR && env.FORCE_COLOR !== '0') return true
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
