/**
 * What this side remembers of a host between calls (`<home>/remote/<host>.json`): its agents as
 * last seen (never what anyone typed or replied) and, while it does not answer, why. Views read
 * it on the redraws that must not cost an ssh round trip; a host that is down keeps its agents
 * there, shown `unknown` with the reason. The process that asked keeps the whole answer in memory
 * too, so its own redraws show the agents exactly as its last live read did (replies included).
 */
import path from 'node:path'

import type {Agent} from '../domain/state.js'
import type {CoreDeps} from '../pipeline/operation.js'

export interface LastSeen {
  agents: Agent[]
  /** Why the host did not answer the last time it was asked; null when it did. */
  unreachable: string | null
}

/** Per runtime (one per process), by host. */
const inMemory = new WeakMap<CoreDeps, Map<string, LastSeen>>()

const fileOf = (deps: CoreDeps, host: string) => path.join(deps.settings.paths.home, 'remote', `${encodeURIComponent(host)}.json`)

export async function lastSeen(deps: CoreDeps, host: string): Promise<LastSeen> {
  const held = inMemory.get(deps)?.get(host)
  if (held) return held
  try {
    const parsed = JSON.parse((await deps.ports.host.readText(fileOf(deps, host))) ?? '[]') as unknown
    // An older ccmcp kept the bare list.
    if (Array.isArray(parsed)) return {agents: parsed as Agent[], unreachable: null}
    const {agents, unreachable} = parsed as Partial<LastSeen>
    return {agents: Array.isArray(agents) ? agents : [], unreachable: typeof unreachable === 'string' ? unreachable : null}
  } catch {
    return {agents: [], unreachable: null}
  }
}

async function write(deps: CoreDeps, host: string, value: LastSeen): Promise<void> {
  const held = inMemory.get(deps) ?? new Map<string, LastSeen>()
  inMemory.set(deps, held.set(host, value))
  const file = fileOf(deps, host)
  const atRest = value.agents.map((agent) => ({...agent, lastPrompt: null, lastReply: null, lastError: null, waitingFor: null, queue: []}))
  await deps.ports.host.mkdir(path.dirname(file))
  await deps.ports.host.writeAtomic(file, JSON.stringify({...value, agents: atRest}))
}

/** The host answered for these sessions: their agents now, the other sessions' as they were. */
export async function rememberAnswer(deps: CoreDeps, host: string, sessions: readonly string[], agents: readonly Agent[]): Promise<void> {
  const others = (await lastSeen(deps, host)).agents.filter((agent) => !sessions.includes(agent.session))
  await write(deps, host, {agents: [...others, ...agents], unreachable: null})
}

export async function rememberUnreachable(deps: CoreDeps, host: string, reason: string): Promise<void> {
  const known = await lastSeen(deps, host)
  if (known.unreachable !== reason) await write(deps, host, {...known, unreachable: reason})
}

/** Agents as last seen, `unknown` with the reason. */
export const asUnknown = (agents: readonly Agent[], reason: string): Agent[] => agents.map((agent) => ({...agent, status: 'unknown' as const, lastError: reason}))
