/**
 * Change notification for a store file, for live views: `listener` runs (debounced) whenever the
 * file is written, by this process, a hook, or any other ccmcp process. No polling: the
 * directory is watched (inotify / FSEvents / kqueue), because the stores write atomically (temp
 * file + rename) and a watch on the file itself would go deaf after the first replace. Where a
 * directory cannot be watched, it falls back to stat polling of the file.
 */
import {type FSWatcher, unwatchFile, watch, watchFile} from 'node:fs'
import path from 'node:path'

export interface WatchOptions {
  /** Quiet time before the listener runs; one write makes several events. */
  debounceMs?: number
  /** Stat interval of the polling fallback. */
  pollMs?: number
}

/** Starts watching; returns the function that stops it. */
export function watchStoreFile(file: string, listener: () => void, options: WatchOptions = {}): () => void {
  const debounceMs = options.debounceMs ?? 40
  const name = path.basename(file)
  let timer: NodeJS.Timeout | undefined
  let stopped = false
  let stopWatching: () => void = () => undefined

  const changed = () => {
    if (stopped) return
    if (timer) clearTimeout(timer)
    timer = setTimeout(() => {
      timer = undefined
      if (!stopped) listener()
    }, debounceMs)
  }

  const poll = () => {
    watchFile(file, {interval: options.pollMs ?? 500, persistent: false}, changed)
    stopWatching = () => unwatchFile(file, changed)
  }

  try {
    const watcher: FSWatcher = watch(path.dirname(file), {persistent: false}, (_event, filename) => {
      // Some platforms omit the name; then any change in the directory may be ours.
      if (filename === null || filename === name) changed()
    })
    watcher.on('error', () => {
      watcher.close()
      if (!stopped) poll()
    })
    stopWatching = () => watcher.close()
  } catch {
    poll()
  }

  return () => {
    stopped = true
    if (timer) clearTimeout(timer)
    stopWatching()
  }
}
