/**
 * An agent's tab and files: opening a tab that runs the agent (its claude settings written
 * first), closing exactly the agent's own tab, and removing what ccmcp kept for it.
 */
import {randomBytes} from 'node:crypto'
import path from 'node:path'

import {eventLogPath} from '../delivery/hook-events.js'
import {CcmcpError} from '../domain/errors.js'
import {type Agent, type SessionRecord, type TabRef, agentKey} from '../domain/state.js'
import type {CoreDeps, CorePorts} from '../pipeline/operation.js'
import {agentMcpConfig, agentSettings, launchSpec} from './launch-spec.js'
import {protocolFor} from './protocol.js'
import {confinementFor} from './confinement.js'
import {updateAgent} from './agent-store.js'
import {secretDigest} from '../pipeline/caller.js'
import {sessionBackend} from './live-state.js'

export async function assertRootExists(deps: {ports: Pick<CorePorts, 'host'>}, session: Pick<SessionRecord, 'name' | 'root'>): Promise<void> {
  const info = await deps.ports.host.stat(session.root).catch(() => null)
  if (info?.kind !== 'directory') {
    throw new CcmcpError('INVALID_INPUT', `The root of session "${session.name}" no longer exists: ${session.root}`, {
      hint: `Restore the directory, or delete the session and create it again with another --root.`,
    })
  }
}

/** Where the agent runs: its own worktree (at the root's place in it), else the session root. */
export function agentWorkingDir(agent: Pick<Agent, 'worktree'>, session: Pick<SessionRecord, 'root'>): string {
  return agent.worktree?.cwd ?? session.root
}

export function agentDir(deps: CoreDeps, agent: Pick<Agent, 'session' | 'name'>): string {
  return path.join(deps.settings.paths.home, 'agents', agent.session, agent.name)
}

/**
 * Opens a tab running the agent; writes the claude settings file first. Every launch gets a
 * fresh secret: only its digest is stored (before the tab opens, so the first hook can prove
 * itself), the secret itself goes into the agent's environment and nowhere else.
 */
export async function openAgentTab(deps: CoreDeps, agent: Agent, session: SessionRecord, options: {resume?: boolean} = {}): Promise<TabRef> {
  await assertRootExists(deps, session)
  const dir = agentDir(deps, agent)
  const settingsFile = path.join(dir, 'settings.json')
  if (!agent.launchId) throw new CcmcpError('UNEXPECTED', `${agentKey(agent)} has no launch id to open a tab for.`)
  // The agent works (and is confined) in its worktree when it has one, else at the session root.
  const cwd = agentWorkingDir(agent, session)
  if (cwd !== session.root && (await deps.ports.host.stat(cwd))?.kind !== 'directory') {
    throw new CcmcpError('INVALID_INPUT', `The worktree of ${agentKey(agent)} no longer exists: ${cwd}`, {hint: `Delete the agent (\`ccmcp agent delete ${agentKey(agent)} --force\`) and create a new one.`})
  }
  const secret = randomBytes(32).toString('base64url')
  await updateAgent(deps, agentKey(agent), (current) => {
    if (current.launchId !== agent.launchId) throw new CcmcpError('UNEXPECTED', `${agentKey(agent)} was launched again meanwhile; this launch stops.`)
    return {...current, secretDigest: secretDigest(secret)}
  })
  const mcpConfigFile = path.join(dir, 'mcp.json')
  const peers = (await deps.ports.state.read()).agents.filter((other) => other.session === agent.session && other.name !== agent.name).map((other) => other.name)
  const protocol = protocolFor(session, agent.name, peers)
  const spec = launchSpec({agent, session, baseEnv: deps.launch.env, home: deps.settings.paths.home, settingsFile, resume: options.resume, workingDir: cwd, secret, mcpConfigFile, protocol})
  if (agent.kind === 'claude') {
    await deps.ports.host.mkdir(dir, {mode: 0o700})
    const settings = agentSettings(deps.launch.hookCommand, await confinementFor(deps, session, cwd))
    await deps.ports.host.writeAtomic(settingsFile, JSON.stringify(settings, null, 2), {mode: 0o600})
    // Written per launch: it carries this launch's id and secret.
    await deps.ports.host.writeAtomic(mcpConfigFile, JSON.stringify(agentMcpConfig(deps.launch.ccmcpCommand, spec.env), null, 2), {mode: 0o600})
  }
  return deps.ports.backend(session.backend).openTab({
    group: session.name,
    title: `${agent.name} · ${session.name}`,
    agentKey: agentKey(agent),
    launchId: agent.launchId,
    cwd,
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
    await deps.ports.backend(agent.tab.backend).closeTab(agent.tab)
    return
  }
  if (!agent.launchId || agent.status === 'closed') return
  const backend = sessionBackend(await deps.ports.state.read(), agent)
  if (!backend) return
  const tabs = await deps.ports.backend(backend).listTabs().catch(() => [])
  for (const info of tabs) {
    if (info.launchId === agent.launchId) await deps.ports.backend(backend).closeTab({...info.tab, launchId: agent.launchId})
  }
}

export async function removeAgentFiles(deps: CoreDeps, agent: Pick<Agent, 'session' | 'name'>): Promise<void> {
  await deps.ports.host.remove(agentDir(deps, agent))
  await deps.ports.host.remove(eventLogPath(deps.settings.paths.eventsDir, agent.session, agent.name))
}

export async function removeSessionFiles(deps: CoreDeps, session: string): Promise<void> {
  await deps.ports.host.remove(path.join(deps.settings.paths.home, 'agents', session))
  await deps.ports.host.remove(path.join(deps.settings.paths.home, 'messages', `${session}.json`))
  await deps.ports.host.remove(path.join(deps.settings.paths.eventsDir, session))
}
