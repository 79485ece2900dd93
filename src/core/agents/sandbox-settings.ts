/**
 * The part of a claude agent's --settings that confines it to its session root
 * (claude-code-2.md §1; README "Confinement"). Two layers, since neither holds alone:
 * - Bash runs in Claude Code's sandbox (bubblewrap + socat on Linux, Seatbelt on macOS). Its
 *   filesystem view denies reading `/` and re-opens only the system directories programs need,
 *   the session root and the agent's working directory. Roots live anywhere, so denying `/`
 *   is the one parent that holds every other session's root, including ones created after
 *   this agent started. A denied directory becomes an empty tmpfs, so the real one is never
 *   written either. A deny inside an allowed directory wins (measured), so ccmcp's home, Claude
 *   Code's transcripts and session registry, and other roots under a system directory stay
 *   hidden even there.
 * - Read/Write/Edit obey `blockReads/WritesOutsideWorkingDirectories`; `denyInsteadOfPrompting`
 *   turns the prompt they would raise into a refusal, so an agent never stops on one.
 * Pure: every path comes in, JSON comes out.
 */
import path from 'node:path'

import type {SessionSandbox} from '../domain/state.js'

export interface ConfinementInput {
  sandbox: SessionSandbox
  /** The session root (absolute, symlink-free). */
  root: string
  /** Where the agent runs (its cwd): the root, or a worktree of it elsewhere. */
  workDir: string
  /** Every other session's root. */
  otherRoots: readonly string[]
  ccmcpHome: string
  /** Claude Code's config directory: $CLAUDE_CONFIG_DIR, else ~/.claude. */
  claudeConfigDir: string
  platform: NodeJS.Platform
}

/** Read-only directories the agent's shell needs to run git, node, npm and the like. */
export const SYSTEM_READ_DIRS: Readonly<Record<string, readonly string[]>> = {
  linux: ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32', '/etc', '/opt', '/nix', '/snap', '/proc', '/dev', '/sys'],
  // Not measured here (no macOS in CI): the system's own trees plus Homebrew and MacPorts.
  darwin: ['/System', '/Library', '/Applications', '/usr', '/bin', '/sbin', '/opt', '/nix', '/etc', '/private/etc', '/private/var/db', '/dev'],
}

/** Claude Code's own peer messaging would let an agent bypass ccmcp's session-scoped messages. */
const REFUSE_PEER_MESSAGES = {crossSessionInbound: 'refuse'} as const

/** What no confined agent may see, whatever its root: ccmcp's home, Claude Code's transcripts and session registry. */
export function hiddenFromAgents(ccmcpHome: string, claudeConfigDir: string): string[] {
  return [ccmcpHome, path.join(claudeConfigDir, 'projects'), path.join(claudeConfigDir, 'sessions')]
}

export function confinementSettings(input: ConfinementInput): Record<string, unknown> {
  if (!input.sandbox.enabled) return {...REFUSE_PEER_MESSAGES}
  const own = unique([input.root, input.workDir])
  const extraWrite = input.sandbox.allowWrite
  const hidden = [
    ...hiddenFromAgents(input.ccmcpHome, input.claudeConfigDir),
    // A root equal to this agent's own would hide its own files: two sessions may share a root.
    ...input.otherRoots.filter((root) => !own.includes(root)),
  ]
  const domains = input.sandbox.allowDomains
  // The file tools' other working directories: the root when the cwd is a worktree, and allowWrite.
  const additional = unique([...own.filter((dir) => dir !== input.workDir), ...extraWrite])
  return {
    ...REFUSE_PEER_MESSAGES,
    sandbox: {
      enabled: true,
      // Missing bwrap/socat must stop the agent, never run its commands unconfined.
      failIfUnavailable: true,
      autoAllowBashIfSandboxed: true,
      allowUnsandboxedCommands: false,
      filesystem: {
        denyRead: unique(['/', ...hidden]),
        allowRead: unique([...own, ...(SYSTEM_READ_DIRS[input.platform] ?? []), ...input.sandbox.allowRead, ...extraWrite]),
        allowWrite: unique([...own, ...extraWrite]),
      },
      ...(domains.length > 0 ? {network: {allowedDomains: unique(domains)}} : {}),
    },
    permissions: {
      blockReadsOutsideWorkingDirectories: true,
      blockWritesOutsideWorkingDirectories: true,
      denyInsteadOfPrompting: true,
      ...(additional.length > 0 ? {additionalDirectories: additional} : {}),
    },
  }
}

/**
 * Settings objects merged key by key (objects recursively, arrays concatenated without
 * duplicates), so hooks, confinement and other parts each add to `permissions` and `sandbox`.
 */
export function mergeSettings(...parts: Array<Record<string, unknown>>): Record<string, unknown> {
  const merged: Record<string, unknown> = {}
  for (const part of parts) {
    for (const [key, value] of Object.entries(part)) {
      const current = merged[key]
      if (Array.isArray(current) && Array.isArray(value)) merged[key] = unique([...current, ...value])
      else if (isRecord(current) && isRecord(value)) merged[key] = mergeSettings(current, value)
      else merged[key] = value
    }
  }
  return merged
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)]
}
