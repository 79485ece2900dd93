/** Tokens, estimated cost and worktree state in a few characters, for the tables and the TUI. */
import type {TokenCounts, Usage} from '../core/usage/usage.js'
import type {WorktreeStatus} from '../core/worktrees/inspect.js'

export function compactCount(count: number): string {
  if (count < 1000) return String(count)
  if (count < 1_000_000) return `${(count / 1000).toFixed(count < 10_000 ? 1 : 0)}k`
  return `${(count / 1_000_000).toFixed(count < 10_000_000 ? 1 : 0)}M`
}

export const totalTokens = (tokens: TokenCounts): number => tokens.input + tokens.output + tokens.cacheRead + tokens.cacheWrite

/** `~$0.42` (an estimate, so the tilde), or `$?` when a model has no price. */
export function costLabel(usage: Usage): string {
  if (usage.costUsd === null) return '$?'
  return `~$${usage.costUsd < 0.01 && usage.costUsd > 0 ? usage.costUsd.toFixed(4) : usage.costUsd.toFixed(2)}`
}

/** `12.3k tok ~$0.42`; empty for an agent with no transcript to count. */
export function usageLabel(usage: Usage | null | undefined): string {
  if (!usage) return ''
  return `${compactCount(totalTokens(usage.tokens))} tok ${costLabel(usage)}`
}

/** Every count spelled out, for a session's total line. */
export function usageLine(usage: Usage): string {
  const {input, output, cacheRead, cacheWrite} = usage.tokens
  const cost = usage.costUsd === null ? `cost unknown (${usage.costNote ?? 'no price'})` : `${costLabel(usage)} (${usage.costNote ?? 'estimate'})`
  return `tokens: ${input} in, ${output} out, ${cacheRead} cache read, ${cacheWrite} cache write · ${cost}`
}

/** `ccmcp/s/Agent_1 ✎2 ↑3`: uncommitted changes and commits not merged yet. */
export function gitLabel(git: WorktreeStatus | null | undefined): string {
  if (!git) return ''
  if (git.uncommitted === null) return `${git.branch} (${git.error ?? 'unreadable'})`
  const marks = [git.uncommitted > 0 ? `✎${git.uncommitted}` : '', (git.unmerged ?? 0) > 0 ? `↑${git.unmerged}` : ''].filter(Boolean)
  return [git.branch, ...marks].join(' ')
}
