/**
 * The argv that attaches a terminal to an agent's tab (`agent focus --attach`, or the line it
 * prints): tmux's own attach, or through `ssh -t` for an agent on another host. With control mode
 * (`tmux -CC`), iTerm2 on macOS shows the tmux windows as its own native tabs.
 */
import path from 'node:path'

/** `tmux … attach …` as `tmux -CC … attach …`; any other argv is returned as it is. */
export function withControlMode(argv: readonly string[]): string[] {
  const [program, ...rest] = argv
  if (program === undefined || path.basename(program) !== 'tmux' || rest.includes('-CC')) return [...argv]
  return [program, '-CC', ...rest]
}

/** The terminal a command runs in is iTerm2 (its own variables; LC_TERMINAL also crosses ssh). */
export function inITerm2(env: Record<string, string | undefined>): boolean {
  return env.LC_TERMINAL === 'iTerm2' || env.TERM_PROGRAM === 'iTerm.app'
}
