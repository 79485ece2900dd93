/**
 * Reconciles stored statuses with what the terminal actually has, from ONE list call per
 * backend: a tab that vanished makes its agent `lost`; a tab whose program ended makes it
 * `exited`. Nothing is polled per agent. A tab is an agent's only while it carries the agent's
 * launch id: tmux ids restart with a new server and then name other agents' tabs.
 */
import {type Agent, type TabRef, agentKey} from '../domain/state.js'
import type {TabInfo} from '../ports.js'
import {isTabless} from '../domain/status.js'

export function tabKey(tab: TabRef): string {
  return tab.backend === 'tmux' ? `tmux:${tab.paneId}` : `iterm2:${tab.sessionId}`
}

type Patch = Partial<Pick<Agent, 'status' | 'lastError' | 'tab' | 'launcherPid'>>

/** Whether a listed tab is this launch of the agent (tabs from before launch ids: by agent key). */
export function carriesIdentity(info: TabInfo, agent: Pick<Agent, 'session' | 'name' | 'launchId'>): boolean {
  if (info.launchId !== null) return info.launchId === agent.launchId
  return info.agentKey !== null && info.agentKey === agentKey(agent)
}

/**
 * The change reconciliation makes to one agent, or null. Pure. `launcherGone` says whether the
 * process that was launching a tabless agent has died (a killed `agent create`).
 */
export function reconcileAgent(agent: Agent, tabs: ReadonlyMap<string, TabInfo>, launcherGone = false): Patch | null {
  if (isTabless(agent)) return null
  if (!agent.tab) return launcherGone ? adoptOrLose(agent, tabs) : null
  const info = tabs.get(tabKey(agent.tab))
  if (!info || !carriesIdentity(info, agent)) return agent.status === 'exited' ? null : {status: 'lost', lastError: agent.lastError}
  if (!info.alive) {
    if (agent.status === 'exited' && agent.lastError) return null
    const lastError = info.exitStatus ? `exited with status ${info.exitStatus}` : agent.lastError
    return agent.status === 'exited' && lastError === agent.lastError ? null : {status: 'exited', lastError}
  }
  return null
}

/** Its creator died between opening the tab and recording it: adopt the tab that carries its identity, else it is lost. */
function adoptOrLose(agent: Agent, tabs: ReadonlyMap<string, TabInfo>): Patch {
  const found = agent.launchId === null ? undefined : [...tabs.values()].find((info) => info.launchId === agent.launchId)
  if (!found) return {status: 'lost', launcherPid: null, lastError: 'its launch was interrupted before a tab opened'}
  const tab = {...found.tab, launchId: found.launchId ?? undefined}
  // A program reports nothing, so alive is all there is to know; a claude agent's hooks go on reporting.
  const status = !found.alive ? 'exited' : agent.kind === 'command' && agent.status === 'starting' ? 'unknown' : agent.status
  return {tab, status, launcherPid: null}
}

export function indexTabs(tabs: readonly TabInfo[]): Map<string, TabInfo> {
  return new Map(tabs.map((info) => [tabKey(info.tab), info]))
}
