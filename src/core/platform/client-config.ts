/**
 * How MCP clients are told to start `ccmcp serve`: the Claude Desktop config file (found per
 * platform, merged key by key, backed up before it changes) and the `claude mcp add` argv.
 * Someone else's file is never clobbered: invalid JSON is refused with the reason.
 */
import path from 'node:path'

import {CcmcpError} from '../domain/errors.js'
import type {Host} from '../ports.js'

export const SERVER_NAME = 'ccmcp'

export interface ServerEntry {
  command: string
  args: string[]
}

/** The stdio server entry: node + ccmcp's bin/run.js, absolute, so no PATH is needed. */
export function serverEntry(ccmcpCommand: readonly string[], serveArgs: readonly string[] = []): ServerEntry {
  const [command, ...args] = ccmcpCommand
  if (!command) throw new CcmcpError('UNEXPECTED', 'ccmcp does not know how it was started.')
  return {command, args: [...args, 'serve', ...serveArgs]}
}

/** What to paste into claude_desktop_config.json (the whole file, when it has nothing else). */
export function desktopSnippet(entry: ServerEntry): {mcpServers: Record<string, ServerEntry>} {
  return {mcpServers: {[SERVER_NAME]: entry}}
}

export function claudeDesktopConfigPath(env: Record<string, string | undefined>, home: string, platform: NodeJS.Platform = process.platform): string {
  const file = 'claude_desktop_config.json'
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Claude', file)
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Claude', file)
  // No official Linux build; unofficial ones use the XDG config directory.
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Claude', file)
}

export interface MergeResult {
  config: Record<string, unknown>
  /** false: the file already had exactly this entry. */
  changed: boolean
  /** An older ccmcp entry was there and is replaced. */
  replaced: boolean
}

/** Puts the entry under mcpServers.ccmcp, keeping every other key and server as it was. */
export function mergeServerEntry(text: string | null, file: string, entry: ServerEntry): MergeResult {
  let parsed: unknown = {}
  if (text !== null && text.trim() !== '') {
    try {
      parsed = JSON.parse(text)
    } catch (error) {
      throw refuse(file, `it is not valid JSON (${(error as Error).message})`)
    }
  }
  if (!isObject(parsed)) throw refuse(file, 'its top level is not a JSON object')
  const servers = parsed.mcpServers ?? {}
  if (!isObject(servers)) throw refuse(file, '"mcpServers" is not a JSON object')
  const existing = servers[SERVER_NAME]
  const changed = JSON.stringify(existing) !== JSON.stringify(entry)
  return {config: {...parsed, mcpServers: {...servers, [SERVER_NAME]: entry}}, changed, replaced: existing !== undefined && changed}
}

export interface WriteResult extends MergeResult {
  /** Copy of the file as it was, when it existed and changed. */
  backup: string | null
}

/** Merges the entry into the file: backup first, then an atomic replace keeping the file's mode. */
export async function writeServerEntry(host: Pick<Host, 'readText' | 'mkdir' | 'copy' | 'stat' | 'writeAtomic'>, file: string, entry: ServerEntry, now: Date): Promise<WriteResult> {
  const text = await host.readText(file).catch((error: NodeJS.ErrnoException) => {
    throw new CcmcpError('ENVIRONMENT', `Cannot read ${file}: ${error.message}`, {hint: 'Check the file permissions, then run again.'})
  })
  const merged = mergeServerEntry(text, file, entry)
  if (!merged.changed) return {...merged, backup: null}
  await host.mkdir(path.dirname(file), {mode: 0o777})
  let backup: string | null = null
  let mode = 0o600
  if (text !== null) {
    backup = `${file}.${now.toISOString().replaceAll(/[:.]/g, '-')}.bak`
    await host.copy(file, backup)
    mode = (await host.stat(file))?.mode ?? mode
  }
  await host.writeAtomic(file, `${JSON.stringify(merged.config, null, 2)}\n`, {mode})
  return {...merged, backup}
}

/** `claude mcp add` argv (after the claude program itself). */
export function claudeMcpAddArgs(entry: ServerEntry, scope: string): string[] {
  return ['mcp', 'add', SERVER_NAME, '-s', scope, '--', entry.command, ...entry.args]
}

/** A command line for a person to copy; never executed. */
export function shellLine(argv: readonly string[]): string {
  return argv.map((word) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`)).join(' ')
}

function refuse(file: string, reason: string): CcmcpError {
  return new CcmcpError('STATE_INVALID', `Claude Desktop's config ${file} was left untouched: ${reason}.`, {
    hint: 'Fix the file (or move it away) and run again, or add the entry by hand from `ccmcp install claude-desktop --print`.',
  })
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
