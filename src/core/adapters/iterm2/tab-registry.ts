/**
 * ccmcp's own record of the iTerm2 sessions it opened, keyed by session GUID (iterm2/tabs.json
 * under the ccmcp home). Listing then needs only the GUIDs from iTerm2 (one event per window),
 * not a per-session read of the `user.ccmcpAgent` tag, and liveness comes from the launcher's pid
 * file. The tag stays on each session for humans and for rediscovery.
 */
import {readFile} from 'node:fs/promises'
import path from 'node:path'
import * as z from 'zod'

import type {Exec, Logger, Store, StoreCodec} from '../../ports.js'
import {createJsonStore} from '../json-store.js'

export const TabRecord = z.object({
  agentKey: z.string(),
  /** The agent's launch id (Agent.launchId): refs act on this tab only while it matches. */
  launchId: z.string().nullable().default(null),
  group: z.string(),
  /** Names the launch files: launch/launch-<id>.data and .pid. */
  launch: z.string().uuid(),
  tty: z.string().nullable(),
  windowId: z.number().nullable(),
  createdAt: z.string(),
})
export type TabRecord = z.infer<typeof TabRecord>

export const TabRegistry = z.object({schemaVersion: z.literal(1), tabs: z.record(z.string(), TabRecord)})
export type TabRegistry = z.infer<typeof TabRegistry>

/** `codec`: the registry holds each tab's launch id (the agent's secret), so the runtime encrypts it. */
export function createTabRegistry(dir: string, logger?: Logger, codec?: StoreCodec): Store<TabRegistry> {
  return createJsonStore({dir, name: 'tabs', schema: TabRegistry, empty: () => ({schemaVersion: 1 as const, tabs: {}}), logger, codec})
}

export function launchFiles(dir: string, launch: string): {data: string; pid: string} {
  const base = path.join(dir, 'launch', `launch-${launch}`)
  return {data: `${base}.data`, pid: `${base}.pid`}
}

/**
 * Whether each agent process still runs: its pid (written by the launcher) exists AND has the
 * session's tty as controlling terminal, so a recycled pid is not taken for the agent. One `ps`
 * for all. Unknown (no pid file yet, ps unusable) counts as alive: the tab exists.
 */
export async function agentsAlive(exec: Exec, dir: string, entries: ReadonlyArray<[string, TabRecord]>, logger: Logger): Promise<Map<string, boolean>> {
  const pids = new Map<string, number>()
  for (const [sessionId, record] of entries) {
    const text = await readFile(launchFiles(dir, record.launch).pid, 'utf8').catch(() => '')
    if (/^\d+\s*$/.test(text)) pids.set(sessionId, Number(text))
  }
  const alive = new Map<string, boolean>()
  if (pids.size === 0) return alive
  const result = await exec('ps', ['-o', 'pid=,tty=', ...[...pids.values()].flatMap((pid) => ['-p', String(pid)])], {timeoutMs: 5000})
  // ps exits 1 when some pid is not running; only a ps that could not run leaves us unsure.
  if (result.notFound || result.timedOut || (result.exitCode !== 0 && result.exitCode !== 1)) {
    logger.debug('iterm2: ps failed; treating agents as alive', {exitCode: result.exitCode, stderr: result.stderr.trim()})
    return alive
  }
  const table = parsePsTable(result.stdout)
  for (const [sessionId, record] of entries) {
    const pid = pids.get(sessionId)
    if (pid === undefined) continue
    const tty = table.get(pid)
    alive.set(sessionId, tty !== undefined && sameTty(record.tty, tty))
  }
  return alive
}

/** `ps -o pid=,tty=` output → pid → tty ("ttys012", "pts/3"; "?"/"??" when none). */
export function parsePsTable(stdout: string): Map<number, string> {
  const table = new Map<number, string>()
  for (const line of stdout.split('\n')) {
    const [pid, tty] = line.trim().split(/\s+/)
    if (pid && /^\d+$/.test(pid)) table.set(Number(pid), tty ?? '')
  }
  return table
}

/** Whether a process's controlling terminal (from ps) is the session's tty (from iTerm2). */
export function sameTty(sessionTty: string | null, psTty: string): boolean {
  if (!sessionTty) return true
  return sessionTty.replace(/^\/dev\//, '') === psTty.replace(/^\/dev\//, '')
}
