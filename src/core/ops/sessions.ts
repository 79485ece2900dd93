/** Session operations: create, list, status, delete. */
import path from 'node:path'
import * as z from 'zod'

import {reconciledState} from '../agents/live-state.js'
import {closeAgentTab, removeAgentFiles, removeSessionFiles} from '../agents/tabs.js'
import {Agent, BackendName, Name, Session, agentKey, publicSession} from '../domain/state.js'
import {CcmcpError} from '../domain/errors.js'
import {findSession} from '../agents/resolve.js'
import {defineOperation} from '../pipeline/operation.js'
import {findProgram} from '../platform/programs.js'
import type {CoreDeps} from '../pipeline/operation.js'
import {claudeConfigPath, recordTrust} from '../agents/trust.js'
import {sessionRules} from '../answer/session-rules.js'

export const createSession = defineOperation({
  name: 'create_session',
  title: 'Create session',
  description: 'Create a session: a named group of agents that all work in one codebase root directory.',
  level: 'MEDIUM',
  annotations: {readOnly: false, destructive: false, idempotent: false},
  mcp: true,
  input: z.object({
    name: Name.describe('Session name, unique; letters, digits, ".", "_", "-"'),
    root: z.string().min(1).describe('Codebase root directory, as an absolute path (the CLI also takes one relative to its current directory)'),
    backend: BackendName.optional().describe('Terminal backend for the agents (default: iTerm2 on macOS when installed, else tmux)'),
    trust: z.boolean().default(false).describe("Record workspace trust for exactly this root in Claude Code's config (~/.claude.json), so agents do not stop at the trust dialog"),
    autoAllow: z.array(z.string()).optional().describe('Permission rules in Claude Code syntax, e.g. "Bash(npm test*)", that the agents\' hooks allow without asking'),
    autoDeny: z.array(z.string()).optional().describe('Permission rules the agents\' hooks deny without asking (deny wins over allow)'),
  }),
  output: z.object({
    session: Session,
    trust: z.object({file: z.string(), backup: z.string().nullable(), changed: z.boolean()}).nullable().describe("What --trust changed in Claude Code's config"),
  }),
  async handler(input, {deps, limits, workingDir}) {
    const config = await deps.ports.config.read()
    const resolved = callerPath(input.root, workingDir)
    const info = await deps.ports.host.stat(resolved).catch(() => null)
    if (!info) throw new CcmcpError('INVALID_INPUT', `The root directory does not exist: ${resolved}`, {
      hint: {cli: 'Create it first or give an existing directory with --root.', mcp: 'Create it first or give an existing directory as root.'},
    })
    if (info.kind !== 'directory') throw new CcmcpError('INVALID_INPUT', `The root is not a directory: ${resolved}`, {hint: 'Give the codebase directory, not a file.'})
    const root = await deps.ports.host.realpath(resolved)
    const backend = input.backend ?? deps.settings.defaultBackend(config)
    await assertBackendUsable(deps, backend)
    deps.ports.backend(backend)
    const maxSessions = limits.maxSessions ?? config.maxSessions
    const rules = sessionRules(input)
    const record = {name: input.name, root, backend, createdAt: deps.ports.clock.now().toISOString(), ...rules, nextAgentNumber: 1}
    await deps.ports.state.update((state) => {
      if (state.sessions.some((session) => session.name === input.name)) {
        throw new CcmcpError('ALREADY_EXISTS', `A session named "${input.name}" already exists.`, {hint: 'Pick another name, or delete the old session first.'})
      }
      if (state.sessions.length >= maxSessions) {
        throw new CcmcpError('LIMIT_REACHED', `There are already ${state.sessions.length} sessions (the limit is ${maxSessions}).`, {
          hint: {cli: 'Delete a session, or raise the limit with --max-sessions or `ccmcp config set maxSessions N`.', mcp: 'Delete a session (delete_session), or raise the limit with set_config (key maxSessions).'},
        })
      }
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

/** A path as the caller meant it: relative only to a caller's own current directory. */
function callerPath(value: string, workingDir: string | null): string {
  if (path.isAbsolute(value)) return path.normalize(value)
  if (workingDir !== null) return path.resolve(workingDir, value)
  throw new CcmcpError('INVALID_INPUT', `The root "${value}" is a relative path, and relative to what is unknown here: this server's current directory is not the client's (under Claude Desktop it is /).`, {
    hint: 'Give the absolute path of the codebase directory, e.g. /home/me/src/api.',
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

export const listSessions = defineOperation({
  name: 'list_sessions',
  title: 'List sessions',
  description: 'List every session with its root, backend and agent count.',
  level: 'LOW',
  annotations: {readOnly: true, destructive: false, idempotent: true},
  mcp: true,
  input: z.object({}),
  output: z.object({sessions: z.array(Session.extend({agents: z.number().int().describe('Number of agents')}))}),
  async handler(_input, {deps}) {
    const state = await deps.ports.state.read()
    return {
      sessions: state.sessions.map((record) => ({
        ...publicSession(record),
        agents: state.agents.filter((agent) => agent.session === record.name).length,
      })),
    }
  },
})

export const getSessionStatus = defineOperation({
  name: 'get_session_status',
  title: 'Get session status',
  description: 'Show a session and the live status of each of its agents (checked against the terminal).',
  level: 'LOW',
  annotations: {readOnly: true, destructive: false, idempotent: true},
  mcp: true,
  input: z.object({name: Name.describe('Session name')}),
  output: z.object({session: Session, agents: z.array(Agent)}),
  async handler(input, {deps}) {
    const state = await reconciledState(deps)
    const session = findSession(state, input.name)
    return {session: publicSession(session), agents: state.agents.filter((agent) => agent.session === session.name)}
  },
})

export const deleteSession = defineOperation({
  name: 'delete_session',
  title: 'Delete session',
  description: "Delete a session: close every agent's tab and forget the session and its agents.",
  level: 'HIGH',
  annotations: {readOnly: false, destructive: true, idempotent: false},
  mcp: true,
  input: z.object({name: Name.describe('Session name')}),
  output: z.object({deleted: z.object({session: Name, agents: z.array(Name)})}),
  async handler(input, {deps}) {
    const state = await deps.ports.state.read()
    const session = findSession(state, input.name)
    const agents = state.agents.filter((agent) => agent.session === session.name)
    for (const agent of agents) await closeAgentTab(deps, agent)
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
    return {deleted: {session: session.name, agents: removed.map((agent) => agent.name)}}
  },
})
