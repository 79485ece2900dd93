/** merge_agent: bring an agent's worktree branch into a branch of the repository, then retire the agent. */
import * as z from 'zod'

import {reconciledState} from '../agents/live-state.js'
import {closeAgentTab, removeAgentFiles} from '../agents/tabs.js'
import {findAgent, findSession} from '../agents/resolve.js'
import {Name, agentKey} from '../domain/state.js'
import {defineOperation} from '../pipeline/operation.js'
import {mergeAgentBranch} from '../worktrees/merge.js'
import {removeAgentWorktree} from '../worktrees/remove.js'
import {AgentRef} from './agents.js'

export const mergeAgent = defineOperation({
  name: 'merge_agent',
  title: "Merge agent's branch",
  description:
    "Merge an agent's worktree branch into a branch (default: the one checked out at the session root) with plain git merge, never resolving conflicts: on a conflict the merge is aborted, nothing changes, and the conflicting files are named. On success the agent's tab is closed, its worktree and branch removed and the agent forgotten. Refused while the agent is mid-turn or has uncommitted changes.",
  // HIGH: it changes the user's branch and deletes the agent and its worktree (MEDIUM may not delete).
  level: 'HIGH',
  // It changes the user's branch: never an agent's call, whatever its session allows.
  callers: ['operator', 'mcp'],
  scope: (input) => ({agents: [input.agent]}),
  annotations: {readOnly: false, destructive: true, idempotent: false},
  mcp: true,
  input: z.object({
    agent: AgentRef,
    into: z.string().min(1).max(200).optional().describe('Branch to merge into (default: the branch checked out at the session root)'),
  }),
  output: z.object({
    merged: z.object({
      session: Name,
      agent: Name,
      branch: z.string().describe("The agent's branch"),
      into: z.string().describe('The branch it was merged into'),
      commit: z.string().describe('The commit the target branch now points at'),
    }),
    removed: z.object({worktree: z.string(), branchDeleted: z.boolean()}),
  }),
  async handler(input, {deps}) {
    const state = await reconciledState(deps)
    const agent = findAgent(state, input.agent)
    const session = findSession(state, agent.session)
    const result = await mergeAgentBranch(deps, session, agent, input.into)
    const worktree = agent.worktree as NonNullable<typeof agent.worktree>
    await closeAgentTab(deps, agent)
    const removed = await removeAgentWorktree(deps, session, worktree, false, result.into)
    await deps.ports.state.update((current) => ({value: {...current, agents: current.agents.filter((candidate) => agentKey(candidate) !== agentKey(agent))}, result: undefined}))
    await removeAgentFiles(deps, agent)
    return {
      merged: {session: agent.session, agent: agent.name, branch: result.branch, into: result.into, commit: result.commit},
      removed: {worktree: worktree.path, branchDeleted: removed.branchDeleted},
    }
  },
})
