/**
 * The domain: sessions, agents, statuses and the persisted state, as zod schemas so that the
 * store validates what it reads and the surfaces (CLI, MCP) share one description of each shape.
 */
import * as z from 'zod'

import {CcmcpError} from './errors.js'
import {AutoAnswer, PermissionRequest} from './permission.js'
import {Transition} from './transition.js'

export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/
export const NAME_RULE = '1–64 characters: letters, digits, ".", "_" or "-", starting with a letter or digit'

export const Name = z
  .string()
  .regex(NAME_PATTERN, {message: `must be ${NAME_RULE}`})

export const BACKENDS = ['tmux', 'iterm2'] as const
export const BackendName = z.enum(BACKENDS)
export type BackendName = z.infer<typeof BackendName>

export const AGENT_STATUSES = [
  'starting',
  'idle',
  'busy',
  'waiting',
  'error',
  'exited',
  'closed',
  'lost',
  'unknown',
] as const
export const AgentStatus = z.enum(AGENT_STATUSES)
export type AgentStatus = z.infer<typeof AgentStatus>

export const AgentKind = z.enum(['claude', 'command'])
export type AgentKind = z.infer<typeof AgentKind>

/**
 * A backend's handle on a tab: plain JSON so it can live in the store. `launchId` is the launch
 * the tab was opened for; backends act on the tab only while it still carries that launch id
 * (tmux ids restart with a new server and would otherwise name another agent's tab).
 */
const TabLaunch = z.string().optional()
export const TabRef = z.discriminatedUnion('backend', [
  z.object({backend: z.literal('tmux'), sessionId: z.string(), windowId: z.string(), paneId: z.string(), launchId: TabLaunch}),
  z.object({backend: z.literal('iterm2'), sessionId: z.string(), launchId: TabLaunch}),
])
export type TabRef = z.infer<typeof TabRef>

/** How a session's claude agents are confined (README "Confinement"); absent in older state = on, nothing extra. */
export const SessionSandbox = z.object({
  enabled: z.boolean().describe("Claude agents run in Claude Code's sandbox, confined to the session root"),
  allowRead: z.array(z.string()).default([]).describe('Absolute paths the agents may also read'),
  allowWrite: z.array(z.string()).default([]).describe('Absolute paths the agents may also write (and read), e.g. a cache'),
  allowDomains: z.array(z.string()).default([]).describe('Network domains sandboxed commands may reach (none by default)'),
})
export type SessionSandbox = z.infer<typeof SessionSandbox>

export const Session = z.object({
  name: Name,
  root: z.string().describe('Absolute, symlink-free path of the codebase root'),
  backend: BackendName,
  createdAt: z.string(),
  /** Where the agents run: an ssh destination whose own ccmcp manages them; null: this machine. */
  host: z.string().optional().describe('The ssh destination whose ccmcp runs the agents (absent: this machine)'),
  /** The ccmcp on that host, as its shell runs it (default `ccmcp`). */
  remoteCcmcp: z.string().optional().describe('The ccmcp command on the host, as its shell runs it (absent: `ccmcp`)'),
  /** false: the task board is not rendered into TODO.md at the root (`session create --no-todo`); absent means on. */
  todo: z.boolean().optional(),
  /** New agents get a git worktree of their own unless asked otherwise (session create --worktrees). */
  worktrees: z.boolean().optional(),
  /** Program and arguments run (no shell) in each new worktree before its agent starts. */
  setup: z.array(z.string()).nullable().optional(),
  sandbox: SessionSandbox.optional(),
  /** Whether this session's agents may start more agents in it (create_agent); the operator decides at create. */
  agentsMayCreateAgents: z.boolean().optional().describe("Whether this session's agents may start more agents in it (absent: no)"),
  /** Claude Code permission rules (`Bash(npm test*)`) the agents' hooks allow without asking. */
  autoAllow: z.array(z.string()).optional(),
  /** Rules the hooks deny without asking; a deny rule wins over an allow rule. */
  autoDeny: z.array(z.string()).optional(),
})
export type Session = z.infer<typeof Session>

/** An agent's own git worktree: where it is, its branch, and what it was branched from. */
export const AgentWorktree = z.object({
  path: z.string().describe('The worktree directory (absolute)'),
  branch: z.string().describe('The branch checked out in it'),
  base: z.string().describe('The commit it was branched from (as given, e.g. HEAD or main)'),
  baseCommit: z.string().describe('That commit\'s id when the worktree was made'),
  /** Where the agent runs in it: the session root's place within the repository. */
  cwd: z.string(),
})
export type AgentWorktree = z.infer<typeof AgentWorktree>

export const QueuedMessage = z.object({
  id: z.string(),
  text: z.string(),
  queuedAt: z.string(),
})
export type QueuedMessage = z.infer<typeof QueuedMessage>

