/**
 * A throwaway HOME that lets the real Claude Code TUI start straight to its prompt, offline,
 * against the mock API (claude-code.md §3-§4), plus the environment an agent needs.
 *
 * We write only keys that a user's answer to a dialog would write (onboarding done, folder
 * trusted, auto-mode notice acknowledged); Claude Code adds its own bookkeeping keys
 * (firstStartTime, userID, …) on first start and we must not fake those.
 */
import {mkdtemp, readFile, realpath, rm, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

export interface ClaudeHomeOptions {
  /** Mock API base URL (`MockApi.url`). */
  baseUrl: string
  /** Folders to pre-trust (a parent trusts its subfolders). Leave a root out to get the trust dialog. */
  trust?: string[]
  /**
   * `messageIdleNotifThresholdMs`: delay before Notification `idle_prompt` (Claude's default is 60 s).
   * Left unset unless given.
   */
  idleNotificationMs?: number
  /** Extra variables for the agent's environment (override the defaults). */
  env?: Record<string, string>
}

export interface ClaudeHome {
  /** The temp HOME (real path: trust keys must match what Claude Code resolves). */
  home: string
  /** `$HOME/.claude.json`. */
  configPath: string
  /** Variables to set for the agent (on top of `baseEnv()`). */
  env: Record<string, string>
  /** Records trust for one more folder, as answering "Yes, I trust this folder" would. */
  trust(root: string): Promise<void>
  /** Claude Code's current `.claude.json` (it adds keys as it runs). */
  readConfig(): Promise<Record<string, unknown>>
  /** Where Claude Code keeps the transcript of a conversation started in `cwd`. */
  transcriptPath(cwd: string, sessionId: string): string
  cleanup(): Promise<void>
}

/** Environment variables from the test runner's own environment that would change how Claude Code behaves. */
const LEAKY = /^(ANTHROPIC_|CLAUDE_|CLAUDECODE$|XDG_|TMUX$|TMUX_PANE$|OTEL_|DISABLE_|MCP_)/

/**
 * The caller's environment minus anything that would change Claude Code's behaviour: a real
 * `ANTHROPIC_API_KEY` would raise the key-approval dialog, `XDG_*` would move its config, and
 * `TMUX` would make tmux refuse or nest. Start the terminal server with this plus `home.env`.
 */
export function baseEnv(source: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [key, value] of Object.entries(source)) {
    if (value !== undefined && !LEAKY.test(key)) out[key] = value
  }
  // The TUI needs a terminal type it knows; tmux sets its own inside panes anyway.
  out.TERM ??= 'xterm-256color'
  out.LANG ??= 'C.UTF-8'
  return out
}

export async function createClaudeHome(options: ClaudeHomeOptions): Promise<ClaudeHome> {
  const home = await realpath(await mkdtemp(path.join(os.tmpdir(), 'cc-home-')))
  const configPath = path.join(home, '.claude.json')

  const projects: Record<string, {hasTrustDialogAccepted: boolean}> = {}
  for (const root of options.trust ?? []) projects[await realpath(root)] = {hasTrustDialogAccepted: true}
  const config: Record<string, unknown> = {
    // Skips onboarding, whose connectivity check ignores ANTHROPIC_BASE_URL and exits 1 offline.
    hasCompletedOnboarding: true,
    // Acknowledges the auto-mode billing notice, in case a test uses `--permission-mode auto`.
    autoModeClassifierBillingNoticeAcknowledgedAt: Date.now(),
    projects,
  }
  if (options.idleNotificationMs !== undefined) config.messageIdleNotifThresholdMs = options.idleNotificationMs
  await writeFile(configPath, `${JSON.stringify(config, null, 2)}\n`, {mode: 0o600})

  const env: Record<string, string> = {
    HOME: home,
    ANTHROPIC_BASE_URL: options.baseUrl,
    // Bearer auth: no "use this API key?" dialog (ANTHROPIC_API_KEY would raise one).
    ANTHROPIC_AUTH_TOKEN: 'test',
    // Exactly one /v1/messages per turn: no preconnect, no title request.
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    // Give up on a failing API in about a second instead of ten backed-off attempts.
    CLAUDE_CODE_MAX_RETRIES: '1',
    // Belt and braces for the offline run: no updater, telemetry or error reports.
    DISABLE_AUTOUPDATER: '1',
    DISABLE_TELEMETRY: '1',
    DISABLE_ERROR_REPORTING: '1',
    ...options.env,
  }

  return {
    home,
    configPath,
    env,
    async trust(root) {
      const current = JSON.parse(await readFile(configPath, 'utf8')) as Record<string, unknown>
      const all = (current.projects ?? {}) as Record<string, Record<string, unknown>>
      const key = await realpath(root)
      all[key] = {...all[key], hasTrustDialogAccepted: true}
      await writeFile(configPath, `${JSON.stringify({...current, projects: all}, null, 2)}\n`)
    },
    async readConfig() {
      return JSON.parse(await readFile(configPath, 'utf8')) as Record<string, unknown>
    },
    transcriptPath(cwd, sessionId) {
      return path.join(home, '.claude', 'projects', cwd.replace(/[^a-zA-Z0-9]/g, '-'), `${sessionId}.jsonl`)
    },
    async cleanup() {
      await rm(home, {recursive: true, force: true, maxRetries: 5})
    },
  }
}
