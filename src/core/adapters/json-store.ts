/**
 * A JSON file store that many processes share safely, on node:fs alone (it sits on every hook
 * event's path, so it loads nothing heavy). Every write is update(fn): take the file lock, read
 * and validate the file, apply fn, write a temp file, flush it, and rename it over the file —
 * but only if the lock is still ours; a writer that lost it while paused reads again and
 * re-applies fn. Reads never take the lock (a rename is atomic, so a reader sees a whole file).
 * A corrupt, invalid or newer file is an error naming it, never a reset.
 */
import {mkdir, readFile, stat} from 'node:fs/promises'
import path from 'node:path'
import type * as z from 'zod'

import {CcmcpError} from '../domain/errors.js'
import type {Logger, Store, StoreCodec} from '../ports.js'
import {watchStoreFile} from './state-watch.js'
import {type LockError, withFileLock} from './file-lock.js'
import {plainJsonCodec} from './store-codec.js'
import {writeFileAtomic} from './transient-files.js'
import {rememberUnknownFields, withUnknownFields} from './unknown-fields.js'

export interface JsonStoreOptions<T> {
  dir: string
  /** File name without extension. */
  name: string
  schema: z.ZodType<T>
  /** The value of a store whose file does not exist yet. */
  empty: () => T
  /** Turns an older on-disk shape into the current one, or throws; receives the raw object. */
  migrate?: (raw: Record<string, unknown>) => Record<string, unknown>
  logger?: Logger
  /** Bytes on disk ↔ value; plain JSON unless given. */
  codec?: StoreCodec
  /** The write lock's timing; tests shorten it. */
  lock?: {staleMs?: number; waitMs?: number}
}

/** A writer paused past the stale time this often in a row gives up instead of trying forever. */
const MAX_ATTEMPTS = 5
const FIX_HINT = 'Fix the file by hand or move it aside; ccmcp never resets it on its own.'

export function createJsonStore<T>(options: JsonStoreOptions<T>): Store<T> {
  const filePath = path.join(options.dir, `${options.name}.json`)
  const codec = options.codec ?? plainJsonCodec
  // The last value read(), with the exact bytes it came from: a view that reads every second
  // decrypts and validates only when the file changed. Bytes, not stat fields: every write
  // seals anew (a fresh IV), and equal bytes are the same value whatever the clock or inode says.
  let lastRead: {bytes: Buffer; value: T} | null = null

  async function read(): Promise<T> {
    const bytes = await readBytes()
    if (bytes === null) return options.empty()
    if (lastRead?.bytes.equals(bytes)) return lastRead.value
    const value = await decodeValue(bytes)
    lastRead = {bytes, value}
    return value
  }

  async function load(): Promise<T> {
    const bytes = await readBytes()
    return bytes === null ? options.empty() : decodeValue(bytes)
  }

  async function readBytes(): Promise<Buffer | null> {
    try {
      return await readFile(filePath)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
      throw invalidFile(filePath, error)
    }
  }

  async function decodeValue(bytes: Buffer): Promise<T> {
    let raw: unknown
    try {
      raw = await codec.decode(bytes, filePath)
    } catch (error) {
      // The codec's own errors (a wrong key, an altered file) already name the file and the remedy.
      if (error instanceof CcmcpError) throw error
      throw invalidFile(filePath, error, `it is not valid ${codec.name}`)
    }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw invalidFile(filePath, new Error('it must hold a JSON object'))
    if (Object.keys(raw).length === 0) return options.empty()
    let migrated: Record<string, unknown>
    try {
      migrated = options.migrate ? options.migrate(raw as Record<string, unknown>) : (raw as Record<string, unknown>)
    } catch (error) {
      throw namingFile(filePath, error)
    }
    const result = options.schema.safeParse(migrated)
    if (!result.success) {
      const issue = result.error.issues[0]
      const where = issue?.path.length ? issue.path.join('.') : '(top level)'
      throw new CcmcpError('STATE_INVALID', `${filePath} is not a valid ccmcp ${options.name} file: ${where}: ${issue?.message ?? 'invalid'}.`, {
        hint: FIX_HINT,
        details: {file: filePath},
      })
    }
    return rememberUnknownFields(migrated, result.data)
  }

  const lockOptions = {
    staleMs: options.lock?.staleMs ?? 5_000,
    waitMs: options.lock?.waitMs ?? 15_000,
    retryMs: {min: 5, max: 50},
    logger: options.logger,
    lockError: (error: LockError) => lockFailure(filePath, error),
  }

  return {
    path: filePath,
    // Callers treat a read value as immutable (updates build new objects), so it can be shared.
    read,
    async update(fn) {
      await makeDir(filePath, options.dir)
      for (let attempt = 1; ; attempt++) {
        const outcome = await withFileLock(filePath, lockOptions, async (lock) => {
          const {value, result} = fn(await load())
          const bytes = await codec.encode(withUnknownFields(value), filePath)
          const committed = await writeFileAtomic(filePath, bytes, lock.held).catch((error: unknown) => {
            throw writeFailure(filePath, error)
          })
          return {committed, result}
        })
        if (outcome.committed) return outcome.result
        options.logger?.warn('lost the state lock while paused; reading again', {file: filePath, attempt})
        if (attempt >= MAX_ATTEMPTS) {
          throw new CcmcpError('STATE_INVALID', `Could not write ${filePath}: other processes took its lock over ${attempt} times while this one was paused.`, {
            hint: 'Nothing was written. Run the command again; if it keeps failing, look for ccmcp processes that are stopped or starved of CPU.',
            details: {file: filePath},
          })
        }
      }
    },
    watch: (listener) => watchStoreFile(filePath, listener),
  }
}

