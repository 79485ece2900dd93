/**
 * Running an operation on the host its session lives on, and the few things this side keeps:
 * the session's record (with its host) and nothing about its agents, which the remote ccmcp owns.
 */
import type {CoreDeps} from '../pipeline/operation.js'
import {type Agent, type SessionRecord, publicSession} from '../domain/state.js'
import {toCcmcpError} from '../domain/errors.js'
import type {RemoteTarget} from '../ports.js'
import {remoteSessionFor, remoteTarget, sessionNamed} from './routing.js'
import {shellQuote} from '../domain/shell-quote.js'
import {asUnknown, lastSeen, rememberAnswer, rememberUnreachable} from './last-seen.js'
import {sessionUsage} from '../agents/agent-view.js'

/** The operation's output from the remote host, or null when it is not about a remote session. */
export async function runOnHost(deps: CoreDeps, operation: string, input: unknown): Promise<{output: unknown} | null> {
  // Only an operation about one session reads the state here (doctor must work with a broken one).
  if (sessionNamed(operation, input) === null) return null
  const remote = remoteSessionFor(operation, input, await deps.ports.state.read())
  if (!remote) return null
  let output: unknown
  let fallback: unknown = null
  try {
    output = await deps.ports.remote.call(remote.target, operation, input)
  } catch (error) {
    fallback = await lastKnown(deps, operation, remote.record, error)
    if (!fallback) throw error
    output = fallback
  }
  if (operation === 'delete_session') await forgetSession(deps, remote.record.name)
  if (operation === 'focus_agent') output = attachThroughSsh(deps, remote.target, output)
  if (operation === 'get_session_status' && output !== fallback) await rememberAnswer(deps, remote.target.host, [remote.record.name], (output as {agents: Agent[]}).agents)
  return {output: withHost(output, remote.record)}
}

/** The host's "tmux … attach" argv, as this machine's user runs it: through ssh -t. */
function attachThroughSsh(deps: CoreDeps, target: RemoteTarget, output: unknown): unknown {
  const focus = output as {hint: string | null; attach?: string[] | null}
  // A host's ccmcp from before `attach` sends only the line.
  const remoteLine = focus.attach ? focus.attach.map(shellQuote).join(' ') : focus.hint
  if (!remoteLine) return output
  const attach = deps.ports.remote.interactiveArgv(target, remoteLine)
  return {...focus, hint: focus.hint ? attach.map(shellQuote).join(' ') : null, attach}
}

/** The reads that list a session's agents answer, while its host is down, with what was last seen there. */
async function lastKnown(deps: CoreDeps, operation: string, record: SessionRecord, error: unknown): Promise<unknown> {
  const failure = toCcmcpError(error)
  if (!['get_session_status', 'list_agents'].includes(operation) || !UNREACHABLE.has(failure.reason ?? '')) return null
  const host = record.host ?? ''
  await rememberUnreachable(deps, host, failure.message)
  const agents = asUnknown((await lastSeen(deps, host)).agents.filter((agent) => agent.session === record.name), failure.message)
  // The same shape as the host's own answer: a session status has its usage (of what was last seen).
  return operation === 'list_agents' ? {agents} : {session: publicSession(record), agents, usage: await sessionUsage(deps, agents)}
}

/** Failures that say nothing about the agents: the host (or the way to it) is down. */
const UNREACHABLE: ReadonlySet<string> = new Set(['host-unreachable', 'remote-timeout'])

export async function forgetSession(deps: CoreDeps, name: string): Promise<void> {
  await deps.ports.state.update((state) => ({value: {...state, sessions: state.sessions.filter((session) => session.name !== name)}, result: undefined}))
}

/** The remote's own record of the session says "this machine"; here it is that host's. */
function withHost(output: unknown, record: Pick<SessionRecord, 'name' | 'host' | 'remoteCcmcp'>): unknown {
  if (typeof output !== 'object' || output === null || !('session' in output)) return output
  const session = (output as {session: unknown}).session
  if (typeof session !== 'object' || session === null || (session as {name?: unknown}).name !== record.name) return output
  return {...output, session: {...session, host: record.host, remoteCcmcp: record.remoteCcmcp}}
}

/** Every remote host with the sessions this side knows there, for the reads that span sessions. */
export function remoteHosts(sessions: readonly SessionRecord[]): Array<{target: RemoteTarget; sessions: string[]}> {
  const byHost = new Map<string, {target: RemoteTarget; sessions: string[]}>()
  for (const session of sessions) {
    const target = remoteTarget(session)
    if (!target) continue
    const key = `${target.host}\0${target.remoteCcmcp}`
    const entry = byHost.get(key) ?? {target, sessions: []}
    entry.sessions.push(session.name)
    byHost.set(key, entry)
  }
  return [...byHost.values()]
}

export interface RemoteAgents {
  agents: Agent[]
  /** Why a host could not be asked, by session name: its agents are unknown for now. */
  unreachable: Map<string, string>
}

/**
 * The agents of these sessions that live on other hosts: one call per host, all hosts at once.
 * A host that does not answer shows the agents it had last time as `unknown`, with the reason
 * (never `lost`: nothing is known to be gone, so nothing may be restarted for it).
 */
export async function remoteAgents(deps: CoreDeps, sessions: readonly SessionRecord[]): Promise<RemoteAgents> {
  const result: RemoteAgents = {agents: [], unreachable: new Map()}
  await Promise.all(
    remoteHosts(sessions).map(async ({target, sessions: names}) => {
      try {
        const output = (await deps.ports.remote.call(target, 'list_agents', {})) as {agents: Agent[]}
        const agents = output.agents.filter((agent) => names.includes(agent.session))
        result.agents.push(...agents)
        await rememberAnswer(deps, target.host, names, agents)
      } catch (error) {
        const reason = toCcmcpError(error).message
        for (const name of names) result.unreachable.set(name, reason)
        await rememberUnreachable(deps, target.host, reason)
        result.agents.push(...asUnknown((await lastSeen(deps, target.host)).agents.filter((agent) => names.includes(agent.session)), reason))
      }
    }),
  )
  return inSessionOrder(result, sessions)
}

/**
 * The same, with no ssh at all: each host's agents as last seen (and `unknown` while it did not
 * answer), for a view's redraws between its live reads.
 */
export async function lastSeenAgents(deps: CoreDeps, sessions: readonly SessionRecord[]): Promise<RemoteAgents> {
  const result: RemoteAgents = {agents: [], unreachable: new Map()}
  await Promise.all(
    remoteHosts(sessions).map(async ({target, sessions: names}) => {
      const known = await lastSeen(deps, target.host)
      const agents = known.agents.filter((agent) => names.includes(agent.session))
      if (known.unreachable === null) return void result.agents.push(...agents)
      for (const name of names) result.unreachable.set(name, known.unreachable)
      result.agents.push(...asUnknown(agents, known.unreachable))
    }),
  )
  return inSessionOrder(result, sessions)
}

/** Hosts answer in any order; the list keeps the sessions' order, whichever host was slower. */
function inSessionOrder(result: RemoteAgents, sessions: readonly SessionRecord[]): RemoteAgents {
  const order = new Map(sessions.map((session, index) => [session.name, index]))
  result.agents.sort((left, right) => (order.get(left.session) ?? 0) - (order.get(right.session) ?? 0))
  return result
}
