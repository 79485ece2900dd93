/**
 * Short-lived files next to a store file (temp files of an atomic write, a lock's staging file)
 * and the cleanup of those a killed process left behind. Each name carries its creator's host
 * and pid, so a leftover is recognised as one the moment its creator is gone, without waiting
 * for it to age: `state.json.tmp-<host>-<pid>-<random>`, `state.json.lock.new-<host>-<pid>-<random>`.
 */
import {createHash, randomBytes} from 'node:crypto'
import {open, readdir, rename, rm, stat, unlink} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

import type {Logger} from '../ports.js'

export type TransientKind = 'tmp' | 'new' | 'stale' | 'release'

/** This host, in 8 hex digits: enough to tell the hosts sharing a home apart. */
export const hostTag = createHash('sha256').update(os.hostname()).digest('hex').slice(0, 8)

export function transientPath(base: string, kind: TransientKind): string {
  return `${base}.${kind}-${hostTag}-${process.pid}-${randomBytes(6).toString('hex')}`
}

/** Whether a process with this pid runs on this host (one we may not signal still runs). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Replaces `file` with `data` atomically: a private temp file, flushed to disk, renamed over it,
 * so a reader sees the old or the new content and a crash leaves no torn file. `mayCommit` runs
 * right before the rename; when it says false nothing is replaced and this returns false.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array, mayCommit: () => Promise<boolean>): Promise<boolean> {
  const temp = transientPath(file, 'tmp')
  const handle = await open(temp, 'wx', 0o600)
  let committed = false
  try {
    try {
      await handle.chmod(0o600) // whatever the umask
      await handle.writeFile(data)
      await handle.sync()
    } finally {
      await handle.close()
    }
    if (await mayCommit()) {
      await rename(temp, file)
      committed = true
    }
    return committed
  } finally {
    if (!committed) await unlink(temp).catch(() => undefined)
  }
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
/** atomically's temp names (the store before it wrote its own files): no pid, so only age tells. */
const LEGACY_AGE_MS = 60_000
/** A leftover from another host can only be judged by age. */
const FOREIGN_AGE_MS = 60 * 60_000

/**
 * Removes the transient files of `file` (and of its lock) whose creator is gone. Run while
 * holding the lock, so no live writer of this file is between creating a temp file and renaming it.
 */
export async function removeLeftovers(file: string, logger?: Logger): Promise<number> {
  const dir = path.dirname(file)
  const base = escape(path.basename(file))
  const ours = new RegExp(`^${base}(?:\\.lock)?\\.(?:tmp|new|stale|release)-([0-9a-f]{8})-(\\d+)-[0-9a-f]+$`)
  const legacy = new RegExp(`^${base}\\.tmp-\\d{10}[0-9a-f]{6}$`)
  let names: string[]
  try {
    names = await readdir(dir)
  } catch {
    return 0
  }
  let removed = 0
  for (const name of names) {
    const match = ours.exec(name)
    if (!match && !legacy.test(name)) continue
    const full = path.join(dir, name)
    let gone: boolean
    if (match && match[1] === hostTag) gone = !processAlive(Number(match[2]))
    else {
      const info = await stat(full).catch(() => null)
      gone = info !== null && Date.now() - info.mtimeMs > (match ? FOREIGN_AGE_MS : LEGACY_AGE_MS)
    }
    if (!gone) continue
    await rm(full, {recursive: true, force: true}).catch(() => undefined)
    removed++
  }
  if (removed > 0) logger?.debug('removed files left by killed writers', {file, removed})
  return removed
}
