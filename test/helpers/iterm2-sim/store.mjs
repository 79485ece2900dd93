/**
 * The simulated iTerm2's state between osascript runs: one JSON file, changed only under a lock
 * (iTerm2 handles Apple events one at a time on its main thread; so does the simulator). A lock
 * whose owner died (a fake osascript killed by ccmcp's timeout) is taken over.
 */
import {existsSync, linkSync, readFileSync, renameSync, unlinkSync, writeFileSync} from 'node:fs'
import path from 'node:path'

import {emptyState} from './model.mjs'
import {sleepSync} from './sleep.mjs'

export const stateFile = (dir) => path.join(dir, 'state.json')

export function loadState(dir) {
  const file = stateFile(dir)
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : emptyState()
}

export function saveState(dir, state) {
  const file = stateFile(dir)
  writeFileSync(`${file}.${process.pid}.tmp`, JSON.stringify(state, null, 1))
  renameSync(`${file}.${process.pid}.tmp`, file)
}

function alive(pid) {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return error.code === 'EPERM'
  }
}

/** Runs fn(state) under the lock and saves what it leaves in state. */
export function withState(dir, fn) {
  const lock = path.join(dir, 'state.lock')
  // The lock file appears atomically with its owner's pid in it (link of a private file).
  const mine = `${lock}.${process.pid}`
  writeFileSync(mine, String(process.pid))
  try {
    for (let waited = 0; ; waited += 5) {
      try {
        linkSync(mine, lock)
        break
      } catch (error) {
        if (error.code !== 'EEXIST') throw error
      }
      let owner = 0
      try {
        owner = Number(readFileSync(lock, 'utf8'))
      } catch (error) {
        if (error.code === 'ENOENT') continue
        throw error
      }
      if (owner && !alive(owner)) {
        try {
          unlinkSync(lock)
        } catch {
          // another waiter took it over first
        }
      } else if (waited > 120_000) {
        throw new Error(`simulated iTerm2 is locked by ${owner}`)
      } else {
        sleepSync(5)
      }
    }
  } finally {
    unlinkSync(mine)
  }
  try {
    const state = loadState(dir)
    const result = fn(state)
    saveState(dir, state)
    return result
  } finally {
    try {
      if (Number(readFileSync(lock, 'utf8')) === process.pid) unlinkSync(lock)
    } catch {
      // taken over already
    }
  }
}
