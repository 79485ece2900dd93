import {execa} from 'execa'
import {createHash} from 'node:crypto'
import {mkdtemp, readFile, readdir, rm, stat, utimes, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest'
import * as z from 'zod'

import {createJsonStore} from '../../src/core/adapters/json-store.js'
import {SessionRecord, emptyState} from '../../src/core/domain/state.js'
import {createStateStore} from '../../src/core/adapters/stores.js'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'ccmcp-store-'))
})
afterEach(async () => {
  await rm(dir, {recursive: true, force: true})
})

const stateStore = () => createStateStore(dir)

describe('json store', () => {
  it('starts empty, writes through update, and keeps the file private', async () => {
    const store = stateStore()
    expect(await store.read()).toEqual(emptyState())
    const result = await store.update((state) => ({value: {...state, sessions: []}, result: 42}))
    expect(result).toBe(42)
    expect((await stat(store.path)).mode & 0o777).toBe(0o600)
  })

  it('a throwing update writes nothing', async () => {
    const store = stateStore()
    await expect(store.update(() => {
      throw new Error('no')
    })).rejects.toThrow('no')
    await expect(stat(store.path)).rejects.toThrow()
  })

  it('a corrupt file is an error naming the file, and is left as it was', async () => {
    const file = path.join(dir, 'state.json')
    await writeFile(file, '{"schemaVersion": 1, "sessions": [')
    const store = stateStore()
    await expect(store.read()).rejects.toMatchObject({code: 'STATE_INVALID', message: expect.stringContaining(file)})
    await expect(store.update((state) => ({value: state, result: undefined}))).rejects.toMatchObject({code: 'STATE_INVALID'})
    expect(await readFile(file, 'utf8')).toBe('{"schemaVersion": 1, "sessions": [')
  })

  it('a file of the wrong shape says where it is wrong', async () => {
    await writeFile(path.join(dir, 'state.json'), JSON.stringify({schemaVersion: 1, sessions: [{name: 'x'}], agents: []}))
    await expect(stateStore().read()).rejects.toThrow(/sessions\.0\.root/)
  })

  it('a file that holds an array is invalid, not an empty store', async () => {
    await writeFile(path.join(dir, 'state.json'), '[]')
    await expect(stateStore().read()).rejects.toThrow(/must hold a JSON object/)
  })

  it('a file from a newer ccmcp is refused with the file named, and not rewritten', async () => {
    const file = path.join(dir, 'state.json')
    const text = JSON.stringify({schemaVersion: 2, sessions: [], agents: []})
    await writeFile(file, text)
    await expect(stateStore().read()).rejects.toMatchObject({code: 'STATE_INVALID', message: expect.stringMatching(/newer ccmcp \(schema 2/)})
    await expect(stateStore().read()).rejects.toMatchObject({message: expect.stringContaining(file), details: {file}})
    await expect(stateStore().update((state) => ({value: state, result: undefined}))).rejects.toMatchObject({message: expect.stringContaining(file)})
    expect(await readFile(file, 'utf8')).toBe(text)
  })

  it("keeps the fields a newer ccmcp added through this one's writes", async () => {
    const file = path.join(dir, 'state.json')
    const session = {name: 's', root: '/', backend: 'tmux', createdAt: '2026-01-01T00:00:00.000Z', nextAgentNumber: 1, owner: 'team-a'}
    const store = stateStore()
    await store.update((state) => ({value: {...state, sessions: [SessionRecord.parse({name: 's', root: '/', backend: 'tmux', createdAt: session.createdAt, nextAgentNumber: 1})]}, result: undefined}))
    const written = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>
    await writeFile(file, JSON.stringify({...written, sessions: [session], tasks: [{id: 1, body: 'newer'}]}))
    await store.update((state) => ({value: {...state, sessions: state.sessions.map((one) => ({...one, nextAgentNumber: 2}))}, result: undefined}))
    const after = JSON.parse(await readFile(file, 'utf8')) as {sessions: Array<Record<string, unknown>>; tasks: unknown}
    expect(after.tasks).toEqual([{id: 1, body: 'newer'}])
    expect(after.sessions).toEqual([{...session, nextAgentNumber: 2}])
    // What this ccmcp reads is only what it knows.
    expect(Object.keys((await store.read()).sessions[0]!)).not.toContain('owner')
  })

  it('leaves no temp file behind and removes those of writers that are gone', async () => {
    const store = stateStore()
    await store.update((state) => ({value: state, result: undefined}))
    // Left by killed writers: one of ours (its pid is gone), one of the conf-based store (old).
    const hostTag = createHash('sha256').update(os.hostname()).digest('hex').slice(0, 8)
    const dead = path.join(dir, `state.json.tmp-${hostTag}-999999999-abcdef`)
    const live = path.join(dir, `state.json.tmp-${hostTag}-${process.pid}-abcdef`)
    const legacy = path.join(dir, 'state.json.tmp-1700000000abc123')
    for (const file of [dead, live, legacy]) await writeFile(file, '{')
    const old = new Date(Date.now() - 3_600_000)
    await utimes(legacy, old, old)
    await store.update((state) => ({value: state, result: undefined}))
    expect((await readdir(dir)).sort()).toEqual(['state.json', path.basename(live)].sort())
  })

  it('watch() reports every write to the file', async () => {
    const store = stateStore()
    await store.update((state) => ({value: state, result: undefined}))
    let calls = 0
    const stop = store.watch(() => calls++)
    try {
      await stateStore().update((state) => ({value: {...state, sessions: []}, result: undefined}))
      await vi.waitFor(() => expect(calls).toBe(1))
    } finally {
      stop()
    }
  })

  it('keeps the file through a pluggable codec', async () => {
    const reversed = {
      name: 'reversed JSON',
      encode: (value: unknown) => [...JSON.stringify(value)].reverse().join(''),
      decode: (bytes: Uint8Array) => JSON.parse([...Buffer.from(bytes).toString('utf8')].reverse().join('')) as unknown,
    }
    const store = createJsonStore({dir, name: 'coded', schema: z.object({n: z.number()}), empty: () => ({n: 0}), codec: reversed})
    await store.update(() => ({value: {n: 7}, result: undefined}))
    expect(await readFile(store.path, 'utf8')).toBe('}7:"n"{')
    expect(await store.read()).toEqual({n: 7})
    await writeFile(store.path, 'garbage')
    await expect(store.read()).rejects.toMatchObject({code: 'STATE_INVALID', message: expect.stringContaining(`${store.path} could not be read: it is not valid reversed JSON`)})
  })

  it('loses no update when several processes write at once', async () => {
    const writer = fileURLToPath(new URL('../fixtures/store-writer.mjs', import.meta.url))
    await Promise.all(Array.from({length: 6}, () => execa(process.execPath, [writer, dir, '25'])))
    const store = createJsonStore({dir, name: 'counter', schema: z.object({count: z.number()}), empty: () => ({count: 0})})
    expect(await store.read()).toEqual({count: 150})
  })

  it('decodes and validates a read only when the bytes changed, and sees every change another writer makes', async () => {
    let decodes = 0
    const counting = {name: 'JSON', decode: (bytes: Uint8Array) => (decodes++, JSON.parse(Buffer.from(bytes).toString('utf8')) as unknown), encode: (value: unknown) => JSON.stringify(value)}
    const make = () => createJsonStore({dir, name: 'cached', schema: z.object({n: z.number()}), empty: () => ({n: 0}), codec: counting})
    const reader = make()
    await make().update(() => ({value: {n: 1}, result: undefined}))
    expect(await reader.read()).toEqual({n: 1})
    const afterFirst = decodes
    for (let index = 0; index < 5; index++) expect(await reader.read()).toEqual({n: 1})
    expect(decodes).toBe(afterFirst)
    // Same size, same inode, same mtime: an in-place edit within the clock's resolution.
    const {mtime} = await stat(reader.path)
    await writeFile(reader.path, JSON.stringify({n: 2}))
    await utimes(reader.path, mtime, mtime)
    expect(await reader.read()).toEqual({n: 2})
    // Another store instance (another process) replaces the file.
    await make().update(() => ({value: {n: 3}, result: undefined}))
    expect(await reader.read()).toEqual({n: 3})
    // A file made invalid is an error at once, never the value read before.
    await writeFile(reader.path, JSON.stringify({n: 'x'}))
    await expect(reader.read()).rejects.toMatchObject({code: 'STATE_INVALID'})
    await rm(reader.path)
    expect(await reader.read()).toEqual({n: 0})
  })
})
