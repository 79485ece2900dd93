/**
 * Reconciles stored statuses with what the terminal actually has, from ONE list call per
 * backend: a tab that vanished makes its agent `lost`; a tab whose program ended makes it
 * `exited`. Nothing is polled per agent.
 */
import {type Agent, type TabRef, agentKey} from './domain.js'
import type {TabInfo} from './ports.js'

export function tabKey(tab: TabRef): string {
  return tab.backend === 'tmux' ? `tmux:${tab.paneId}` : `iterm2:${tab.sessionId}`
}

type Patch = Pick<Agent, 'status' | 'lastError'>

/** The change reconciliation makes to one agent, or null. Pure. */
export function reconcileAgent(agent: Agent, tabs: ReadonlyMap<string, TabInfo>): Patch | null {
  if (!agent.tab || agent.status === 'closed' || agent.status === 'lost') return null
  const info = tabs.get(tabKey(agent.tab))
  // Pane ids restart with a new tmux server: a tab carrying another agent's key is not ours.
  const ours = info && (info.agentKey === null || info.agentKey === agentKey(agent))
  if (!info || !ours) return agent.status === 'exited' ? null : {status: 'lost', lastError: agent.lastError}
  if (!info.alive) {
    if (agent.status === 'exited' && agent.lastError) return null
    const lastError = info.exitStatus ? `exited with status ${info.exitStatus}` : agent.lastError
    return agent.status === 'exited' && lastError === agent.lastError ? null : {status: 'exited', lastError}
  }
  return null
}

export function indexTabs(tabs: readonly TabInfo[]): Map<string, TabInfo> {
  return new Map(tabs.map((info) => [tabKey(info.tab), info]))
}
