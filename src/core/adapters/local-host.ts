/**
 * The Host port on this machine's file system (node:fs), user (node:os) and process. The only place
 * core logic's file I/O happens; the stores keep their own adapter (json-store + file-lock).
 */
import {constants} from 'node:fs'
import {access, appendFile, chmod, copyFile, mkdir, open, readFile, readdir, realpath, rename, rm, stat, writeFile} from 'node:fs/promises'
import os from 'node:os'

import type {FileInfo, Host} from '../ports.js'

const FILE_MODE = 0o600
const DIR_MODE = 0o700
/** Temporary names: unique per process without loading node:crypto on the hook path. */
let temporaries = 0

async function statOrNull(file: string): Promise<FileInfo | null> {
  try {
    const info = await stat(file)
    return {kind: info.isFile() ? 'file' : info.isDirectory() ? 'directory' : 'other', mode: info.mode & 0o777}
  } catch (error) {
    if (isMissing(error)) return null
    throw error
  }
}

export const localHost: Host = {
  homeDir: () => os.homedir(),
  stat: statOrNull,
  realpath: (file) => realpath(file),
  async readText(file) {
    try {
      return await readFile(file, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
      throw error
    }
  },
  async readBytes(file, offset, length) {
    let handle
    try {
      handle = await open(file, 'r')
    } catch (error) {
      if (isMissing(error)) return null
      throw error
    }
    try {
      const size = (await handle.stat()).size
      const bytes = new Uint8Array(Math.max(0, Math.min(length, size - offset)))
      const {bytesRead} = bytes.length > 0 ? await handle.read(bytes, 0, bytes.length, offset) : {bytesRead: 0}
      return {bytes: bytes.subarray(0, bytesRead), size}
    } finally {
      await handle.close()
    }
  },
  async writeAtomic(file, text, options = {}) {
    const mode = options.mode ?? FILE_MODE
    // Same directory as the target, so the rename never crosses file systems.
    const temporary = `${file}.ccmcp-${process.pid}-${Date.now().toString(36)}-${++temporaries}.tmp`
    try {
      await writeFile(temporary, text, {mode, flag: 'wx'})
      // writeFile's mode is cut by the umask; the file must have exactly `mode`.
      await chmod(temporary, mode)
      await rename(temporary, file)
    } catch (error) {
      await rm(temporary, {force: true}).catch(() => undefined)
      throw error
    }
  },
  async append(file, text, options = {}) {
    await appendFile(file, text, {mode: options.mode ?? FILE_MODE})
  },
  copy: (from, to) => copyFile(from, to),
  async mkdir(dir, options = {}) {
    await mkdir(dir, {recursive: true, mode: options.mode ?? DIR_MODE})
  },
  remove: (target) => rm(target, {recursive: true, force: true}),
  readdir: (dir) => readdir(dir),
  async isExecutable(file) {
    try {
      if ((await statOrNull(file))?.kind !== 'file') return false
      await access(file, constants.X_OK)
      return true
    } catch {
      return false
    }
  },
  pid: process.pid,
  processAlive(pid) {
    try {
      process.kill(pid, 0)
      return true
    } catch (error) {
      // EPERM: it runs, as another user.
      return (error as NodeJS.ErrnoException).code === 'EPERM'
    }
  },
  releasedOnSignal,
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code
  return code === 'ENOENT' || code === 'ENOTDIR'
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const

/**
 * Runs `work`; if the process is told to stop meanwhile, runs `cleanup` first and then lets the
 * signal do what it would have done (re-raised once our handler is gone). The handler stays
 * installed until cleanup ends: other libraries (signal-exit) kill the process at once when
 * they see no other listener.
 */
async function releasedOnSignal<T>(cleanup: () => Promise<void>, work: () => Promise<T>): Promise<T> {
  let stopping = false
  const handlers = SIGNALS.map((signal) => [signal, () => onSignal(signal)] as const)
  const remove = () => {
    for (const [name, handler] of handlers) process.off(name, handler)
  }
  function onSignal(signal: NodeJS.Signals): void {
    if (stopping) return
    stopping = true
    void cleanup()
      .catch(() => undefined)
      .finally(() => {
        remove()
        process.kill(process.pid, signal)
      })
  }
  for (const [name, handler] of handlers) process.on(name, handler)
  try {
    return await work()
  } finally {
    if (!stopping) remove()
  }
}
