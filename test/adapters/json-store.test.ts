import {execa} from 'execa'
import {mkdtemp, readFile, rm, stat, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import * as z from 'zod'

import {createJsonStore} from '../../src/core/adapters/json-store.js'
import {emptyState} from '../../src/core/domain.js'
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

  it('a file from a newer ccmcp is refused, not rewritten', async () => {
    await writeFile(path.join(dir, 'state.json'), JSON.stringify({schemaVersion: 2, sessions: [], agents: []}))
    await expect(stateStore().read()).rejects.toThrow(/newer ccmcp \(schema 2/)
  })

  it('loses no update when several processes write at once', async () => {
    const writer = fileURLToPath(new URL('../fixtures/store-writer.mjs', import.meta.url))
    await Promise.all(Array.from({length: 6}, () => execa(process.execPath, [writer, dir, '25'])))
    const store = createJsonStore({dir, name: 'counter', schema: z.object({count: z.number()}), empty: () => ({count: 0})})
    expect(await store.read()).toEqual({count: 150})
  })
})
