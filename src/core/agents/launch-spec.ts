/**
 * What runs in an agent's tab: argv and environment for a claude agent (identity prompt and
 * status hooks) or for any other program. Pure, so the flags are tested without a terminal.
 */
import type {Agent, Session} from '../domain/state.js'
import {mergeSettings} from './sandbox-settings.js'
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

export function identityPrompt(session: Pick<Session, 'name' | 'root'>, agentName: string, worktree?: {path: string; branch: string} | null): string {
  return [
    `You are ${agentName}, one of several agents in session "${session.name}" working on the codebase at ${session.root}.`,
    ...(worktree ? [`You work in your own git worktree of it, ${worktree.path}, on branch ${worktree.branch}: commit your work there; the operator merges the branch.`] : []),
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

/**
 * Claude Code cancels a hook at its timeout and the event is lost (claude-code-2.md §2). A lost
 * Stop leaves the agent `busy` for good, with every message queued behind it, so the recording
 * hooks, which are off the turn's path, get minutes: on a loaded machine a hook waiting for the
 * state lock took more than the 10 s they once had. The blocking ones get 30 s.
 */
export const RECORDING_HOOK_TIMEOUT_SECONDS = 300
export const BLOCKING_HOOK_TIMEOUT_SECONDS = 30

/** Claude Code settings (passed with --settings) whose hooks report every status change. */
export function hookSettings(hookCommand: string, events: readonly string[] = HOOK_EVENTS): Record<string, unknown> {
  const entryFor = (event: string) => {
    // PermissionRequest blocks: it waits for an answer from ccmcp (agent answer) and prints it.
    if (event === 'PermissionRequest') return [{matcher: '*', hooks: [{type: 'command', command: hookCommand, timeout: PERMISSION_HOOK_TIMEOUT_SECONDS}]}]
    const hook = BLOCKING_EVENTS.has(event)
      ? {type: 'command', command: hookCommand, timeout: BLOCKING_HOOK_TIMEOUT_SECONDS}
      : {type: 'command', command: hookCommand, timeout: RECORDING_HOOK_TIMEOUT_SECONDS, async: true}
    return [{matcher: '*', hooks: [hook]}]
  }
  return {hooks: Object.fromEntries(events.map((event) => [event, entryFor(event)]))}
}

/** How long Claude Code waits for an agent's MCP servers to start (MCP_TIMEOUT), unless the user set it. */
export const MCP_START_TIMEOUT_MS = 90_000

/** The MCP server name of ccmcp inside an agent: its tools are mcp__ccmcp__<tool>. */
export const AGENT_MCP_SERVER = 'ccmcp'

/**
 * A claude agent's whole --settings JSON: the status hooks, ccmcp's tools allowed without a
 * permission prompt, Claude Code's own cross-session messages refused (claude-code-2.md §5: agents
 * talk through ccmcp, which keeps them inside their session and records every message), merged with
 * its confinement (confinement.ts). A confined agent keeps its PermissionRequest hook: Claude Code
 * 2.1.330 asks the hook before it applies denyInsteadOfPrompting (measured: no dialog is drawn,
 * it waits for the hook), so the hook denies what is outside the root at once and lets
 * `agent answer` decide the rest; should the hook give no answer, the call is refused, never shown.
 */
export function agentSettings(hookCommand: string, confinement: Record<string, unknown>): Record<string, unknown> {
  const tools = {permissions: {allow: [`mcp__${AGENT_MCP_SERVER}`]}, crossSessionInbound: 'refuse'}
  return mergeSettings(hookSettings(hookCommand), tools, confinement)
}

/**
 * The --mcp-config for a claude agent: `ccmcp serve --agent` acting as that agent. Claude Code
 * passes its environment to the server too; the ccmcp variables are repeated here (the file is
 * 0600) so the identity never depends on that.
 */
export function agentMcpConfig(ccmcpCommand: readonly string[], agentEnv: Record<string, string>): Record<string, unknown> {
  const [command = 'ccmcp', ...args] = ccmcpCommand
  // The agent's own secret goes along (the file is 0600, in ccmcp's home, out of the sandbox's reach); ccmcp's never.
  const env = Object.fromEntries(Object.entries(agentEnv).filter(([key]) => key.startsWith('CCMCP_') && (key === 'CCMCP_AGENT_SECRET' || !CCMCP_PRIVATE_ENV.has(key))))
  return {mcpServers: {[AGENT_MCP_SERVER]: {type: 'stdio', command, args: [...args, 'serve', '--agent', '--security-level', 'MEDIUM'], env}}}
}

/**
 * ccmcp's own secrets (the HTTP bearer token, the state key): whatever the creating process
 * holds, they never reach an agent, the tmux server or any program ccmcp starts for an agent.
 */
export const CCMCP_PRIVATE_ENV: ReadonlySet<string> = new Set(['CCMCP_TOKEN', 'CCMCP_KEY', 'CCMCP_AGENT_SECRET'])

export function withoutPrivateEnv(env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter(([key]) => !CCMCP_PRIVATE_ENV.has(key)))
}

export interface LaunchSpec {
  argv: string[]
  env: Record<string, string>
}

export interface LaunchInput {
  agent: Pick<Agent, 'name' | 'kind' | 'command' | 'conversationId' | 'launchId'> & Partial<Pick<Agent, 'worktree'>>
  session: Pick<Session, 'name' | 'root'>
  /** The environment of the ccmcp process that creates the agent. */
  baseEnv: Record<string, string>
  home: string
  /** File holding hookSettings(); written by the caller. */
  settingsFile: string
  /** Continue the agent's conversation instead of starting it. */
  resume?: boolean
  /** Where the agent runs (its tab's cwd): its own worktree when it has one, else session.root. */
  workingDir?: string
  /** This launch's secret (CCMCP_AGENT_SECRET): proves the agent's hooks and calls; state keeps only its digest. */
  secret: string
  /** File holding agentMcpConfig(): ccmcp's MCP server as this agent (claude agents). */
  mcpConfigFile?: string
  /** The session's protocol for this agent (protocol.ts), appended after its identity; "" for none. */
  protocol?: string
}

export function launchSpec(input: LaunchInput): LaunchSpec {
  const {agent, session} = input
  const env: Record<string, string> = {
    ...withoutPrivateEnv(input.baseEnv),
    CCMCP_HOME: input.home,
    CCMCP_SESSION: session.name,
    CCMCP_AGENT: agent.name,
    CCMCP_LAUNCH_ID: agent.launchId ?? '',
    CCMCP_AGENT_SECRET: input.secret,
  }
  if (agent.kind === 'command') return {argv: [...agent.command], env}
  // ccmcp's own MCP server (Node) may need longer than Claude Code's 30 s default to start on a
  // loaded machine; the user's own setting wins.
  if (input.mcpConfigFile && env.MCP_TIMEOUT === undefined) env.MCP_TIMEOUT = String(MCP_START_TIMEOUT_MS)
  const conversation = input.resume ? ['--resume', agent.conversationId ?? ''] : ['--session-id', agent.conversationId ?? '']
  return {
    argv: [
      ...agent.command,
      ...conversation,
      '--append-system-prompt', [identityPrompt(session, agent.name, agent.worktree), input.protocol].filter(Boolean).join('\n\n'),
      '--settings', input.settingsFile,
      // Adds ccmcp's server to the user's own MCP servers (no --strict-mcp-config: those still load).
      ...(input.mcpConfigFile ? ['--mcp-config', input.mcpConfigFile] : []),
    ],
    env,
  }
}

/** A POSIX-shell command line for a hook: Claude Code runs hook commands through sh. Paths only, no user data. */
export function hookCommandLine(nodePath: string, scriptPath: string): string {
  const quote = (value: string) => `'${value.replaceAll("'", `'\\''`)}'`
  return `${quote(nodePath)} ${quote(scriptPath)}`
}
