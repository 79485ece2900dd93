/**
 * Removing agents' worktrees when they are deleted: refused while one holds uncommitted or
 * unmerged work (unless forced), so deleting an agent never loses what it did. A branch is
 * deleted with its worktree only when it has nothing the root's branch lacks.
 */
import {CcmcpError} from '../domain/errors.js'
import {type Agent, type AgentWorktree, type SessionRecord, agentKey} from '../domain/state.js'
import type {CoreDeps} from '../pipeline/operation.js'
import {gitFailure, runGit} from './git.js'
import {inspectSessionWorktrees, unsavedWork} from './inspect.js'

/** Throws CONFLICT naming every agent whose worktree holds work, before anything is removed. */
export async function assertWorktreesRemovable(deps: CoreDeps, session: SessionRecord, agents: Agent[], force: boolean): Promise<void> {
  if (force) return
  const statuses = await inspectSessionWorktrees(deps, session, agents)
  const blocked: string[] = []
  for (const [agent, status] of statuses) {
    const work = unsavedWork(status)
    if (work) blocked.push(`${agentKey(agent)} (${status.branch} in ${status.path}): ${work}`)
  }
  if (blocked.length === 0) return
  throw new CcmcpError('CONFLICT', `Not deleted: removing the worktree would lose work.\n${blocked.join('\n')}`, {
    hint: {
      cli: 'Commit and merge it first (`ccmcp agent merge <agent>`), or pass --force to remove the worktree anyway (a branch with unmerged commits is kept).',
      mcp: 'Merge it first (merge_agent), or pass force: true to remove the worktree anyway (a branch with unmerged commits is kept).',
    },
    details: {blocked},
  })
}

/**
 * Removes the worktree (forced: even with changes) and its branch when it holds nothing
 * unmerged (into `mergedInto`, else the root's branch). Returns whether the branch is gone.
 */
export async function removeAgentWorktree(deps: CoreDeps, session: SessionRecord, worktree: AgentWorktree, force: boolean, mergedInto?: string): Promise<{branchDeleted: boolean}> {
  const repo = session.root
  if ((await deps.ports.host.stat(worktree.path))?.kind === 'directory') {
    const args = ['worktree', 'remove', ...(force ? ['--force'] : []), worktree.path]
    const removed = await runGit(deps, repo, args)
    if (removed.exitCode !== 0) throw gitFailure(args, removed)
  } else {
    // Removed by hand: let git forget it.
    await runGit(deps, repo, ['worktree', 'prune'])
  }
  const target = mergedInto ? null : await runGit(deps, repo, ['symbolic-ref', '--quiet', '--short', 'HEAD'])
  const against = mergedInto ? `refs/heads/${mergedInto}` : target?.exitCode === 0 ? `refs/heads/${target.stdout.trim()}` : 'HEAD'
  const count = await runGit(deps, repo, ['rev-list', '--count', `${against}..refs/heads/${worktree.branch}`])
  if (count.exitCode !== 0 || Number(count.stdout.trim()) > 0) return {branchDeleted: false}
  const deleted = await runGit(deps, repo, ['branch', '-D', worktree.branch])
  return {branchDeleted: deleted.exitCode === 0}
}
