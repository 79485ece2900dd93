/** watchStoreFile: change notification for the state file, with the real store writing it. */
import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest'

import {createJsonStore} from '../../src/core/adapters/json-store.js'
import {SessionRecord, State, emptyState} from '../../src/core/domain/state.js'
import {watchStoreFile} from '../../src/core/adapters/state-watch.js'

let dir: string
const stops: Array<() => void> = []

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'ccmcp-watch-'))
})

afterEach(async () => {
  for (const stop of stops.splice(0)) stop()
  await rm(dir, {recursive: true, force: true})
})

function store() {
  return createJsonStore({dir, name: 'state', schema: State, empty: emptyState})
}

const session = (name: string) => SessionRecord.parse({name, root: '/', backend: 'tmux', createdAt: new Date().toISOString(), nextAgentNumber: 1})

describe('watchStoreFile', () => {
  it('calls back once per write, however many events the atomic write makes', async () => {
    const states = store()
    await states.update((state) => ({value: state, result: undefined}))
    let calls = 0
    stops.push(watchStoreFile(states.path, () => calls++, {debounceMs: 30}))
    await states.update((state) => ({value: {...state, sessions: [session('a')]}, result: undefined}))
    await vi.waitFor(() => expect(calls).toBe(1))
    // Another writer (a hook in another process does exactly this through the same store).
    await store().update((state) => ({value: {...state, sessions: [...state.sessions, session('b')]}, result: undefined}))
    await vi.waitFor(() => expect(calls).toBe(2))
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(calls).toBe(2)
  })

  it('ignores other files in the directory and stops when told', async () => {
    const states = store()
    let calls = 0
    const stop = watchStoreFile(states.path, () => calls++, {debounceMs: 10})
    await writeFile(path.join(dir, 'config.json'), '{}')
    await writeFile(path.join(dir, 'state.json.lock-not-ours'), 'x')
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(calls).toBe(0)
    stop()
    await states.update((state) => ({value: {...state, sessions: [session('a')]}, result: undefined}))
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(calls).toBe(0)
  })

  it('falls back to polling the file when the directory cannot be watched', async () => {
    const file = path.join(dir, 'missing-dir', 'state.json')
    let calls = 0
    stops.push(watchStoreFile(file, () => calls++, {debounceMs: 10, pollMs: 20}))
    await new Promise((resolve) => setTimeout(resolve, 50))
    const states = createJsonStore({dir: path.dirname(file), name: 'state', schema: State, empty: emptyState})
    await states.update((state) => ({value: {...state, sessions: [session('a')]}, result: undefined}))
    await vi.waitFor(() => expect(calls).toBeGreaterThanOrEqual(1))
  })
})
