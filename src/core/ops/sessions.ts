/** Session operations: create, list, status, delete. */
import path from 'node:path'
import * as z from 'zod'

import {reconciledState} from '../agents/live-state.js'
import {closeAgentTab, removeAgentFiles, removeSessionFiles} from '../agents/tabs.js'
import {BackendName, Name, type PublicAgent, Session, type SessionRecord, agentKey, publicSession, sessionSandbox} from '../domain/state.js'
import {remoteAgents} from '../remote/forward.js'
import {ForceFlag} from '../worktrees/session-options.js'
import {CcmcpError} from '../domain/errors.js'
import {findSession} from '../agents/resolve.js'
import {defineOperation} from '../pipeline/operation.js'
import {findProgram} from '../platform/programs.js'
import type {CoreDeps} from '../pipeline/operation.js'
import {claudeConfigPath, recordTrust} from '../agents/trust.js'
import {createRemoteSession} from '../remote/create-remote.js'
import {validateMessage} from '../domain/message-text.js'
import {removeBoard} from '../tasks/board-io.js'
import {AgentView, SessionUsage, agentViews, sessionUsage} from '../agents/agent-view.js'
import {SetupCommand, setupArgv} from '../worktrees/session-options.js'
import {assertWorktreesRemovable, removeAgentWorktree} from '../worktrees/remove.js'
import {requireRepository} from '../worktrees/create.js'
import {SandboxInput, sandboxFromInput} from './session-sandbox.js'
import {sessionRaisedLevel} from './session-raised.js'
import {sessionRules} from '../answer/session-rules.js'

export const createSession = defineOperation({
  name: 'create_session',
  callers: ['operator', 'mcp'],
  scope: (input) => ({sessions: [input.name]}),
  raisedLevel: (input) => sessionRaisedLevel(input),
  title: 'Create session',
  description: 'Create a session: a named group of agents that all work in one codebase root directory.',
  level: 'MEDIUM',
  annotations: {readOnly: false, destructive: false, idempotent: false},
  mcp: true,
  input: z.object({
    name: Name.describe('Session name, unique; letters, digits, ".", "_", "-"'),
    root: z.string().min(1).describe('Codebase root directory, as an absolute path (the CLI also takes one relative to its current directory)'),
    backend: BackendName.optional().describe('Terminal backend for the agents (default: iTerm2 on macOS when installed, else tmux)'),
    todo: z.boolean().default(true).describe('Render the task board into TODO.md at the root after every change (--no-todo: never)'),
    trust: z.boolean().default(false).describe("Record workspace trust for exactly this root in Claude Code's config (~/.claude.json), so agents do not stop at the trust dialog"),
    host: z.string().optional().describe('Run the agents on this ssh destination (host, user@host or an ~/.ssh/config alias) with the ccmcp installed there; root is then a directory on that host'),
    remoteCcmcp: z.string().min(1).max(1024).optional().describe('The ccmcp command on the host, as its shell runs it (default "ccmcp"); HIGH level'),
    worktrees: z.boolean().default(false).describe('Give every new agent its own git worktree and branch by default (the root must be in a git repository)'),
    setup: SetupCommand.optional(),
    ...SandboxInput.shape,
    agentsMayCreateAgents: z.boolean().default(false).describe("Let this session's agents start more Claude Code agents in it (never a command or program-running flags)"),
    protocol: z.string().min(1).optional().describe('A text file whose content replaces ccmcp\'s protocol prompt (how agents share tasks and messages) in every agent\'s system prompt, or "none" for no protocol'),
    autoAllow: z.array(z.string()).optional().describe('Permission rules in Claude Code syntax, e.g. "Bash(npm test*)", that the agents\' hooks allow without asking (HIGH level)'),
    autoDeny: z.array(z.string()).optional().describe('Permission rules the agents\' hooks deny without asking (deny wins over allow)'),
  }),
  output: z.object({
    session: Session,
    trust: z.object({file: z.string(), backup: z.string().nullable(), changed: z.boolean()}).nullable().describe("What --trust changed in Claude Code's config"),
  }),
  async handler(input, {deps, limits, workingDir, caller}) {
    const config = await deps.ports.config.read()
    const assertRoom = roomFor(input.name, limits.maxSessions ?? config.maxSessions)
    if (input.host !== undefined) return createRemoteSession(deps, caller, {...input, host: input.host}, assertRoom)
    const resolved = callerPath(input.root, workingDir)
    const info = await deps.ports.host.stat(resolved).catch(() => null)
    if (!info) throw new CcmcpError('INVALID_INPUT', `The root directory does not exist: ${resolved}`, {
      hint: {cli: 'Create it first or give an existing directory with --root.', mcp: 'Create it first or give an existing directory as root.'},
    })
    if (info.kind !== 'directory') throw new CcmcpError('INVALID_INPUT', `The root is not a directory: ${resolved}`, {hint: 'Give the codebase directory, not a file.'})
    const root = await deps.ports.host.realpath(resolved)
    const backend = input.backend ?? deps.settings.defaultBackend(config)
    await assertBackendUsable(deps, backend)
    if (input.worktrees) await requireRepository(deps, {name: input.name, root})
    const setup = setupArgv(input.setup)
    deps.ports.backend(backend)
    const rules = sessionRules(input)
    const protocol = input.protocol === undefined ? {} : {protocol: await readProtocol(deps, input.protocol, workingDir)}
    const sandbox = await sandboxFromInput(deps, input, (value) => callerPath(value, workingDir, 'sandbox path'))
    const record = {name: input.name, root, backend, createdAt: deps.ports.clock.now().toISOString(), ...rules, worktrees: input.worktrees, setup, sandbox, ...(input.agentsMayCreateAgents ? {agentsMayCreateAgents: true} : {}), nextAgentNumber: 1, ...protocol, ...(input.todo ? {} : {todo: false})}
    await deps.ports.state.update((state) => {
      assertRoom(state)
      return {value: {...state, sessions: [...state.sessions, record]}, result: undefined}
    })
    let trust = null
    if (input.trust || config.trustRoots) {
      const file = claudeConfigPath(deps.launch.env, deps.ports.host.homeDir())
      try {
        trust = {file, ...(await recordTrust(deps.ports.host, file, root, deps.ports.clock.now()))}
      } catch (error) {
        const failure = error instanceof CcmcpError ? error : new CcmcpError('INVALID_INPUT', (error as Error).message)
        throw new CcmcpError(failure.code, `Session "${input.name}" was created, but trust was not recorded: ${failure.message}`, {hint: failure.hint})
      }
    }
    return {session: publicSession(record), trust}
  },
})

