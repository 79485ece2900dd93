/**
 * A cross-process lock on a path (proper-lockfile: mkdir-based, with an mtime heartbeat), held
 * while `fn` runs. `lockError` turns a lock that could not be had into the caller's own error.
 */
export interface FileLockOptions {
  /** A lock older than this without a heartbeat is taken over. */
  staleMs: number
  /** How long to keep trying before giving up. */
  waitMs: number
  /** Pause between tries. */
  retryMs: {min: number; max: number}
  onCompromised?: (error: Error) => void
  lockError: (error: Error) => Error
}

export async function withFileLock<T>(target: string, options: FileLockOptions, fn: () => Promise<T>): Promise<T> {
  const lockfile = await import('proper-lockfile')
  let release: () => Promise<void>
  try {
    release = await lockfile.lock(target, {
      realpath: false,
      lockfilePath: `${target}.lock`,
      stale: options.staleMs,
      retries: {retries: Math.ceil(options.waitMs / options.retryMs.min), factor: 1.1, minTimeout: options.retryMs.min, maxTimeout: options.retryMs.max, randomize: true},
      onCompromised: options.onCompromised ?? (() => undefined),
    })
  } catch (error) {
    throw options.lockError(error as Error)
  }
  try {
    return await fn()
  } finally {
    await release().catch(() => undefined)
  }
}
