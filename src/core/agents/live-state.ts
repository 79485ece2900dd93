/**
 * The state as the terminal really has it: every agent's stored status checked against ONE list
 * call per backend in use (reconcile.ts decides per agent). Read commands and waits start here.
 */
import {type Agent, type BackendName, type State, type TabRef, agentKey} from '../domain/state.js'
import type {CoreDeps} from '../pipeline/operation.js'
import {indexTabs, reconcileAgent} from './reconcile.js'
import {TRUST_WAITING_FOR, detectTrustDialog} from './trust.js'
import {STALLED_TURN_NOTE, TURN_OVER_PATCH, mayHaveStalled, screenShowsTurnOver} from './stalled-turn.js'
import {hasEnded, isTabless} from '../domain/status.js'
import {sweepSessions} from '../tasks/board-io.js'

type StatusPatch = Partial<Pick<Agent, 'status' | 'lastError' | 'waitingFor' | 'tab' | 'launcherPid' | 'lastReply'>>

/**
 * The state, with every agent's status checked against one list call per backend in use. The
 * screen is read only for claude agents still starting, because the workspace-trust dialog
 * fires no hook: it is the one thing only the screen can tell.
 */
export async function reconciledState(deps: CoreDeps): Promise<State> {
  const state = await deps.ports.state.read()
  const inUse = new Set<BackendName>()
  for (const agent of state.agents) {
    if (isTabless(agent)) continue
    const backend = agent.tab?.backend ?? (launcherGone(deps, agent) ? sessionBackend(state, agent) : undefined)
    if (backend) inUse.add(backend)
  }
  if (inUse.size === 0) return state
  const patches = new Map<string, StatusPatch>()
  for (const backend of inUse) {
    // One backend failing (iTerm2 permission denied) must not hide the others' agents: its
    // agents keep their stored status and the reason goes to stderr.
    const listed = await deps.ports.backend(backend).listTabs().catch((error: unknown) => {
      if (inUse.size === 1) throw error
      deps.ports.logger.warn(`could not check ${backend} tabs; their agents keep their last known status`, {error: (error as Error).message})
      return null
    })
    if (!listed) continue
    const tabs = indexTabs(listed)
    for (const agent of state.agents) {
      if ((agent.tab?.backend ?? sessionBackend(state, agent)) !== backend) continue
      const patch = reconcileAgent(agent, tabs, launcherGone(deps, agent)) ?? (await trustPatch(deps, agent)) ?? (await stalledTurnPatch(deps, agent))
      if (patch) patches.set(agentKey(agent), patch)
    }
  }
  if (patches.size === 0) return state
  const reconciled = await deps.ports.state.update((current) => {
    const agents = current.agents.map((agent) => {
      const patch = patches.get(agentKey(agent))
      const before = state.agents.find((candidate) => agentKey(candidate) === agentKey(agent))
      // Apply only if nothing changed the agent since we looked (a hook, another process).
      if (!patch || !before || before.status !== agent.status || before.lastEventAt !== agent.lastEventAt || !sameTab(before.tab, agent.tab)) return agent
      return {...agent, ...patch}
    })
    const value = {...current, agents}
    return {value, result: value}
  })
  // Within this reconciliation, a task claimed by an agent that just ended returns to open.
  const ended = reconciled.agents.filter((agent) => patches.has(agentKey(agent)) && hasEnded(agent))
  if (ended.length > 0) await sweepSessions(deps, reconciled, ended.map((agent) => agent.session))
  // A turn that ended without its Stop: the messages queued behind it go now, as a Stop would have sent them.
  for (const agent of reconciled.agents) {
    if (patches.get(agentKey(agent)) === TURN_OVER_PATCH && agent.status === 'idle' && agent.queue.length > 0) deps.ports.startFlusher(agentKey(agent))
  }
  return reconciled
}

/** A tabless agent whose launching process died (kill -9 of `agent create`): nothing else will finish its launch. */
function launcherGone(deps: CoreDeps, agent: Agent): boolean {
  return agent.tab === null && agent.launcherPid !== null && !deps.ports.host.processAlive(agent.launcherPid)
}

export function sessionBackend(state: State, agent: Agent): BackendName | undefined {
  return state.sessions.find((session) => session.name === agent.session)?.backend
}

async function trustPatch(deps: CoreDeps, agent: Agent): Promise<StatusPatch | null> {
  if (agent.kind !== 'claude' || agent.status !== 'starting' || !agent.tab) return null
  const screen = await deps.ports.backend(agent.tab.backend).readScreen(agent.tab, 40).catch(() => '')
  return detectTrustDialog(screen) ? {status: 'waiting', waitingFor: TRUST_WAITING_FOR} : null
}

async function stalledTurnPatch(deps: CoreDeps, agent: Agent): Promise<StatusPatch | null> {
  if (!agent.tab || !mayHaveStalled(agent, deps.ports.clock.now())) return null
  const screen = await deps.ports.backend(agent.tab.backend).readScreen(agent.tab, 40).catch(() => '')
  if (!screenShowsTurnOver(screen)) return null
  deps.ports.logger.warn(`${agentKey(agent)}: ${STALLED_TURN_NOTE}; it is idle again`)
  return TURN_OVER_PATCH
}

function sameTab(a: TabRef | null, b: TabRef | null): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}