/** Throws unless one more session named `name` fits: a free name, under the limit. */
function roomFor(name: string, maxSessions: number) {
  return (state: {sessions: readonly {name: string}[]}) => {
    if (state.sessions.some((session) => session.name === name)) {
      throw new CcmcpError('ALREADY_EXISTS', `A session named "${name}" already exists.`, {hint: 'Pick another name, or delete the old session first.'})
    }
    if (state.sessions.length >= maxSessions) {
      throw new CcmcpError('LIMIT_REACHED', `There are already ${state.sessions.length} sessions (the limit is ${maxSessions}).`, {
        hint: {cli: 'Delete a session, or raise the limit with --max-sessions or `ccmcp config set maxSessions N`.', mcp: 'Delete a session (delete_session), or raise the limit with set_config (key maxSessions).'},
      })
    }
  }
}

/** The protocol file's text ("none": no protocol, kept as ""). */
async function readProtocol(deps: CoreDeps, value: string, workingDir: string | null): Promise<string> {
  if (value === 'none') return ''
  const file = callerPath(value, workingDir)
  const text = await deps.ports.host.readText(file).catch((error: unknown) => {
    throw new CcmcpError('INVALID_INPUT', `The protocol file cannot be read: ${file} (${(error as Error).message}).`, {hint: 'Give a readable text file, or "none".'})
  })
  if (text === null) throw new CcmcpError('INVALID_INPUT', `The protocol file does not exist: ${file}`, {hint: 'Give an existing text file, or "none" for no protocol.'})
  return validateMessage(text.trimEnd(), 'protocol')
}

/** A path as the caller meant it: relative only to a caller's own current directory. */
function callerPath(value: string, workingDir: string | null, what = 'root'): string {
  if (path.isAbsolute(value)) return path.normalize(value)
  if (workingDir !== null) return path.resolve(workingDir, value)
  throw new CcmcpError('INVALID_INPUT', `The ${what} "${value}" is a relative path, and relative to what is unknown here: this server's current directory is not the client's (under Claude Desktop it is /).`, {
    hint: what === 'root' ? 'Give the absolute path of the codebase directory, e.g. /home/me/src/api.' : 'Give an absolute path.',
  })
}

