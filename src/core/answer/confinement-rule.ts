/**
 * The confinement rule the PermissionRequest hook applies before anyone is asked: in a sandboxed
 * session a tool call that reaches outside the agent's own directories is denied at once, so the
 * agent never shows `waiting` for it and nobody can allow it by mistake (README "Confinement").
 * Claude Code's own layers (blockReads/WritesOutsideWorkingDirectories, the sandbox) already
 * refuse most of these without asking; this covers what they hand to a prompt instead.
 * Pure: lexical paths in, a reason out. Deny is the safe side, so a doubtful path is outside.
 */
import path from 'node:path'

import type {Agent, Session} from '../domain/state.js'
import {sessionSandbox} from '../domain/state.js'
import {SYSTEM_READ_DIRS} from '../agents/sandbox-settings.js'
import {PATH_TOOLS, sanitize} from './request.js'

export interface ConfinementScope {
  /** Directories the file tools may write (and read): the root, the agent's worktree, allowWrite. */
  writable: string[]
  /** Directories the file tools may read besides those: allowRead. */
  readable: string[]
  /** Hidden even inside those: ccmcp's home, Claude Code's transcripts and registry, other roots. */
  hidden: string[]
  /** Directories a shell command may name without being outside (the sandbox's system dirs). */
  system: string[]
}

/** The scope of one agent of a sandboxed session; null when its session is not sandboxed. */
export function confinementScope(state: {sessions: ReadonlyArray<Pick<Session, 'name' | 'root'>>}, session: Pick<Session, 'name' | 'root' | 'sandbox'>, agent: Pick<Agent, 'worktree'> | undefined, hiddenDirs: readonly string[], platform: NodeJS.Platform = process.platform): ConfinementScope | null {
  const sandbox = sessionSandbox(session)
  if (!sandbox.enabled) return null
  const own = [session.root, ...(agent?.worktree ? [agent.worktree.path] : [])]
  const otherRoots = state.sessions.filter((other) => other.name !== session.name).map((other) => other.root).filter((root) => !own.includes(root))
  return {
    writable: [...own, ...sandbox.allowWrite],
    readable: sandbox.allowRead,
    hidden: [...hiddenDirs, ...otherRoots],
    system: [...(SYSTEM_READ_DIRS[platform] ?? [])],
  }
}

const within = (dir: string, file: string) => {
  const relative = path.relative(dir, file)
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative))
}

/** Tools whose use only reads. */
const READING_TOOLS: ReadonlySet<string> = new Set(['Read', 'Glob', 'Grep', 'LS'])
/** Input fields that name a file or directory, whatever the tool. */
const PATH_FIELD = /^(?:file_path|notebook_path|path|paths|directory|dir|cwd)$/u

function allowed(file: string, scope: ConfinementScope, reading: boolean, extra: readonly string[] = []): boolean {
  if (scope.hidden.some((dir) => within(dir, file))) return false
  return [...scope.writable, ...(reading ? scope.readable : []), ...extra].some((dir) => within(dir, file))
}

/** Absolute, `~` and `..` paths a shell command names (split at blanks, quotes and shell operators). */
function commandPaths(command: string, cwd: string, home: string): string[] {
  return command
    .split(/[\s"'`;|&<>()=,{}$]+/u)
    .filter((word) => word.startsWith('/') || word.startsWith('~') || word.split('/').includes('..'))
    .map((word) => (word.startsWith('~') ? path.join(home, word.slice(1)) : path.resolve(cwd, word)))
}

export interface OutsideRoot {
  /** The path that is outside, as the model should read it. */
  path: string
  /** The message the model gets with the refusal. */
  message: string
}

/**
 * The first path this tool call names outside the agent's scope, or null when it stays inside
 * (or names no path: a person decides). Bash names paths only loosely: its commands run in the
 * sandbox anyway, so a path it names counts as outside unless it is the agent's or a system one.
 */
export function outsideRoot(tool: string, input: unknown, scope: ConfinementScope, where: {cwd: string; home: string}): OutsideRoot | null {
  if (typeof input !== 'object' || input === null) return null
  const record = input as Record<string, unknown>
  const candidates: Array<{file: string; reading: boolean; system: boolean}> = []
  if (tool === 'Bash' && typeof record.command === 'string') {
    for (const file of commandPaths(record.command, where.cwd, where.home)) candidates.push({file, reading: true, system: true})
  } else {
    const reading = READING_TOOLS.has(tool)
    for (const [key, value] of Object.entries(record)) {
      if (!PATH_FIELD.test(key) && !(PATH_TOOLS.has(tool) && key.endsWith('_path'))) continue
      for (const one of Array.isArray(value) ? value : [value]) {
        if (typeof one === 'string' && one !== '') candidates.push({file: path.resolve(where.cwd, one.startsWith('~') ? path.join(where.home, one.slice(1)) : one), reading, system: false})
      }
    }
  }
  const outside = candidates.find((candidate) => !allowed(candidate.file, scope, candidate.reading, candidate.system ? scope.system : []))
  if (!outside) return null
  const shown = sanitize(outside.file, 200)
  return {path: shown, message: `Denied: ${shown} is outside this agent's session root (${sanitize(scope.writable[0] ?? '', 200)}); ccmcp confines its agents there. Work inside it.`}
}
