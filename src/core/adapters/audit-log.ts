/**
 * The audit log on disk: appends one sealed record per operation to `<dir>/current.jsonl`, in one
 * total order across every ccmcp process (CLI, server, hooks, flusher) under a cross-process lock,
 * continuing the chain from the file's last line. Rotates by size (the new file's first record
 * carries the old file's final head as its `prev`), and signs checkpoints every N records and when
 * a process that wrote records closes the log, mirroring the latest outside the log directory.
 * Light on imports: every hook event loads it.
 */
import {appendFile, mkdir, open, readFile, readdir, rename, stat} from 'node:fs/promises'
import path from 'node:path'

import {type CheckpointKeys, checkpointKeys, parseCheckpoint, parseCheckpointBody, signCheckpoint} from '../audit/checkpoint.js'
import {type AuditFields, GENESIS, auditFields, nextHead, sealRecord} from '../audit/record.js'
import {CcmcpError} from '../domain/errors.js'
import type {KeySource, Logger, Recorder} from '../ports.js'
import {type HeldLock, type LockError, withFileLock} from './file-lock.js'
import {writeFileAtomic} from './transient-files.js'

export const CURRENT_FILE = 'current.jsonl'
export const CHECKPOINTS_FILE = 'checkpoints.jsonl'
export const MIRROR_FILE = 'checkpoint'
const ROTATED = /^rotated-(\d{12})\.jsonl$/

export interface AuditLocation {
  /** The log directory (CCMCP_AUDIT_DIR, else `<home>/audit`). */
  dir: string
  /** Outside the log directory: where the latest checkpoint is mirrored (`<home>/audit-anchor`). */
  anchorDir: string
}

export function auditLocation(env: NodeJS.ProcessEnv, home: string): AuditLocation {
  return {dir: env.CCMCP_AUDIT_DIR ? path.resolve(env.CCMCP_AUDIT_DIR) : path.join(home, 'audit'), anchorDir: path.join(home, 'audit-anchor')}
}

export interface AuditLogOptions extends AuditLocation {
  /** Signs checkpoints; null: this process never signs (hooks do not hold the key). */
  keySource: KeySource | null
  /** Rotate the current file once it reaches this size (default 8 MiB; CCMCP_AUDIT_ROTATE_BYTES). */
  rotateBytes?: number
  /** Sign a checkpoint after this many unsigned records (default 64). */
  checkpointEvery?: number
  logger?: Logger
}

export interface AuditLogWriter {
  recorder: Recorder
  /** Appends one record; resolves when it is on disk. */
  append(fields: AuditFields): Promise<void>
  /** Signs a checkpoint if this process wrote records since the last one (call before exiting). */
  close(): Promise<void>
}

export const AUDIT_LOCK: {staleMs: number; waitMs: number; retryMs: {min: number; max: number}} = {staleMs: 5_000, waitMs: 20_000, retryMs: {min: 2, max: 20}}

export function withAuditLock<T>(dir: string, fn: (lock: HeldLock) => Promise<T>): Promise<T> {
  const lockError = (error: LockError) => new CcmcpError('STATE_INVALID', `The audit log is locked: ${error.message}.`, {cause: error, hint: 'Try again; if it stays locked, remove the .lock file named above.'})
  return withFileLock(path.join(dir, 'log'), {...AUDIT_LOCK, lockError}, fn)
}

