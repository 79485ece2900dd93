/**
 * Which agent launches run an arbitrary program, a HIGH-level action whatever the operation's own
 * level: a `command` (any program instead of Claude Code), or Claude Code with flags that run
 * programs or widen its permissions beyond what ccmcp set up. Checked by the pipeline's authorize
 * step from the validated input (Operation.raisedLevel), for every surface.
 */
import type {RaisedLevel} from '../pipeline/operation.js'

/** Permission modes that let Claude Code run every tool without asking. */
export const PROGRAM_RUNNING_PERMISSION_MODES: ReadonlySet<string> = new Set(['bypassPermissions'])

/**
 * Claude Code flags that run programs or widen permissions: skipping permission checks, other
 * settings or MCP servers (hooks and servers are programs), plugins (which bring both), more
 * directories than the root, tools allowed without asking.
 */
export const PROGRAM_RUNNING_CLAUDE_FLAGS: ReadonlySet<string> = new Set([
  '--dangerously-skip-permissions',
  '--allow-dangerously-skip-permissions',
  '--settings',
  '--mcp-config',
  '--plugin-dir',
  '--add-dir',
  '--allowedTools',
  '--allowed-tools',
  '--permission-prompt-tool',
])

/** The first program-running flag among claude arguments (`--flag` or `--flag=value`), if any. */
export function programRunningFlag(args: readonly string[]): string | undefined {
  for (const arg of args) {
    if (arg === '--permission-mode' || arg.startsWith('--permission-mode=')) {
      const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args[args.indexOf(arg) + 1]
      if (value !== undefined && PROGRAM_RUNNING_PERMISSION_MODES.has(value)) return `${arg.split('=')[0]} ${value}`
      continue
    }
    const flag = arg.split('=')[0] ?? arg
    if (PROGRAM_RUNNING_CLAUDE_FLAGS.has(flag)) return flag
  }
  return undefined
}

/** For create_agent-like input: HIGH when it runs a program of the caller's choosing. */
export function programRunning(input: {command?: string; permissionMode?: string; claudeArgs?: readonly string[]}): RaisedLevel | null {
  if (input.command !== undefined) return {level: 'HIGH', because: 'runs an arbitrary program (command)'}
  if (input.permissionMode !== undefined && PROGRAM_RUNNING_PERMISSION_MODES.has(input.permissionMode)) {
    return {level: 'HIGH', because: `runs Claude Code with --permission-mode ${input.permissionMode} (every tool, no prompt)`}
  }
  const flag = input.claudeArgs ? programRunningFlag(input.claudeArgs) : undefined
  if (flag) return {level: 'HIGH', because: `runs Claude Code with ${flag}, which runs programs or widens its permissions`}
  return null
}