function invalidFile(filePath: string, error: unknown, reason?: string): CcmcpError {
  const detail = error instanceof Error ? error.message : String(error)
  return new CcmcpError('STATE_INVALID', `${filePath} could not be read: ${reason ? `${reason} (${detail})` : detail}`, {
    hint: FIX_HINT,
    details: {file: filePath},
    cause: error,
  })
}

/** An error from migrating (a file from a newer ccmcp) with the file named. */
function namingFile(filePath: string, error: unknown): CcmcpError {
  const message = error instanceof Error ? error.message : String(error)
  const code = error instanceof CcmcpError ? error.code : 'STATE_INVALID'
  const hint = error instanceof CcmcpError ? error.hint : FIX_HINT
  return new CcmcpError(code, `Cannot use ${filePath}: ${message.charAt(0).toLowerCase()}${message.slice(1)}`, {hint, details: {file: filePath}, cause: error})
}

const UNWRITABLE: Record<string, string> = {
  EROFS: 'is on a read-only file system',
  EACCES: 'is not writable by this user',
  EPERM: 'is not writable (permission denied or immutable)',
  ENOSPC: 'is on a full disk',
  EDQUOT: 'is over its disk quota',
}

/** Creates the store's directory; when that fails, names the directory that refused it. */
async function makeDir(filePath: string, dir: string): Promise<void> {
  try {
    await mkdir(dir, {recursive: true, mode: 0o700})
    return
  } catch (error) {
    // A recursive mkdir reports ENOENT for an EROFS or EACCES higher up: ask the first missing level itself.
    let missing = dir
    while (path.dirname(missing) !== missing && !(await stat(path.dirname(missing)).catch(() => null))) missing = path.dirname(missing)
    const real = await mkdir(missing, {mode: 0o700}).then(() => error, (cause: unknown) => cause)
    throw writeFailure(filePath, real, path.dirname(missing))
  }
}

function writeFailure(filePath: string, error: unknown, dir = path.dirname(filePath)): Error {
  const code = (error as NodeJS.ErrnoException).code ?? ''
  const why = UNWRITABLE[code]
  if (!why) return error as Error
  return new CcmcpError('STATE_INVALID', `Cannot write ${filePath}: ${dir} ${why} (${code}).`, {
    hint: `Nothing was written. Make ${dir} writable, or point CCMCP_HOME at a writable directory.`,
    details: {file: filePath, dir, errno: code},
    cause: error,
  })
}

function lockFailure(filePath: string, error: LockError): Error {
  if (error.reason === 'unwritable') return writeFailure(filePath, error.cause)
  const pid = error.owner?.pid
  return new CcmcpError('STATE_INVALID', `Could not lock ${filePath}: ${error.message}.`, {
    hint: pid
      ? `Nothing was written. Process ${pid} is a ccmcp command still working on the state; wait for it, or stop it (kill ${pid}) if it hangs.`
      : `Nothing was written. Another process holds ${error.lockFile}; wait for it to finish.`,
    details: {file: filePath, lock: error.lockFile, pid: pid ?? null},
    cause: error,
  })
}