export function createAuditLog(options: AuditLogOptions): AuditLogWriter {
  const rotateBytes = options.rotateBytes ?? 8 * 1024 * 1024
  const every = options.checkpointEvery ?? 64
  let keys: Promise<CheckpointKeys> | null = null
  const signer = options.keySource && (() => (keys ??= (options.keySource as KeySource).masterKey().then(checkpointKeys)))
  let unsigned = false
  let created = false

  const checkpoint = async (lock: HeldLock, tail: Tail) => {
    if (!signer || tail.seq === 0 || (await signedSize(options.anchorDir)) >= tail.seq) return
    const line = JSON.stringify(signCheckpoint(await signer(), tail.seq, tail.head, new Date()))
    // The mirror first: a crash between the two leaves it ahead of checkpoints.jsonl, never behind.
    await mkdir(options.anchorDir, {recursive: true, mode: 0o700})
    if (!(await writeFileAtomic(path.join(options.anchorDir, MIRROR_FILE), `${line}\n`, lock.held))) return
    await appendFile(path.join(options.dir, CHECKPOINTS_FILE), `${line}\n`, {mode: 0o600})
    unsigned = false
  }

  const append = async (fields: AuditFields) => {
    if (!created) created = await mkdir(options.dir, {recursive: true, mode: 0o700}).then(() => true)
    await withAuditLock(options.dir, async (lock) => {
      const tail = await readTail(options.dir)
      const sealed = sealRecord(fields, tail.seq + 1, tail.head)
      if (!(await lock.held())) throw new CcmcpError('STATE_INVALID', 'Lost the audit log lock while paused; the record was not written.')
      const current = path.join(options.dir, CURRENT_FILE)
      await appendFile(current, `${tail.torn ? '\n' : ''}${sealed.line}\n`, {mode: 0o600})
      unsigned = true
      const after = {seq: tail.seq + 1, head: sealed.head, torn: false}
      if ((await stat(current)).size >= rotateBytes) await rename(current, path.join(options.dir, `rotated-${String(after.seq).padStart(12, '0')}.jsonl`))
      if (signer && after.seq - (await signedSize(options.anchorDir)) >= every) await checkpoint(lock, after)
    })
  }

  return {
    append,
    recorder: {
      async record(entry) {
        // The audit log must never turn a finished operation into a failed one: say so and go on.
        await append(auditFields(entry, process.pid)).catch((error: unknown) => warn(options.logger, `could not write the audit record of ${entry.operation}: ${(error as Error).message}`))
      },
    },
    async close() {
      if (!unsigned || !signer) return
      await withAuditLock(options.dir, async (lock) => checkpoint(lock, await readTail(options.dir))).catch((error: unknown) =>
        warn(options.logger, `could not sign an audit checkpoint: ${(error as Error).message}`),
      )
    },
  }
}

function warn(logger: Logger | undefined, message: string): void {
  if (logger) logger.warn(message)
  else process.stderr.write(`ccmcp warning: ${message}\n`)
}

interface Tail {
  seq: number
  head: string
  /** The file ends without a newline (a torn write): the next record starts on a new line. */
  torn: boolean
}

/** The size the mirrored checkpoint signed; 0 when there is none. */
async function signedSize(anchorDir: string): Promise<number> {
  const text = await readFile(path.join(anchorDir, MIRROR_FILE), 'utf8').catch(() => '')
  const checkpoint = parseCheckpoint(text.trim())
  return (checkpoint && parseCheckpointBody(checkpoint.body)?.size) ?? 0
}

/** The newest log file first: the current one, then rotated ones by their last seq. */
export async function logFiles(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[])
  const rotated = names.filter((name) => ROTATED.test(name)).sort()
  return [...rotated, ...(names.includes(CURRENT_FILE) ? [CURRENT_FILE] : [])]
}

/** seq and head after the last record: read from the end of the newest non-empty file. */
async function readTail(dir: string): Promise<Tail> {
  // The current file is almost always there: look for rotated ones only when it is not.
  const current = await lastLine(path.join(dir, CURRENT_FILE))
  const files = current ? [CURRENT_FILE] : (await logFiles(dir)).reverse()
  for (const name of files) {
    const tail = name === CURRENT_FILE && current ? current : await lastLine(path.join(dir, name))
    if (tail === null) continue
    const record = parseJson(tail.line)
    if (typeof record?.seq !== 'number' || typeof record.prev !== 'string') {
      throw new CcmcpError('STATE_INVALID', `The last line of the audit log ${path.join(dir, name)} is not a record, so the chain cannot go on.`, {hint: 'Run `ccmcp audit verify` to see what happened to it.'})
    }
    return {seq: record.seq, head: nextHead(record.prev, tail.line), torn: tail.torn && name === CURRENT_FILE}
  }
  return {seq: 0, head: GENESIS, torn: false}
}

function parseJson(line: string): {seq?: unknown; prev?: unknown} | null {
  try {
    return JSON.parse(line) as {seq?: unknown; prev?: unknown} | null
  } catch {
    return null
  }
}

/** The file's last complete line, reading backwards from its end in growing chunks; null when it has none. */
async function lastLine(file: string): Promise<{line: string; torn: boolean} | null> {
  const handle = await open(file, 'r').catch(() => null)
  if (!handle) return null
  try {
    const {size} = await handle.stat()
    for (let chunk = 4096; ; chunk *= 4) {
      const length = Math.min(chunk, size)
      const buffer = Buffer.alloc(length)
      await handle.read(buffer, 0, length, size - length)
      const text = buffer.toString('utf8')
      const torn = !text.endsWith('\n')
      const end = text.lastIndexOf('\n')
      if (end < 0) {
        if (length === size) return null
        continue
      }
      const complete = text.slice(0, end)
      const start = complete.lastIndexOf('\n')
      if (start >= 0 || length === size) {
        const line = complete.slice(start + 1)
        return line ? {line, torn} : null
      }
    }
  } finally {
    await handle.close()
  }
}
