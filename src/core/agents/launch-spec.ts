/**
 * What runs in an agent's tab: argv and environment for a claude agent (identity prompt and
 * status hooks) or for any other program. Pure, so the flags are tested without a terminal.
 */
import type {Agent, Session} from '../domain/state.js'
import {PERMISSION_HOOK_TIMEOUT_SECONDS} from '../answer/permission-hook.js'

/** Hook events ccmcp installs; each calls back into ccmcp to record the agent's status. */
export const HOOK_EVENTS = [
  'SessionStart',
  'UserPromptSubmit',
  'PreToolUse',
  'PostToolUse',
  'Stop',
  'StopFailure',
  'Notification',
  'PermissionRequest',
  'SessionEnd',
] as const

export function identityPrompt(session: Pick<Session, 'name' | 'root'>, agentName: string): string {
  return [
    `You are ${agentName}, one of several agents in session "${session.name}" working on the codebase at ${session.root}.`,
    `Other agents may be working in the same codebase at the same time; messages from them or from the operator arrive as prompts.`,
    `When you refer to yourself in files or messages, use the name ${agentName}.`,
  ].join(' ')
}

/**
 * Events Claude Code waits for: SessionStart (the first prompt waits for it anyway, and it carries
 * the conversation id that must be stored before any turn) and SessionEnd (the process is leaving;
 * an async hook might never run). Neither is on a turn's path. Every other event only records, so
 * it runs async (claude-code-2.md §2: adds nothing to the turn); the recorder orders events by the
 * time each hook process started (hooks.ts), since async hooks may finish out of order.
 */
const BLOCKING_EVENTS: ReadonlySet<string> = new Set(['SessionStart', 'SessionEnd'])

/** Claude Code settings (passed with --settings) whose hooks report every status change. */
export function hookSettings(hookCommand: string): Record<string, unknown> {
  const entryFor = (event: string) => {
    // PermissionRequest blocks: it waits for an answer from ccmcp (agent answer) and prints it.
    if (event === 'PermissionRequest') return [{matcher: '*', hooks: [{type: 'command', command: hookCommand, timeout: PERMISSION_HOOK_TIMEOUT_SECONDS}]}]
    const hook = BLOCKING_EVENTS.has(event) ? {type: 'command', command: hookCommand, timeout: 10} : {type: 'command', command: hookCommand, timeout: 10, async: true}
    return [{matcher: '*', hooks: [hook]}]
  }
  return {hooks: Object.fromEntries(HOOK_EVENTS.map((event) => [event, entryFor(event)]))}
}

/**
 * ccmcp's own secrets (the HTTP bearer token, the state key): whatever the creating process
 * holds, they never reach an agent, the tmux server or any program ccmcp starts for an agent.
 */
export const CCMCP_PRIVATE_ENV: ReadonlySet<string> = new Set(['CCMCP_TOKEN', 'CCMCP_KEY'])

export function withoutPrivateEnv(env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter(([key]) => !CCMCP_PRIVATE_ENV.has(key)))
}

export interface LaunchSpec {
  argv: string[]
  env: Record<string, string>
}

export interface LaunchInput {
  agent: Pick<Agent, 'name' | 'kind' | 'command' | 'conversationId' | 'launchId'>
  session: Pick<Session, 'name' | 'root'>
  /** The environment of the ccmcp process that creates the agent. */
  baseEnv: Record<string, string>
  home: string
  /** File holding hookSettings(); written by the caller. */
  settingsFile: string
  /** Continue the agent's conversation instead of starting it. */
  resume?: boolean
}

export function launchSpec(input: LaunchInput): LaunchSpec {
  const {agent, session} = input
  const env = {
    ...withoutPrivateEnv(input.baseEnv),
    CCMCP_HOME: input.home,
    CCMCP_SESSION: session.name,
    CCMCP_AGENT: agent.name,
    CCMCP_LAUNCH_ID: agent.launchId ?? '',
  }
  if (agent.kind === 'command') return {argv: [...agent.command], env}
  const conversation = input.resume ? ['--resume', agent.conversationId ?? ''] : ['--session-id', agent.conversationId ?? '']
  return {
    argv: [
      ...agent.command,
      ...conversation,
      '--append-system-prompt', identityPrompt(session, agent.name),
      '--settings', input.settingsFile,
    ],
    env,
  }
}

/** A POSIX-shell command line for a hook: Claude Code runs hook commands through sh. Paths only, no user data. */
export function hookCommandLine(nodePath: string, scriptPath: string): string {
  const quote = (value: string) => `'${value.replaceAll("'", `'\\''`)}'`
  return `${quote(nodePath)} ${quote(scriptPath)}`
}