/** iTerm2 is driven through osascript: without it (Linux) no agent of the session could ever start. */
async function assertBackendUsable(deps: CoreDeps, backend: BackendName): Promise<void> {
  if (backend !== 'iterm2' || process.platform === 'darwin') return
  if ((await findProgram('osascript', {env: deps.launch.env, home: deps.ports.host.homeDir(), host: deps.ports.host})).path) return
  throw new CcmcpError('BACKEND_UNAVAILABLE', `The iTerm2 backend works only on macOS: it drives iTerm2 through osascript, which this ${process.platform} system does not have.`, {
    hint: 'Use --backend tmux (the default here); if CCMCP_BACKEND or `ccmcp config get backend` names iterm2, unset it or set it to tmux.',
  })
}

export const ListedSession = Session.extend({
  agents: z.number().int().describe('Number of agents'),
  hostError: z.string().nullable().default(null).describe('Why the host of a remote session could not be asked (its agents are not counted)'),
})

export function listedSession(record: SessionRecord, agents: readonly PublicAgent[], unreachable: ReadonlyMap<string, string>): z.infer<typeof ListedSession> {
  return {...publicSession(record), agents: agents.filter((agent) => agent.session === record.name).length, hostError: unreachable.get(record.name) ?? null}
}

export const listSessions = defineOperation({
  name: 'list_sessions',
  scope: () => 'every-session',
  title: 'List sessions',
  description: 'List every session with its root, backend and agent count.',
  level: 'LOW',
  annotations: {readOnly: true, destructive: false, idempotent: true},
  mcp: true,
  input: z.object({}),
  output: z.object({sessions: z.array(ListedSession)}),
  async handler(_input, {deps}) {
    const state = await deps.ports.state.read()
    const remote = await remoteAgents(deps, state.sessions)
    const agents = [...state.agents, ...remote.agents]
    return {sessions: state.sessions.map((record) => listedSession(record, agents, remote.unreachable))}
  },
})

export const getSessionStatus = defineOperation({
  name: 'get_session_status',
  scope: (input) => ({sessions: [input.name]}),
  title: 'Get session status',
  description: 'Show a session and the live status of each of its agents (checked against the terminal), each agent\'s tokens and ESTIMATED cost from its transcript (usage) and worktree state (git), and the session total usage.',
  level: 'LOW',
  annotations: {readOnly: true, destructive: false, idempotent: true},
  mcp: true,
  input: z.object({name: Name.describe('Session name')}),
  output: z.object({session: Session, agents: z.array(AgentView), usage: SessionUsage}),
  async handler(input, {deps}) {
    const state = await reconciledState(deps)
    const session = findSession(state, input.name)
    const agents = await agentViews(deps, state, state.agents.filter((agent) => agent.session === session.name), {git: true})
    return {session: {...publicSession(session), sandbox: sessionSandbox(session)}, agents, usage: await sessionUsage(deps, agents)}
  },
})

export const deleteSession = defineOperation({
  name: 'delete_session',
  callers: ['operator', 'mcp'],
  scope: (input) => ({sessions: [input.name]}),
  title: 'Delete session',
  description: "Delete a session: close every agent's tab, remove their git worktrees, and forget the session and its agents. Refused (CONFLICT, nothing removed) while a worktree holds uncommitted or unmerged work, unless force.",
  level: 'HIGH',
  annotations: {readOnly: false, destructive: true, idempotent: false},
  mcp: true,
  input: z.object({name: Name.describe('Session name'), force: ForceFlag}),
  output: z.object({deleted: z.object({session: Name, agents: z.array(Name)})}),
  async handler(input, {deps}) {
    const state = await deps.ports.state.read()
    const session = findSession(state, input.name)
    const agents = state.agents.filter((agent) => agent.session === session.name)
    await assertWorktreesRemovable(deps, session, agents, input.force)
    for (const agent of agents) await closeAgentTab(deps, agent)
    for (const agent of agents) if (agent.worktree) await removeAgentWorktree(deps, session, agent.worktree, input.force)
    const removed = await deps.ports.state.update((current) => ({
      value: {
        ...current,
        sessions: current.sessions.filter((candidate) => candidate.name !== session.name),
        agents: current.agents.filter((agent) => agent.session !== session.name),
      },
      result: current.agents.filter((agent) => agent.session === session.name),
    }))
    // An agent another process added while we were closing tabs goes too, tab and all.
    const closed = new Set(agents.map(agentKey))
    for (const agent of removed) if (!closed.has(agentKey(agent))) await closeAgentTab(deps, agent)
    for (const agent of removed) await removeAgentFiles(deps, agent)
    await removeSessionFiles(deps, session.name)
    await removeBoard(deps, session.name)
    return {deleted: {session: session.name, agents: removed.map((agent) => agent.name)}}
  },
})
