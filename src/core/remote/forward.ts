/**
 * Running an operation on the host its session lives on, and the few things this side keeps:
 * the session's record (with its host) and nothing about its agents, which the remote ccmcp owns.
 */
import type {CoreDeps} from '../pipeline/operation.js'
import type {Agent, SessionRecord} from '../domain/state.js'
import {toCcmcpError} from '../domain/errors.js'
import type {RemoteTarget} from '../ports.js'
import {remoteSessionFor, remoteTarget} from './routing.js'

/** The operation's output from the remote host, or null when it is not about a remote session. */
export async function runOnHost(deps: CoreDeps, operation: string, input: unknown): Promise<{output: unknown} | null> {
  const remote = remoteSessionFor(operation, input, await deps.ports.state.read())
  if (!remote) return null
  const output = await deps.ports.remote.call(remote.target, operation, input)
  if (operation === 'delete_session') await forgetSession(deps, remote.record.name)
  return {output: withHost(output, remote.record)}
}

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

/** The agents of these sessions that live on other hosts: one call per host, all hosts at once. */
export async function remoteAgents(deps: CoreDeps, sessions: readonly SessionRecord[]): Promise<RemoteAgents> {
  const result: RemoteAgents = {agents: [], unreachable: new Map()}
  await Promise.all(
    remoteHosts(sessions).map(async ({target, sessions: names}) => {
      try {
        const output = (await deps.ports.remote.call(target, 'list_agents', {})) as {agents: Agent[]}
        result.agents.push(...output.agents.filter((agent) => names.includes(agent.session)))
      } catch (error) {
        for (const name of names) result.unreachable.set(name, toCcmcpError(error).message)
      }
    }),
  )
  return result
}
