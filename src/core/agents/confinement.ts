/**
 * Confinement as it applies to one launch: the settings for the agent (sandbox-settings.ts)
 * from the live state, and the check that Claude Code's sandbox can run here at all, so a
 * missing bubblewrap or socat is a clear error before any tab opens, never an agent that
 * runs unconfined or dies unexplained.
 */
import path from 'node:path'

import {CcmcpError} from '../domain/errors.js'
import {type SessionRecord, sessionSandbox} from '../domain/state.js'
import type {CoreDeps} from '../pipeline/operation.js'
import {type ProgramLocation, findProgram} from '../platform/programs.js'
import {confinementSettings} from './sandbox-settings.js'

/** What Claude Code's sandbox runs on Linux; it looks for them on PATH. */
export const SANDBOX_PROGRAMS = ['bwrap', 'socat'] as const
export const SANDBOX_INSTALL_HINT = 'Install them: Debian/Ubuntu `sudo apt-get install bubblewrap socat`, Fedora `sudo dnf install bubblewrap socat`, Arch `sudo pacman -S bubblewrap socat`'
/** What Claude Code prints when failIfUnavailable stops it (2.1.330). */
export const SANDBOX_UNAVAILABLE_SCREEN = /sandbox required but unavailable|Refusing to start without a working sandbox/i

/** Claude Code's config directory: $CLAUDE_CONFIG_DIR, else ~/.claude. */
export function claudeConfigDir(env: Record<string, string | undefined>, userHome: string): string {
  return env.CLAUDE_CONFIG_DIR ? path.resolve(env.CLAUDE_CONFIG_DIR) : path.join(env.HOME || userHome, '.claude')
}

/** The confinement part of a claude agent's settings; `workDir` is the agent's cwd. */
export async function confinementFor(deps: CoreDeps, session: SessionRecord, workDir: string, platform: NodeJS.Platform = process.platform): Promise<Record<string, unknown>> {
  const state = await deps.ports.state.read()
  return confinementSettings({
    sandbox: sessionSandbox(session),
    root: session.root,
    workDir,
    otherRoots: state.sessions.filter((other) => other.name !== session.name).map((other) => other.root),
    ccmcpHome: deps.settings.paths.home,
    claudeConfigDir: claudeConfigDir(deps.launch.env, deps.ports.host.homeDir()),
    platform,
  })
}

export interface SandboxSupport {
  ok: boolean
  /** What was found, for doctor. */
  detail: string
  /** The remedy when not ok. */
  hint: string | null
}

/** Whether Claude Code's sandbox can run for agents started with ccmcp's environment. */
export async function sandboxSupport(deps: CoreDeps, platform: NodeJS.Platform = process.platform): Promise<SandboxSupport> {
  if (platform === 'darwin') return {ok: true, detail: "macOS runs Claude Code's sandbox with its own Seatbelt: nothing to install", hint: null}
  if (platform !== 'linux') {
    return {ok: false, detail: `Claude Code's sandbox does not run on ${platform}`, hint: 'Create sessions with --no-sandbox (agents then run unconfined), or run ccmcp on Linux or macOS.'}
  }
  const home = deps.launch.env.HOME || deps.ports.host.homeDir()
  const found: ProgramLocation[] = []
  for (const name of SANDBOX_PROGRAMS) found.push(await findProgram(name, {env: deps.launch.env, home, host: deps.ports.host, platform}))
  // Claude Code looks only on PATH: a copy elsewhere does not count.
  const missing = found.filter((program) => program.source !== 'path')
  if (missing.length === 0) return {ok: true, detail: `bubblewrap and socat found: ${found.map((program) => program.path).join(', ')}`, hint: null}
  const where = missing.map((program) => (program.path ? `${program.name} is at ${program.path}, which is not on PATH` : `${program.name} is not on PATH`)).join('; ')
  return {ok: false, detail: `Claude Code's sandbox needs bubblewrap (bwrap) and socat on Linux: ${where}`, hint: `${SANDBOX_INSTALL_HINT}; or create the session with --no-sandbox to run its agents unconfined.`}
}

/** Refuses to launch a claude agent of a sandboxed session where the sandbox cannot run. */
export async function assertSandboxAvailable(deps: CoreDeps, session: SessionRecord, platform: NodeJS.Platform = process.platform): Promise<void> {
  if (!sessionSandbox(session).enabled) return
  const support = await sandboxSupport(deps, platform)
  if (support.ok) return
  throw new CcmcpError('ENVIRONMENT', `Session "${session.name}" confines its claude agents in Claude Code's sandbox, which cannot run here. ${support.detail}.`, {
    hint: {
      cli: support.hint ?? '',
      mcp: (support.hint ?? '').replace('--no-sandbox', 'sandbox: false (create_session)'),
    },
    reason: 'sandbox-unavailable',
  })
}
