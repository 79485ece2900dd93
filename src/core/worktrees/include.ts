/**
 * `.worktreeinclude`, as Claude Code reads it: a file at the repository's top level with
 * .gitignore-style patterns; files git ignores that match one of them (an `.env`, local config)
 * are copied into each new worktree. git itself matches both pattern sets, so the semantics are git's.
 */
import path from 'node:path'

import type {CoreDeps} from '../pipeline/operation.js'
import {gitOutput, nulList} from './git.js'

export const WORKTREE_INCLUDE = '.worktreeinclude'

/** Copies the matching ignored files from `top` into `worktree`; returns their repository-relative paths. */
export async function copyWorktreeIncludes(deps: CoreDeps, top: string, worktree: string): Promise<string[]> {
  const includeFile = path.join(top, WORKTREE_INCLUDE)
  if ((await deps.ports.host.stat(includeFile))?.kind !== 'file') return []
  const ignored = nulList(await gitOutput(deps, top, ['ls-files', '-z', '--others', '--ignored', '--exclude-standard']))
  const included = new Set(nulList(await gitOutput(deps, top, ['ls-files', '-z', '--others', '--ignored', `--exclude-from=${includeFile}`])))
  const copied: string[] = []
  for (const file of ignored) {
    if (!included.has(file)) continue
    const from = path.join(top, file)
    if ((await deps.ports.host.stat(from))?.kind !== 'file') continue
    const to = path.join(worktree, file)
    await deps.ports.host.mkdir(path.dirname(to))
    await deps.ports.host.copy(from, to)
    copied.push(file)
  }
  return copied
}
