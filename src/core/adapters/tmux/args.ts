/**
 * Pure helpers for talking to tmux safely. tmux re-parses its own argv: an argument ending in
 * ";" is taken as a command separator (so "a;" would arrive as "a"), and start directories are
 * format-expanded ("#{...}"). These functions make every argument arrive as written.
 */
import type {TabInfo} from '../../ports.js'

/** Keeps a trailing ";" literal: tmux turns a final "\;" into ";" and strips nothing else. */
export function tmuxLiteral(arg: string): string {
  return arg.endsWith(';') ? `${arg.slice(0, -1)}\\;` : arg
}

/** For arguments tmux expands as formats (start directory): "#" must be doubled. */
export function tmuxFormatLiteral(arg: string): string {
  return arg.replaceAll('#', '##')
}

/** tmux session names may not contain "." or ":"; it would silently rewrite them. */
export function tmuxSessionName(group: string): string {
  return `ccmcp-${group.replaceAll(/[.:]/g, '_')}`
}

/** Variables tmux sets for each pane; the launcher keeps tmux's values, never the creator's. */
export const TERMINAL_OWNED_ENV = new Set(['TERM', 'TMUX', 'TMUX_PANE', 'COLUMNS', 'LINES', 'TERM_PROGRAM', 'TERM_PROGRAM_VERSION'])

// @ccmcp_agent goes last: it is the only field that is not a tmux id, number or uuid.
export const PANE_FORMAT = '#{session_id} #{window_id} #{pane_id} #{pane_dead} #{pane_dead_status} #{pane_dead_signal} #{@ccmcp_launch} #{@ccmcp_agent}'

export function parsePaneList(stdout: string): TabInfo[] {
  const tabs: TabInfo[] = []
  for (const line of stdout.split('\n')) {
    if (!line.trim()) continue
    const [sessionId, windowId, paneId, dead, deadStatus, deadSignal, launchId, ...agentKey] = line.split(' ')
    if (!sessionId || !windowId || !paneId) continue
    // A dead pane's exit status can come a moment after it is marked dead, and under load tmux
    // sometimes never records it for a program that ended within milliseconds of starting: the
    // pane is dead either way, its status is then unknown (null) until tmux has it.
    const ended = dead === '1'
    tabs.push({
      tab: {backend: 'tmux', sessionId, windowId, paneId},
      agentKey: agentKey.join(' ') || null,
      launchId: launchId || null,
      alive: !ended,
      exitStatus: !ended ? null : deadStatus ? Number(deadStatus) : deadSignal ? 128 + Number(deadSignal) : null,
    })
  }
  return tabs
}

/** Drops trailing blank lines (and trailing spaces on each line), keeps the last `lines` lines. */
export function lastLines(screen: string, lines: number): string {
  const all = screen.replaceAll(/[ \t]+$/gmu, '').replace(/\s+$/u, '').split('\n')
  return all.slice(Math.max(0, all.length - lines)).join('\n')
}

export function isMissingTargetError(stderr: string): boolean {
  return /can't find (pane|window|session)|no such (pane|window|session)/i.test(stderr)
}

export function isNoServerError(stderr: string): boolean {
  return /no server running|error connecting to|server exited unexpectedly/i.test(stderr)
}

/** tmux's own "Pane is dead (status 127, …)" line under an ended program: not the program's output. */
export function withoutDeadPaneNote(screen: string): string {
  return screen.replace(/\n?Pane is dead( \([^)\n]*\))?\s*$/u, '')
}

export function stripTerminal(env: Record<string, string>): Record<string, string> {
  const {TMUX: _tmux, TMUX_PANE: _pane, ...rest} = env
  return rest
}
