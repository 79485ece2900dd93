/**
 * `agent merge`: brings an agent's branch into a target branch with plain `git merge` (no
 * automatic conflict resolution). On a conflict the merge is aborted, everything stays as it
 * was, and the error names the conflicting files. On success the agent's worktree, its branch
 * and the agent itself are removed: its working directory is gone, so it cannot go on.
 */
import path from 'node:path'

import {CcmcpError} from '../domain/errors.js'
import {type Agent, type AgentWorktree, type SessionRecord, agentKey} from '../domain/state.js'
import type {CoreDeps} from '../pipeline/operation.js'
import {branchExists, currentBranch, gitFailure, gitOutput, nulList, runGit} from './git.js'
import {requireRepository} from './create.js'
import {inspectWorktree} from './inspect.js'

/** Statuses in which the agent may still be changing its worktree. */
const MID_TURN = new Set(['starting', 'busy', 'waiting'])

export interface MergeResult {
  branch: string
  into: string
  commit: string
  /** Where the merge ran: the checkout that has the target branch, or a temporary worktree. */
  mergedIn: string
}

export async function mergeAgentBranch(deps: CoreDeps, session: SessionRecord, agent: Agent, into: string | undefined): Promise<MergeResult> {
  const worktree = agent.worktree
  if (!worktree) {
    throw new CcmcpError('INVALID_INPUT', `${agentKey(agent)} has no worktree of its own, so there is no branch to merge.`, {hint: 'Only agents created with --worktree can be merged.'})
  }
  if (MID_TURN.has(agent.status)) {
    throw new CcmcpError('CONFLICT', `${agentKey(agent)} is ${agent.status}; it may still be changing its worktree.`, {
      hint: {cli: `Wait for its turn to end (\`ccmcp agent wait ${agentKey(agent)}\`), then merge.`, mcp: 'Wait for its turn to end (wait_for_agent), then merge.'},
    })
  }
  const top = await requireRepository(deps, session)
  const target = into ?? (await currentBranch(deps, session.root))
  if (!target) {
    throw new CcmcpError('INVALID_INPUT', `The session root ${session.root} has a detached HEAD, so there is no branch to merge into.`, {hint: {cli: 'Name one with --into BRANCH.', mcp: 'Name one with into.'}})
  }
  if (target === worktree.branch) throw new CcmcpError('INVALID_INPUT', `"${target}" is the agent's own branch.`, {hint: 'Merge it into another branch.'})
  if (!(await branchExists(deps, top, target))) {
    throw new CcmcpError('NOT_FOUND', `There is no branch "${target}" in ${top}.`, {hint: 'Name an existing local branch (git branch lists them).'})
  }
  const own = await inspectWorktree(deps, top, worktree, target)
  if ((own.uncommitted ?? 0) > 0) {
    throw new CcmcpError('CONFLICT', `${agentKey(agent)} has ${own.uncommitted} uncommitted change(s) in ${worktree.path}; a merge would leave them out and removing the worktree would lose them.`, {
      hint: 'Have the agent commit them (or discard them), then merge again.',
    })
  }
  const checkedOut = await checkoutOf(deps, top, target)
  const mergedIn = checkedOut ?? (await temporaryCheckout(deps, top, worktree, target))
  try {
    if (checkedOut) await assertClean(deps, checkedOut, target)
    const args = ['merge', '--no-edit', '-m', `Merge ${worktree.branch} (ccmcp agent ${agentKey(agent)})`, '--end-of-options', `refs/heads/${worktree.branch}`]
    const merged = await runGit(deps, mergedIn, args)
    if (merged.exitCode !== 0) {
      const conflicts = nulList((await runGit(deps, mergedIn, ['diff', '--name-only', '-z', '--diff-filter=U'])).stdout)
      await runGit(deps, mergedIn, ['merge', '--abort'])
      if (conflicts.length === 0) throw gitFailure(args, merged)
      throw new CcmcpError('CONFLICT', `Merging ${worktree.branch} into ${target} conflicts in: ${conflicts.join(', ')}. The merge was aborted; nothing changed.`, {
        hint: `Resolve it yourself (e.g. merge ${target} into ${worktree.branch} in ${worktree.path} and fix the files), or have the agent do it; then merge again.`,
        details: {conflicts},
      })
    }
    const commit = (await gitOutput(deps, mergedIn, ['rev-parse', 'HEAD'])).trim()
    return {branch: worktree.branch, into: target, commit, mergedIn: checkedOut ?? top}
  } finally {
    if (!checkedOut) await runGit(deps, top, ['worktree', 'remove', '--force', mergedIn])
  }
}

/** The worktree that has `branch` checked out (the main one included), if any. */
async function checkoutOf(deps: CoreDeps, top: string, branch: string): Promise<string | null> {
  const listing = await gitOutput(deps, top, ['worktree', 'list', '--porcelain', '-z'])
  let current: string | null = null
  for (const field of nulList(listing)) {
    if (field.startsWith('worktree ')) current = field.slice('worktree '.length)
    else if (field === `branch refs/heads/${branch}`) return current
  }
  return null
}

/** A branch checked out nowhere is merged in a throwaway worktree, so no checkout of the user's changes. */
async function temporaryCheckout(deps: CoreDeps, top: string, worktree: AgentWorktree, target: string): Promise<string> {
  const dir = path.join(path.dirname(worktree.path), `.merge-${path.basename(worktree.path)}-${deps.ports.clock.now().getTime().toString(36)}`)
  await gitOutput(deps, top, ['worktree', 'add', dir, target])
  return dir
}

async function assertClean(deps: CoreDeps, checkout: string, target: string): Promise<void> {
  const status = await gitOutput(deps, checkout, ['status', '--porcelain=v1', '-z', '--untracked-files=no'])
  if (nulList(status).length > 0) {
    throw new CcmcpError('CONFLICT', `${checkout} (where ${target} is checked out) has uncommitted changes; ccmcp merges only into a clean checkout.`, {
      hint: 'Commit or stash them there, then merge again.',
    })
  }
}
