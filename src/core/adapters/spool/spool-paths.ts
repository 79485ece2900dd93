/**
 * Where the hook spool lives in the ccmcp home: one append-only file per agent
 * (`spool/<session>~<agent>.spool`; "~" is in no name), the spool's public key (plain: hooks read
 * it) and its private key (sealed with ccmcp's master key like every store), and one empty marker
 * per agent with queued messages (`.queued`), which tells a hook to start the flusher without
 * reading the state. No ".jsonl" and no envelope at a file's start: key rotation leaves the
 * spool alone (its lines are sealed to the spool key, which rotation re-encrypts as a file).
 */
import path from 'node:path'

/** The same rule as domain/state.ts NAME_PATTERN (not imported: that module loads zod). */
export const SPOOL_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/
const SPOOL_FILE = /^([A-Za-z0-9][A-Za-z0-9._-]{0,63})~([A-Za-z0-9][A-Za-z0-9._-]{0,63})\.spool$/

export interface SpoolPaths {
  dir: string
  publicKey: string
  privateKey: string
  spool(session: string, agent: string): string
  queued(session: string, agent: string): string
  configFile: string
  hookLog: string
}

export function spoolPaths(home: string): SpoolPaths {
  const dir = path.join(home, 'spool')
  return {
    dir,
    publicKey: path.join(dir, 'key.pub'),
    privateKey: path.join(dir, 'key'),
    spool: (session, agent) => path.join(dir, `${session}~${agent}.spool`),
    queued: (session, agent) => path.join(dir, `${session}~${agent}.queued`),
    configFile: path.join(home, 'config.json'),
    hookLog: path.join(home, 'logs', 'hook.log'),
  }
}

/** The agent a spool file belongs to, or null for any other file in the directory. */
export function spoolOwner(fileName: string): {session: string; agent: string} | null {
  const match = SPOOL_FILE.exec(fileName)
  return match ? {session: match[1] as string, agent: match[2] as string} : null
}
