/**
 * A JSON file store on conf, made safe for many processes: conf's own set() is an unlocked
 * read → mutate → write and loses concurrent updates, so every write here goes through
 * update(fn) under a proper-lockfile lock, reading the file again inside the lock.
 * Reads validate with zod; a corrupt or invalid file is an error naming it, never a reset.
 */
import {mkdir} from 'node:fs/promises'
import path from 'node:path'
import type * as z from 'zod'

import {CcmcpError} from '../errors.js'
import type {Logger, Store} from '../ports.js'
import {withFileLock} from './file-lock.js'

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
  /** How long to keep retrying for the lock before giving up. */
  lockWaitMs?: number
}

type ConfInstance = {store: Record<string, unknown>; path: string}

export function createJsonStore<T>(options: JsonStoreOptions<T>): Store<T> {
  const filePath = path.join(options.dir, `${options.name}.json`)
  let conf: ConfInstance | undefined

  async function getConf(): Promise<ConfInstance> {
    if (conf) return conf
    await mkdir(options.dir, {recursive: true, mode: 0o700})
    const {default: Conf} = await import('conf')
    try {
      conf = new Conf<Record<string, unknown>>({
        cwd: options.dir,
        configName: options.name,
        clearInvalidConfig: false,
        accessPropertiesByDotNotation: false,
        configFileMode: 0o600,
        // conf would quietly turn a top-level array into {}: refuse anything but an object.
        deserialize: (text: string) => {
          const value: unknown = JSON.parse(text)
          if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('it must hold a JSON object')
          return value as Record<string, unknown>
        },
      }) as unknown as ConfInstance
    } catch (error) {
      throw invalidFile(filePath, error)
    }
    return conf
  }

  async function readRaw(): Promise<Record<string, unknown>> {
    const instance = await getConf()
    try {
      return instance.store
    } catch (error) {
      throw invalidFile(filePath, error)
    }
  }

  function parse(raw: Record<string, unknown>): T {
    if (Object.keys(raw).length === 0) return options.empty()
    const migrated = options.migrate ? options.migrate(raw) : raw
    const result = options.schema.safeParse(migrated)
    if (!result.success) {
      const issue = result.error.issues[0]
      const where = issue?.path.length ? issue.path.join('.') : '(top level)'
      throw new CcmcpError('STATE_INVALID', `${filePath} is not a valid ccmcp ${options.name} file: ${where}: ${issue?.message ?? 'invalid'}.`, {
        hint: `Fix the file by hand or move it aside; ccmcp never resets it on its own.`,
        details: {file: filePath},
      })
    }
    return result.data
  }

  return {
    path: filePath,
    async read() {
      return parse(await readRaw())
    },
    async update(fn) {
      const instance = await getConf()
      return withFileLock(
        filePath,
        {
          staleMs: 10_000,
          waitMs: options.lockWaitMs ?? 15_000,
          retryMs: {min: 5, max: 60},
          onCompromised: (error) => options.logger?.warn('state lock compromised', {file: filePath, error: error.message}),
          lockError: (error) =>
            new CcmcpError('STATE_INVALID', `Could not lock ${filePath}: ${error.message}.`, {
              hint: `Another ccmcp process holds the lock; if none is running, remove ${filePath}.lock.`,
              cause: error,
            }),
        },
        async () => {
          const current = parse(await readRaw())
          const {value, result} = fn(current)
          instance.store = value as unknown as Record<string, unknown>
          return result
        },
      )
    },
  }
}

function invalidFile(filePath: string, error: unknown): CcmcpError {
  const reason = error instanceof Error ? error.message : String(error)
  return new CcmcpError('STATE_INVALID', `${filePath} could not be read: ${reason}`, {
    hint: 'Fix the file by hand or move it aside; ccmcp never resets it on its own.',
    details: {file: filePath},
    cause: error,
  })
}