export const Agent = z.object({
  session: Name,
  name: Name,
  kind: AgentKind,
  command: z.array(z.string()).describe('The program and its arguments, as run (no shell)'),
  status: AgentStatus,
  tab: TabRef.nullable(),
  conversationId: z.string().uuid().nullable().describe('Claude Code session id (claude agents only)'),
  createdAt: z.string(),
  lastEventAt: z.string().nullable(),
  /** The hook event applied last (the one at lastEventAt): tells a tool's own PreToolUse from an answer. */
  lastEvent: z.string().nullable().default(null),
  /** The prompt_id of that event: which turn it belongs to (hooks finish out of order within a turn). */
  lastEventPromptId: z.string().nullable().default(null),
  lastError: z.string().nullable(),
  /** What the agent waits for (a permission, the trust dialog), when status is `waiting`. */
  waitingFor: z.string().nullable().default(null),
  /** The agent's last reply as reported by its Stop hook. */
  lastReply: z.string().nullable().default(null),
  /** Claude Code version the agent was launched with (claude agents). */
  claudeVersion: z.string().nullable().default(null),
  /** Identifies one launch; hook events from an earlier launch of the same agent are ignored. */
  launchId: z.string().nullable().default(null),
  /** SHA-256 of this launch's CCMCP_AGENT_SECRET (the secret is only in the agent's environment): what proves the agent's calls. */
  secretDigest: z.string().nullable().default(null),
  /** While `starting`: the pid of the process launching it, so a launch whose creator died is reconciled. */
  launcherPid: z.number().int().nullable().default(null),
  /** The last prompt the agent accepted (UserPromptSubmit), to confirm delivery. */
  lastPrompt: z.string().nullable().default(null),
  lastPromptAt: z.string().nullable().default(null),
  /** Messages waiting for the agent to be ready; delivered in order, one per turn. */
  queue: z.array(QueuedMessage).default([]),
  /** Claude Code's transcript of the conversation (from its hooks); resume needs it to exist. */
  transcriptPath: z.string().nullable().default(null),
  /** While a process is delivering to this agent: until when its claim holds. */
  deliveringUntil: z.string().nullable().default(null),
  /** Who holds that claim (`<pid>:<uuid>`), so a claim whose process died is not waited out. */
  deliveringBy: z.string().nullable().default(null),
  /** The agent's own git worktree (agent create --worktree); null: it works in the session root. */
  worktree: AgentWorktree.nullable().default(null),
  /** While a permission dialog is open and its hook waits for an answer (agent answer). */
  permissionRequest: PermissionRequest.nullable().default(null),
  /** The last permission prompt a session rule answered. */
  lastAutoAnswer: AutoAnswer.nullable().default(null),
  /** The last status change notifications fire on (waiting, error, exited/lost, turn finished). */
  lastTransition: Transition.nullable().default(null),
  /** How far the agent's hook spool is folded into this state (bytes; entry/spool-hook.ts, delivery/hook-fold.ts). */
  hookSpoolOffset: z.number().int().nonnegative().optional(),
})
export type Agent = z.infer<typeof Agent>

/**
 * An agent as results and reads show it, on every surface: without what only ccmcp's own
 * processes use. The secret's digest is what an agent's spooled hook events present as proof, so
 * a copy of it would let a process that can append to the spool speak as that agent; the spool
 * offset is bookkeeping.
 */
export const PublicAgent = Agent.omit({secretDigest: true, hookSpoolOffset: true})
export type PublicAgent = z.infer<typeof PublicAgent>

export const STATE_SCHEMA_VERSION = 1

export const SessionRecord = Session.extend({
  /** Next number for Agent_N; never reused within a session, so logs stay unambiguous. */
  nextAgentNumber: z.number().int().min(1),
  /** The protocol appended to each agent's system prompt: absent = ccmcp's own, "" = none, else this text. */
  protocol: z.string().optional(),
})
export type SessionRecord = z.infer<typeof SessionRecord>

export const State = z.object({
  schemaVersion: z.literal(STATE_SCHEMA_VERSION),
  sessions: z.array(SessionRecord),
  agents: z.array(Agent),
})
export type State = z.infer<typeof State>

/** Brings an older state file up to date; refuses one written by a newer ccmcp. */
export function migrateState(raw: Record<string, unknown>): Record<string, unknown> {
  const version = raw.schemaVersion
  if (typeof version === 'number' && version > STATE_SCHEMA_VERSION) {
    throw new CcmcpError('STATE_INVALID', `The state file was written by a newer ccmcp (schema ${version}; this one reads ${STATE_SCHEMA_VERSION}).`, {
      hint: 'Upgrade ccmcp, or point CCMCP_HOME elsewhere.',
    })
  }
  return raw
}

export const emptyState = (): State => ({schemaVersion: STATE_SCHEMA_VERSION, sessions: [], agents: []})

export function publicSession(record: SessionRecord): Session {
  const {nextAgentNumber: _counter, protocol: _protocol, ...session} = record
  return session
}

/** The session's confinement as it applies: a session from before the field is sandboxed. */
export function sessionSandbox(session: Pick<Session, 'sandbox'>): SessionSandbox {
  return session.sandbox ?? {enabled: true, allowRead: [], allowWrite: [], allowDomains: []}
}

export const agentKey = (agent: Pick<Agent, 'session' | 'name'>): string => `${agent.session}/${agent.name}`
