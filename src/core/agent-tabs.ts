/**
 * The steps operations share: reading state reconciled with the terminal, opening and closing
 * an agent's tab, patching one agent, waiting for a status.
 */
import path from 'node:path'

import type {Config} from './config.js'
import {type Agent, type BackendName, type SessionRecord, type State, type TabRef, agentKey} from './domain.js'
import {CcmcpError} from './errors.js'
import {eventLogPath} from './hooks.js'
import {hookSettings, launchSpec} from './launch.js'
import {indexTabs, reconcileAgent} from './reconcile.js'
import {TRUST_WAITING_FOR, detectTrustDialog} from './trust.js'
import type {CoreDeps} from './registry.js'

type StatusPatch = Partial<Pick<Agent, 'status' | 'lastError' | 'waitingFor' | 'tab' | 'launcherPid'>>

/**
 * The state, with every agent's status checked against one list call per backend in use. The
 * screen is read only for claude agents still starting, because the workspace-trust dialog
 * fires no hook: it is the one thing only the screen can tell.
 */
export async function reconciledState(deps: CoreDeps): Promise<State> {
  const state = await deps.state.read()
  const inUse = new Set<BackendName>()
  for (const agent of state.agents) {
    if (agent.status === 'closed' || agent.status === 'lost') continue
    const backend = agent.tab?.backend ?? (launcherGone(agent) ? sessionBackend(state, agent) : undefined)
    if (backend) inUse.add(backend)
  }
  if (inUse.size === 0) return state
  const patches = new Map<string, StatusPatch>()
  for (const backend of inUse) {
    // One backend failing (iTerm2 permission denied) must not hide the others' agents: its
    // agents keep their stored status and the reason goes to stderr.
    const listed = await deps.backend(backend).listTabs().catch((error: unknown) => {
      if (inUse.size === 1) throw error
      deps.logger.warn(`could not check ${backend} tabs; their agents keep their last known status`, {error: (error as Error).message})
      return null
    })
    if (!listed) continue
    const tabs = indexTabs(listed)
    for (const agent of state.agents) {
      if ((agent.tab?.backend ?? sessionBackend(state, agent)) !== backend) continue
      const patch = reconcileAgent(agent, tabs, launcherGone(agent)) ?? (await trustPatch(deps, agent))
      if (patch) patches.set(agentKey(agent), patch)
    }
  }
  if (patches.size === 0) return state
  return deps.state.update((current) => {
    const agents = current.agents.map((agent) => {
      const patch = patches.get(agentKey(agent))
      const before = state.agents.find((candidate) => agentKey(candidate) === agentKey(agent))
      // Apply only if nothing changed the agent since we looked (a hook, another process).
      if (!patch || !before || before.status !== agent.status || !sameTab(before.tab, agent.tab)) return agent
      return {...agent, ...patch}
    })
    const value = {...current, agents}
    return {value, result: value}
  })
}

