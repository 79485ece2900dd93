/**
 * Giving an agent its own git worktree: `git worktree add` on a new branch, outside the
 * repository (a sibling `<repo>.ccmcp-worktrees/<session>/<agent>`, or config worktreeDir), then
 * `.worktreeinclude` and the session's setup command prepare it. A failure removes what was made.
 */
import path from 'node:path'

import {CcmcpError} from '../domain/errors.js'
import type {AgentWorktree, SessionRecord} from '../domain/state.js'
import type {CoreDeps} from '../pipeline/operation.js'
import {branchExists, gitFailure, gitOutput, repoTopLevel, runGit} from './git.js'
import {copyWorktreeIncludes} from './include.js'
import {runSetup} from './setup.js'

export interface WorktreeRequest {
  /** The worktree's folder name and default branch's last part (default: the agent's name). */
  name?: string
  /** Branch to create (default `ccmcp/<session>/<name>`). */
  branch?: string
  /** What to branch from (default HEAD of the session root's checkout). */
  base?: string
  /** Check out an existing branch instead of refusing it. */
  reuseBranch?: boolean
}

/** The repository's top level; a root outside any git repository is a clear error before anything changes. */
export async function requireRepository(deps: CoreDeps, session: Pick<SessionRecord, 'name' | 'root'>): Promise<string> {
  const top = await repoTopLevel(deps, session.root)
  if (top === null) {
    throw new CcmcpError('INVALID_INPUT', `The root of session "${session.name}" is not in a git repository (${session.root}), so an agent cannot get a worktree there.`, {
      hint: {cli: 'Run `git init` there (and commit), or create the agent without --worktree (use --no-worktree when the session defaults to worktrees).', mcp: 'Run git init there, or create the agent with worktree: false.'},
    })
  }
  return top
}

export async function validBranchName(deps: CoreDeps, repo: string, branch: string): Promise<string> {
  const result = await runGit(deps, repo, ['check-ref-format', '--branch', branch])
  if (result.exitCode !== 0 || branch.startsWith('-')) {
    throw new CcmcpError('INVALID_INPUT', `"${branch}" is not a valid git branch name.`, {hint: 'Use letters, digits, "/", "-", "_" or "."; no spaces, "..", "~", "^", ":" or a leading "-".'})
  }
  return branch
}

const WORKTREE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/u

/**
 * A worktree name (agent create --worktree NAME) becomes one folder and the last part of a branch
 * name, so it follows both: one path component, and git's ref rules (no "..", no ".lock" or "."
 * at the end); checked before anything changes.
 */
export function validWorktreeName(name: string): string {
  if (!WORKTREE_NAME.test(name) || name.includes('..') || name.endsWith('.lock') || name.endsWith('.')) {
    throw new CcmcpError('INVALID_INPUT', `"${name}" is not a valid worktree name: it becomes a folder and part of a git branch name.`, {
      hint: {
        cli: 'Use letters, digits, ".", "_" and "-", starting with a letter or digit (no "/", "..", spaces, or ".lock" at the end), e.g. --worktree fix-login; or pass --branch for the branch name.',
        mcp: 'Use letters, digits, ".", "_" and "-", starting with a letter or digit (no "/", "..", spaces, or ".lock" at the end), e.g. worktreeName: "fix-login"; or pass branch for the branch name.',
      },
    })
  }
  return name
}

export const defaultBranch = (session: string, name: string): string => `ccmcp/${session}/${name}`

/** Refuses an existing branch unless reusing it was asked for. */
export async function assertBranchFree(deps: CoreDeps, repo: string, branch: string, request: WorktreeRequest): Promise<boolean> {
  const exists = await branchExists(deps, repo, branch)
  if (exists && !request.reuseBranch) {
    throw new CcmcpError('ALREADY_EXISTS', `The branch "${branch}" already exists in ${repo}.`, {
      hint: {cli: 'Pick another --branch, or pass --reuse-branch to check the existing branch out in the new worktree.', mcp: 'Pick another branch, or pass reuseBranch: true to check the existing branch out.'},
    })
  }
  return exists
}

export function worktreeLocation(top: string, configured: string | undefined, session: string, agent: string): string {
  return configured ? path.join(configured, session, agent) : path.join(`${top}.ccmcp-worktrees`, session, agent)
}

export async function createWorktree(deps: CoreDeps, session: SessionRecord, agentName: string, request: WorktreeRequest): Promise<AgentWorktree> {
  const top = await requireRepository(deps, session)
  const name = request.name ?? agentName
  const branch = await validBranchName(deps, top, request.branch ?? defaultBranch(session.name, name))
  const reused = await assertBranchFree(deps, top, branch, request)
  const base = reused ? branch : (request.base ?? 'HEAD')
  const resolved = await runGit(deps, top, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${base}^{commit}`])
  if (resolved.exitCode !== 0) {
    throw new CcmcpError('INVALID_INPUT', `"${base}" does not name a commit in ${top}${base === 'HEAD' ? ' (the repository has no commit yet)' : ''}.`, {
      hint: base === 'HEAD' ? 'Make a first commit, then create the agent again.' : 'Give a branch, tag or commit id that exists (git log shows them).',
    })
  }
  const baseCommit = resolved.stdout.trim()
  const dir = worktreeLocation(top, (await deps.ports.config.read()).worktreeDir, session.name, name)
  if (await deps.ports.host.stat(dir)) {
    throw new CcmcpError('ALREADY_EXISTS', `The worktree directory ${dir} already exists.`, {hint: `Remove it (git worktree remove, or delete the folder), or give the ${request.name === undefined ? 'agent' : 'worktree'} another name.`})
  }
  await deps.ports.host.mkdir(path.dirname(dir))
  const addArgs = reused ? ['worktree', 'add', dir, branch] : ['worktree', 'add', '-b', branch, dir, baseCommit]
  const added = await runGit(deps, top, addArgs)
  if (added.exitCode !== 0) throw gitFailure(addArgs, added)
  const worktree: AgentWorktree = {path: dir, branch, base, baseCommit, cwd: path.join(dir, path.relative(top, session.root))}
  try {
    await copyWorktreeIncludes(deps, top, dir)
    if (session.setup) await runSetup(deps, session.setup, worktree.cwd)
  } catch (error) {
    await discardWorktree(deps, top, worktree, !reused)
    throw error
  }
  return worktree
}

/** Undoes a worktree ccmcp just made (nothing in it is anyone's work yet). */
export async function discardWorktree(deps: CoreDeps, top: string, worktree: AgentWorktree, dropBranch: boolean): Promise<void> {
  await runGit(deps, top, ['worktree', 'remove', '--force', worktree.path])
  if (dropBranch) await gitOutput(deps, top, ['branch', '-D', worktree.branch]).catch(() => undefined)
}
