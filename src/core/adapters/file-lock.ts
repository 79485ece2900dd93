/**
 * A cross-process lock on a path, held while `fn` runs: the file `<target>.lock` holds its
 * owner's pid, host and a random token, and appears atomically with that content (a private file
 * is written, then hard-linked into place, which fails if the lock exists).
 *
 * A waiter takes the lock over at once when the owner's pid is gone (a crash inside the lock
 * must not stall the next write), and after `staleMs` without a heartbeat otherwise (a paused
 * owner: SIGSTOP, a laptop lid, a debugger). So an owner can lose its lock while paused; it must
 * call `held()` right before it commits anything and commit nothing when that says false.
 * Nothing else ever removes a lock: it is moved aside first, and put back if it was not the one
 * judged stale. (The check and the commit are two system calls: an owner paused exactly between
 * them for longer than `staleMs` could still commit late. That window is microseconds wide; the
 * check closes the one that spanned the whole update.)
 */
import {link, readFile, rename, rm, stat, unlink, utimes, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {randomUUID} from 'node:crypto'

import type {Logger} from '../ports.js'
import {processAlive, removeLeftovers, transientPath} from './transient-files.js'

export interface FileLockOptions {
  /** A lock whose heartbeat stopped this long ago is taken over (its owner is paused or on another host). */
  staleMs: number
  /** How long to wait for a live owner before giving up. */
  waitMs: number
  /** Pause between tries (randomised between the two). */
  retryMs: {min: number; max: number}
  logger?: Logger
  /** Turns a lock that could not be had into the caller's own error. */
  lockError: (error: LockError) => Error
}

export interface LockOwner {
  pid: number
  host: string
  token: string
  /** When it was taken (ms since the epoch). */
  at: number
}

export interface HeldLock {
  /** Whether the lock is still ours: false once another process took it over while we were paused. */
  held(): Promise<boolean>
}

/** Why a lock could not be had: a live owner kept it, or the directory cannot be written. */
export class LockError extends Error {
  constructor(
    message: string,
    readonly reason: 'held' | 'unwritable',
    readonly lockFile: string,
    readonly owner: LockOwner | null,
    options?: {cause?: unknown},
  ) {
    super(message, options)
    this.name = 'LockError'
  }
}

const UNWRITABLE = new Set(['EROFS', 'EACCES', 'EPERM', 'ENOSPC', 'EDQUOT'])
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV'])

export async function withFileLock<T>(target: string, options: FileLockOptions, fn: (lock: HeldLock) => Promise<T>): Promise<T> {
  const lockFile = `${target}.lock`
  const me: LockOwner = {pid: process.pid, host: os.hostname(), token: randomUUID(), at: Date.now()}
  await acquire(lockFile, me, options)
  let lost = false
  const held = async () => {
    if (!lost && (await readOwner(lockFile))?.token !== me.token) lost = true
    return !lost
  }
  // The heartbeat tells waiters we are not paused; it also notices a takeover early.
  const beat = setInterval(() => {
    void held().then((ours) => {
      if (ours) return utimes(lockFile, new Date(), new Date()).catch(() => undefined)
      clearInterval(beat)
      options.logger?.warn('lock taken over while this process was paused', {lock: lockFile})
      return undefined
    })
  }, Math.max(50, Math.floor(options.staleMs / 3)))
  beat.unref()
  try {
    await removeLeftovers(target, options.logger)
    return await fn({held})
  } finally {
    clearInterval(beat)
    // A lock we lost is someone else's now: leave it alone.
    if (!lost) await release(lockFile, me).catch(() => undefined)
  }
}

async function acquire(lockFile: string, me: LockOwner, options: FileLockOptions): Promise<void> {
  const staging = transientPath(lockFile, 'new')
  try {
    await writeFile(staging, JSON.stringify(me), {mode: 0o600, flag: 'wx'})
  } catch (error) {
    throw unwritable(lockFile, error, options)
  }
  let written = Date.now()
  try {
    const deadline = Date.now() + options.waitMs
    for (;;) {
      // The lock's age is its file's mtime, which a hard link keeps: never place an old file.
      if (Date.now() - written > options.staleMs / 4) {
        written = Date.now()
        await utimes(staging, new Date(written), new Date(written))
      }
      if (await placeLock(staging, lockFile, me)) return
      const seen = await inspect(lockFile)
      if (seen === null) continue
      const dead = seen.owner !== null && seen.owner.host === me.host && !processAlive(seen.owner.pid)
      if ((dead || Date.now() - seen.mtimeMs > options.staleMs) && (await takeOver(lockFile, seen))) {
        options.logger?.warn(dead ? `took over the lock of process ${seen.owner?.pid}, which is gone` : 'took over a stale lock', {lock: lockFile, owner: seen.owner})
        continue
      }
      if (Date.now() >= deadline) throw heldError(lockFile, seen.owner, options)
      const {min, max} = options.retryMs
      await new Promise((resolve) => setTimeout(resolve, min + Math.random() * (max - min)))
    }
  } finally {
    await unlink(staging).catch(() => undefined)
  }
}

/** Puts our lock in place; false if another lock is there. */
async function placeLock(staging: string, lockFile: string, me: LockOwner): Promise<boolean> {
  try {
    await link(staging, lockFile)
    return true
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? ''
    if (code === 'EEXIST') return false
    if (!NO_HARD_LINKS.has(code)) throw error
  }
  // A file system without hard links: create it exclusively (its content follows a moment later).
  try {
    await writeFile(lockFile, JSON.stringify(me), {mode: 0o600, flag: 'wx'})
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw error
  }
}

interface Seen {
  owner: LockOwner | null
  ino: number
  mtimeMs: number
}

/** The lock as it is now; null when it just went away. An unreadable lock has no owner (only age tells). */
async function inspect(lockFile: string): Promise<Seen | null> {
  const info = await stat(lockFile).catch(() => null)
  if (!info) return null
  return {owner: await readOwner(lockFile), ino: info.ino, mtimeMs: info.mtimeMs}
}

async function readOwner(lockFile: string): Promise<LockOwner | null> {
  try {
    const value = JSON.parse(await readFile(lockFile, 'utf8')) as Partial<LockOwner> | null
    if (typeof value?.pid === 'number' && typeof value.host === 'string' && typeof value.token === 'string') return value as LockOwner
  } catch {
    // missing, a directory (an older ccmcp's lock) or half-written
  }
  return null
}

/**
 * Removes the lock judged stale. It is moved aside first and compared with what was judged, so a
 * lock another waiter placed meanwhile is put back instead of lost.
 */
async function takeOver(lockFile: string, seen: Seen): Promise<boolean> {
  const aside = transientPath(lockFile, 'stale')
  try {
    await rename(lockFile, aside)
  } catch {
    return false
  }
  const moved = await stat(aside).catch(() => null)
  const same = moved !== null && moved.ino === seen.ino && moved.mtimeMs === seen.mtimeMs
  if (!same) await link(aside, lockFile).catch(() => undefined)
  await rm(aside, {recursive: true, force: true})
  return same
}

async function release(lockFile: string, me: LockOwner): Promise<void> {
  const aside = transientPath(lockFile, 'release')
  await rename(lockFile, aside)
  if ((await readOwner(aside))?.token !== me.token) await link(aside, lockFile).catch(() => undefined)
  await unlink(aside)
}

function heldError(lockFile: string, owner: LockOwner | null, options: FileLockOptions): Error {
  const seconds = Math.round(options.waitMs / 1000)
  const who = owner
    ? `process ${owner.pid}${owner.host === os.hostname() ? '' : ` on ${owner.host}`}, which is still running`
    : 'another process'
  return options.lockError(new LockError(`${lockFile} is held by ${who} (waited ${seconds} s)`, 'held', lockFile, owner))
}

function unwritable(lockFile: string, error: unknown, options: FileLockOptions): Error {
  const code = (error as NodeJS.ErrnoException).code ?? ''
  if (!UNWRITABLE.has(code)) return error as Error
  const why = code === 'EROFS' ? 'is on a read-only file system' : code === 'ENOSPC' || code === 'EDQUOT' ? 'is full' : 'is not writable by this user'
  return options.lockError(new LockError(`${path.dirname(lockFile)} ${why} (${code})`, 'unwritable', lockFile, null, {cause: error}))
}