/** A tabless agent whose launching process died (kill -9 of `agent create`): nothing else will finish its launch. */
function launcherGone(agent: Agent): boolean {
  return agent.tab === null && agent.launcherPid !== null && !processAlive(agent.launcherPid)
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function sessionBackend(state: State, agent: Agent): BackendName | undefined {
  return state.sessions.find((session) => session.name === agent.session)?.backend
}

async function trustPatch(deps: CoreDeps, agent: Agent): Promise<StatusPatch | null> {
  if (agent.kind !== 'claude' || agent.status !== 'starting' || !agent.tab) return null
  const screen = await deps.backend(agent.tab.backend).readScreen(agent.tab, 40).catch(() => '')
  return detectTrustDialog(screen) ? {status: 'waiting', waitingFor: TRUST_WAITING_FOR} : null
}

export async function updateAgent(deps: CoreDeps, key: string, fn: (agent: Agent) => Agent): Promise<Agent> {
  return deps.state.update((state) => {
    const index = state.agents.findIndex((agent) => agentKey(agent) === key)
    const agent = state.agents[index]
    if (!agent) throw new CcmcpError('NOT_FOUND', `Agent ${key} was deleted meanwhile.`)
    const updated = fn(agent)
    return {value: {...state, agents: state.agents.with(index, updated)}, result: updated}
  })
}

export async function assertRootExists(deps: Pick<CoreDeps, 'host'>, session: Pick<SessionRecord, 'name' | 'root'>): Promise<void> {
  const info = await deps.host.stat(session.root).catch(() => null)
  if (info?.kind !== 'directory') {
    throw new CcmcpError('INVALID_INPUT', `The root of session "${session.name}" no longer exists: ${session.root}`, {
      hint: `Restore the directory, or delete the session and create it again with another --root.`,
    })
  }
}

export function agentDir(deps: CoreDeps, agent: Pick<Agent, 'session' | 'name'>): string {
  return path.join(deps.paths.home, 'agents', agent.session, agent.name)
}

/** Opens a tab running the agent; writes the claude settings file first. */
export async function openAgentTab(deps: CoreDeps, agent: Agent, session: SessionRecord, options: {resume?: boolean} = {}): Promise<TabRef> {
  await assertRootExists(deps, session)
  const dir = agentDir(deps, agent)
  const settingsFile = path.join(dir, 'settings.json')
  if (agent.kind === 'claude') {
    await deps.host.mkdir(dir, {mode: 0o700})
    await deps.host.writeAtomic(settingsFile, JSON.stringify(hookSettings(deps.hookCommand), null, 2), {mode: 0o600})
  }
  if (!agent.launchId) throw new CcmcpError('UNEXPECTED', `${agentKey(agent)} has no launch id to open a tab for.`)
  const spec = launchSpec({agent, session, baseEnv: deps.env, home: deps.paths.home, settingsFile, resume: options.resume})
  return deps.backend(session.backend).openTab({
    group: session.name,
    title: `${agent.name} · ${session.name}`,
    agentKey: agentKey(agent),
    launchId: agent.launchId,
    cwd: session.root,
    argv: spec.argv,
    env: spec.env,
  })
}

/**
 * Closes the agent's own tab and nothing else. Backends check the launch id a ref carries; a
 * lost agent's ref from before launch ids is not trusted at all (its id may be another agent's
 * now). A tabless agent whose launch was interrupted may still have a tab carrying its launch id.
 */
export async function closeAgentTab(deps: CoreDeps, agent: Agent): Promise<void> {
  if (agent.tab) {
    if (agent.status === 'lost' && agent.tab.launchId === undefined) return
    await deps.backend(agent.tab.backend).closeTab(agent.tab)
    return
  }
  if (!agent.launchId || agent.status === 'closed') return
  const backend = sessionBackend(await deps.state.read(), agent)
  if (!backend) return
  const tabs = await deps.backend(backend).listTabs().catch(() => [])
  for (const info of tabs) {
    if (info.launchId === agent.launchId) await deps.backend(backend).closeTab({...info.tab, launchId: agent.launchId})
  }
}

export async function removeAgentFiles(deps: CoreDeps, agent: Pick<Agent, 'session' | 'name'>): Promise<void> {
  await deps.host.remove(agentDir(deps, agent))
  await deps.host.remove(eventLogPath(deps.paths.eventsDir, agent.session, agent.name))
}

export async function removeSessionFiles(deps: CoreDeps, session: string): Promise<void> {
  await deps.host.remove(path.join(deps.paths.home, 'agents', session))
  await deps.host.remove(path.join(deps.paths.eventsDir, session))
}

/** Polls the state file (local, cheap) until `done` holds or the time is up. */
export async function waitForAgent(deps: CoreDeps, key: string, done: (agent: Agent) => boolean, timeoutMs: number): Promise<Agent | null> {
  const deadline = deps.clock.now().getTime() + timeoutMs
  for (;;) {
    const agent = (await deps.state.read()).agents.find((candidate) => agentKey(candidate) === key)
    if (!agent || done(agent)) return agent ?? null
    if (deps.clock.now().getTime() >= deadline) return null
    await deps.clock.sleep(100)
  }
}

export async function effectiveConfig(deps: CoreDeps): Promise<Config> {
  return deps.config.read()
}

function sameTab(a: TabRef | null, b: TabRef | null): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}
