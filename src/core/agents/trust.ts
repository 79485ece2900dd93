/**
 * Claude Code's workspace-trust dialog: recognised on screen (no hook fires before it is
 * answered), and pre-answered for exactly one root in Claude Code's own config when asked to.
 * ccmcp never presses Enter on it.
 */
import path from 'node:path'

import {CLAUDE_SCREEN} from './claude-screen.js'
import {CcmcpError} from '../domain/errors.js'
import type {Host} from '../ports.js'

export function detectTrustDialog(screen: string): boolean {
  return CLAUDE_SCREEN.trust.test(screen)
}

export const TRUST_WAITING_FOR = 'trust: Claude Code asks whether to trust this folder'

export function trustHint(session: string, root: string): string {
  return `Trust ${root} with \`ccmcp session trust ${session}\` (trust_session; it also restarts agents of the session still at the dialog), then create the agent again; or \`ccmcp config set trustRoots true\` to trust each session's root whenever its agents start.`
}

/** Claude Code's config file: $CLAUDE_CONFIG_DIR/.claude.json, else ~/.claude.json. */
export function claudeConfigPath(env: Record<string, string | undefined>, home: string): string {
  return env.CLAUDE_CONFIG_DIR ? path.join(env.CLAUDE_CONFIG_DIR, '.claude.json') : path.join(env.HOME ?? home, '.claude.json')
}

/**
 * Sets projects[root].hasTrustDialogAccepted = true and changes nothing else; keeps a backup of
 * the previous file next to it. Returns the backup's path (null when there was no file).
 */
export async function recordTrust(host: Pick<Host, 'readText' | 'copy' | 'writeAtomic'>, configFile: string, root: string, now: Date): Promise<{backup: string | null; changed: boolean}> {
  const text = await host.readText(configFile)
  let config: Record<string, unknown> = {}
  if (text !== null) {
    try {
      config = JSON.parse(text) as Record<string, unknown>
    } catch (error) {
      throw new CcmcpError('INVALID_INPUT', `Claude Code's config ${configFile} is not valid JSON (${(error as Error).message}); trust was not recorded.`, {
        hint: 'Fix the file (Claude Code rewrites it on start), then try again.',
      })
    }
  }
  const projects = (config.projects ?? {}) as Record<string, Record<string, unknown>>
  if (projects[root]?.hasTrustDialogAccepted === true) return {backup: null, changed: false}
  const updated = {...config, projects: {...projects, [root]: {...projects[root], hasTrustDialogAccepted: true}}}
  let backup: string | null = null
  if (text !== null) {
    backup = `${configFile}.ccmcp-backup-${now.toISOString().replaceAll(/[:.]/g, '-')}`
    await host.copy(configFile, backup)
  }
  await host.writeAtomic(configFile, `${JSON.stringify(updated, null, 2)}\n`, {mode: 0o600})
  return {backup, changed: true}
}
