/** The worktree part of `create_agent`: checked before anything changes, made once the name is reserved. */
import {updateAgent} from '../agents/agent-store.js'
import {findSession} from '../agents/resolve.js'
import {CcmcpError} from '../domain/errors.js'
import {type Agent, type AgentWorktree, type SessionRecord, agentKey} from '../domain/state.js'
import type {CoreDeps} from '../pipeline/operation.js'
import {type WorktreeRequest, assertBranchFree, createWorktree, defaultBranch, discardWorktree, requireRepository, validBranchName, validWorktreeName} from './create.js'

interface CreateInput {
  session: string
  worktree?: boolean
  worktreeName?: string
  branch?: string
  base?: string
  reuseBranch: boolean
}

/** The worktree the agent is to get (null: none), after every check that needs no name: nothing has changed yet. */
export async function checkWorktreeRequest(deps: CoreDeps, input: CreateInput): Promise<WorktreeRequest | null> {
  const session = findSession(await deps.ports.state.read(), input.session)
  const wanted = input.worktree ?? session.worktrees
  if (!wanted) {
    if (input.worktreeName !== undefined || input.branch !== undefined || input.base !== undefined || input.reuseBranch) {
      throw new CcmcpError('INVALID_INPUT', 'A worktree name, branch, base or reuse-branch was given for an agent without a worktree.', {
        hint: {cli: 'Add --worktree, or leave out --branch, --base and --reuse-branch.', mcp: 'Pass worktree: true, or leave out worktreeName, branch, base and reuseBranch.'},
      })
    }
    return null
  }
  if (input.worktreeName !== undefined) validWorktreeName(input.worktreeName)
  const top = await requireRepository(deps, session)
  // The default branch is named after the worktree: it must be a valid, free branch too.
  const branch = input.branch ?? (input.worktreeName === undefined ? undefined : defaultBranch(session.name, input.worktreeName))
  if (branch !== undefined) {
    await validBranchName(deps, top, branch)
    await assertBranchFree(deps, top, branch, input)
  }
  return {name: input.worktreeName, branch: input.branch, base: input.base, reuseBranch: input.reuseBranch}
}

/** Makes the worktree for an agent already reserved in state, and records it on the agent. */
export async function withWorktree(deps: CoreDeps, agent: Agent, session: SessionRecord, request: WorktreeRequest): Promise<Agent> {
  const worktree = await createWorktree(deps, session, agent.name, request)
  try {
    return await updateAgent(deps, agentKey(agent), (current) => ({...current, worktree}))
  } catch (error) {
    await discardWorktree(deps, session.root, worktree, !request.reuseBranch)
    throw error
  }
}

/** A create that failed before its agent ever ran leaves no worktree behind. */
export async function discardNewWorktree(deps: CoreDeps, session: SessionRecord, worktree: AgentWorktree): Promise<void> {
  const reused = worktree.base === worktree.branch
  await discardWorktree(deps, session.root, worktree, !reused).catch((error: unknown) => {
    deps.ports.logger.warn(`could not remove the worktree ${worktree.path}`, {error: (error as Error).message})
  })
}
