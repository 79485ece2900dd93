/**
 * Agents as status reads show them: the stored record plus what is computed on demand — tokens
 * and estimated cost from the transcript (incremental, cheap) and, for agents with a worktree,
 * its branch and unmerged work (git, only when asked for).
 */
import * as z from 'zod'

import {type Agent, PublicAgent, type SessionRecord, type State} from '../domain/state.js'
import type {CoreDeps} from '../pipeline/operation.js'
import {readAgentUsage} from '../usage/agent-usage.js'
import {Usage, sumUsage} from '../usage/usage.js'
import {WorktreeStatus, inspectSessionWorktrees} from '../worktrees/inspect.js'

export const AgentView = PublicAgent.extend({
  usage: Usage.nullable().optional().describe('Tokens and ESTIMATED cost from its transcript (claude agents; null for other programs)'),
  git: WorktreeStatus.nullable().optional().describe('Its worktree, branch and unmerged work (agents with a worktree; null otherwise or when not computed)'),
})
export type AgentView = z.infer<typeof AgentView>

export const SessionUsage = Usage.describe('Tokens and ESTIMATED cost of all the session\'s agents')

export async function agentViews(deps: CoreDeps, state: State, agents: Agent[], options: {git: boolean}): Promise<AgentView[]> {
  const prices = (await deps.ports.config.read()).prices
  const gitStatus = new Map<Agent, z.infer<typeof WorktreeStatus>>()
  if (options.git) {
    for (const session of state.sessions) {
      const mine = agents.filter((agent) => agent.session === session.name)
      for (const [agent, status] of await inspectSessionWorktrees(deps, session as SessionRecord, mine).catch(() => new Map())) gitStatus.set(agent, status)
    }
  }
  return Promise.all(
    agents.map(async (agent) => ({
      ...agent,
      // A transcript that cannot be read must not fail a status read.
      usage: await readAgentUsage(deps, agent, prices).catch((error: unknown) => {
        deps.ports.logger.warn(`could not read the transcript of ${agent.session}/${agent.name}`, {error: (error as Error).message})
        return null
      }),
      git: gitStatus.get(agent) ?? null,
    })),
  )
}

export async function sessionUsage(deps: CoreDeps, views: AgentView[]): Promise<Usage> {
  const prices = (await deps.ports.config.read()).prices
  return sumUsage(views.flatMap((view) => (view.usage ? [view.usage] : [])), prices)
}
