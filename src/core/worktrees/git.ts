/**
 * Running git for worktrees: always through the Exec port with an argv array (never a shell),
 * in a given directory, with failures turned into errors that quote git's own words.
 */
import {CcmcpError} from '../domain/errors.js'
import type {CoreDeps} from '../pipeline/operation.js'
import type {ExecResult} from '../ports.js'

/** Long enough for a `git worktree add` of a big checkout on a loaded machine. */
const GIT_TIMEOUT_MS = 120_000

export async function runGit(deps: CoreDeps, cwd: string, args: readonly string[], options: {timeoutMs?: number} = {}): Promise<ExecResult> {
  // No pager, no editor, no credential prompt: nothing may wait for a terminal that is not there.
  const env = {...deps.launch.env, GIT_TERMINAL_PROMPT: '0', GIT_MERGE_AUTOEDIT: 'no', GIT_PAGER: 'cat'}
  const result = await deps.ports.exec('git', ['-C', cwd, ...args], {cwd, env, timeoutMs: options.timeoutMs ?? GIT_TIMEOUT_MS})
  if (result.notFound) {
    throw new CcmcpError('ENVIRONMENT', 'git was not found on PATH; worktrees need it.', {hint: 'Install git (apt-get install git / xcode-select --install), or create the agent without --worktree.'})
  }
  return result
}

/** git's output, or an error naming the command and what git said. */
export async function gitOutput(deps: CoreDeps, cwd: string, args: readonly string[], options: {timeoutMs?: number} = {}): Promise<string> {
  const result = await runGit(deps, cwd, args, options)
  if (result.exitCode !== 0) throw gitFailure(args, result)
  return result.stdout
}

export function gitFailure(args: readonly string[], result: ExecResult): CcmcpError {
  const said = (result.stderr || result.stdout).trim() || (result.timedOut ? 'timed out' : `exit ${result.exitCode ?? 'unknown'}`)
  return new CcmcpError('ENVIRONMENT', `\`git ${args.join(' ')}\` failed: ${said}`, {hint: 'Run the same git command in the repository to see why; fix the repository, then try again.'})
}

/** The repository's top-level directory holding `dir`, or null when `dir` is not in a git work tree. */
export async function repoTopLevel(deps: CoreDeps, dir: string): Promise<string | null> {
  const result = await runGit(deps, dir, ['rev-parse', '--show-toplevel'])
  return result.exitCode === 0 ? result.stdout.trim() || null : null
}

export async function branchExists(deps: CoreDeps, repo: string, branch: string): Promise<boolean> {
  return (await runGit(deps, repo, ['show-ref', '--verify', '--quiet', `refs/heads/${branch}`])).exitCode === 0
}

/** The branch checked out in `dir`, or null on a detached HEAD. */
export async function currentBranch(deps: CoreDeps, dir: string): Promise<string | null> {
  const result = await runGit(deps, dir, ['symbolic-ref', '--quiet', '--short', 'HEAD'])
  return result.exitCode === 0 ? result.stdout.trim() || null : null
}

/** Paths git reports NUL-separated (`-z`), so names with spaces or newlines survive. */
export const nulList = (text: string): string[] => text.split('\0').filter((entry) => entry !== '')
