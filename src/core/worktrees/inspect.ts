/**
 * What an agent's worktree holds that is not elsewhere yet: uncommitted changes, and commits on
 * its branch that the branch checked out at the session root does not have. Two git calls per
 * worktree agent (one more per session), only for agents with a worktree.
 */
import * as z from 'zod'

import type {Agent, AgentWorktree, SessionRecord} from '../domain/state.js'
import type {CoreDeps} from '../pipeline/operation.js'
import {currentBranch, nulList, runGit} from './git.js'

export const WorktreeStatus = z
  .object({
    path: z.string(),
    branch: z.string(),
    base: z.string(),
    target: z.string().nullable().describe('What unmerged is counted against: the branch checked out at the session root (null: detached HEAD, compared with HEAD)'),
    uncommitted: z.number().int().nullable().describe('Changed or untracked paths in the worktree (null: could not be read)'),
    unmerged: z.number().int().nullable().describe('Commits on the branch that the target does not have'),
    error: z.string().nullable().describe('Why the worktree could not be inspected (e.g. it was removed by hand)'),
  })
  .describe("The agent's git worktree and what work in it is not merged yet")
export type WorktreeStatus = z.infer<typeof WorktreeStatus>

export async function inspectWorktree(deps: CoreDeps, root: string, worktree: AgentWorktree, target: string | null): Promise<WorktreeStatus> {
  const known = {path: worktree.path, branch: worktree.branch, base: worktree.base, target}
  if ((await deps.ports.host.stat(worktree.path))?.kind !== 'directory') {
    return {...known, uncommitted: null, unmerged: null, error: `the worktree ${worktree.path} is missing`}
  }
  const [status, ahead] = await Promise.all([
    runGit(deps, worktree.path, ['status', '--porcelain=v1', '-z', '--no-renames', '--untracked-files=all']),
    runGit(deps, root, ['rev-list', '--count', `${target ? `refs/heads/${target}` : 'HEAD'}..refs/heads/${worktree.branch}`]),
  ])
  const uncommitted = status.exitCode === 0 ? nulList(status.stdout).length : null
  const unmerged = ahead.exitCode === 0 ? Number(ahead.stdout.trim()) : null
  const error = status.exitCode !== 0 ? status.stderr.trim() : ahead.exitCode !== 0 ? ahead.stderr.trim() : null
  return {...known, uncommitted, unmerged, error: error || null}
}

/** Status of every worktree agent of one session (the root's branch looked up once). */
export async function inspectSessionWorktrees(deps: CoreDeps, session: Pick<SessionRecord, 'root'>, agents: Agent[]): Promise<Map<Agent, WorktreeStatus>> {
  const result = new Map<Agent, WorktreeStatus>()
  const withWorktree = agents.filter((agent) => agent.worktree !== null)
  if (withWorktree.length === 0) return result
  const target = await currentBranch(deps, session.root)
  await Promise.all(withWorktree.map(async (agent) => result.set(agent, await inspectWorktree(deps, session.root, agent.worktree as AgentWorktree, target))))
  return result
}

/** Work that removing the worktree would lose, in words; null when there is none. */
export function unsavedWork(status: WorktreeStatus): string | null {
  if (status.uncommitted === null) {
    // A worktree folder removed by hand has nothing left to lose (its branch is kept if unmerged).
    if (status.error?.endsWith('is missing')) return null
    return `its worktree could not be checked (${status.error ?? 'git failed'})`
  }
  const parts: string[] = []
  if ((status.uncommitted ?? 0) > 0) parts.push(`${status.uncommitted} uncommitted change${status.uncommitted === 1 ? '' : 's'}`)
  if ((status.unmerged ?? 0) > 0) parts.push(`${status.unmerged} commit${status.unmerged === 1 ? '' : 's'} not merged into ${status.target ?? 'HEAD'}`)
  if (status.unmerged === null) parts.push(`commits that could not be compared with ${status.target ?? 'HEAD'}`)
  return parts.length > 0 ? parts.join(' and ') : null
}
