/**
 * `key rotate`: every encrypted file re-encrypted with a new key and the old key gone; killed
 * (kill -9) in the middle, everything still reads and running it again finishes with the same
 * new key. Also the keychain's choice being remembered (a fake keychain; the real one is in
 * keychain-real.test.ts).
 */
import {execa} from 'execa'
import {mkdir, mkdtemp, readFile, readdir, rm, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {atRest} from '../../src/core/adapters/at-rest.js'
import {KeychainUnavailable} from '../../src/core/adapters/keys/keychain.js'
import {createStateStore} from '../../src/core/adapters/stores.js'
import {emptyState} from '../../src/core/domain/state.js'
import {repoRoot} from '../helpers/cli.js'

const noKeychain = async () => {
  throw new KeychainUnavailable('no D-Bus here (test)')
}

let home: string
beforeEach(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'ccrot-'))
})
afterEach(async () => {
  await rm(home, {recursive: true, force: true})
})

const envelopeKey = (text: string) => /^ccmcp-enc\.v1\.([0-9a-f]{12})\./.exec(text)?.[1]

/** state.json, two more stores and an event log, all encrypted with the home's key. */
async function populate(): Promise<string[]> {
  const rest = atRest({env: {}, home, keychain: noKeychain})
  await createStateStore(home, undefined, {codec: rest.codec}).update(() => ({value: {...emptyState(), sessions: [{name: 'alpha', root: '/tmp', backend: 'tmux', createdAt: 'x', nextAgentNumber: 1}]}, result: null}))
  const files = [path.join(home, 'tasks', 'alpha.json'), path.join(home, 'messages', 'alpha.json')]
  for (const file of files) {
    await mkdir(path.dirname(file), {recursive: true})
    await writeFile(file, await rest.codec.encode({body: `secret of ${path.basename(path.dirname(file))}`}, file), {mode: 0o600})
  }
  const log = path.join(home, 'events', 'alpha', 'Agent_1.jsonl')
  await mkdir(path.dirname(log), {recursive: true})
  await writeFile(log, `${await rest.codec.encodeLine({prompt: 'one'}, log)}\n${JSON.stringify({prompt: 'plain, from before encryption'})}\n`)
  return [path.join(home, 'state.json'), ...files, log]
}

async function readAll(files: string[]): Promise<unknown[]> {
  const {codec} = atRest({env: {}, home, keychain: noKeychain})
  return Promise.all(
    files.map(async (file) => {
      const text = await readFile(file, 'utf8')
      if (!file.endsWith('.jsonl')) return codec.decode(Buffer.from(text), file)
      return Promise.all(text.trim().split('\n').map(async (line) => JSON.parse(line.startsWith('ccmcp-enc.') ? await codec.openText(line, file) : line) as unknown))
    }),
  )
}

describe('key rotate', () => {
  it('re-encrypts every encrypted file with a new key and retires the old one', async () => {
    const files = await populate()
    const before = await readAll(files.slice(0, 3))
    const oldKey = await readFile(path.join(home, 'keys', 'master.key'), 'utf8')
    const result = await atRest({env: {}, home, keychain: noKeychain}).rotation.rotate()
    expect(result.resumed).toBe(false)
    expect(result.keyId).not.toBe(result.previousKeyId)
    expect(result.files.sort()).toEqual([...files].sort())
    expect(await readFile(path.join(home, 'keys', 'master.key'), 'utf8')).not.toBe(oldKey)
    expect(await readdir(path.join(home, 'keys'))).toEqual(['master.key'])
    for (const file of files) {
      for (const line of (await readFile(file, 'utf8')).trim().split('\n')) expect(envelopeKey(line)).toBe(result.keyId)
    }
    expect(await readAll(files.slice(0, 3))).toEqual(before)
    expect((await readAll(files.slice(3)))[0]).toEqual([{prompt: 'one'}, {prompt: 'plain, from before encryption'}])
  })

  it('killed with kill -9 in the middle: everything still reads, and running it again finishes with the same new key', async () => {
    const files = await populate()
    const before = await readAll(files)
    // The built code in a child process that SIGKILLs itself right after the first file.
    const script = `
      const {atRest} = await import(${JSON.stringify(pathToFileURL(path.join(repoRoot, 'dist/core/adapters/at-rest.js')).href)})
      const {createKeyRotation} = await import(${JSON.stringify(pathToFileURL(path.join(repoRoot, 'dist/core/adapters/crypto/key-rotation.js')).href)})
      const rest = atRest({env: {}, home: process.argv[1]})
      await createKeyRotation({keys: rest.keys, codec: rest.codec, home: process.argv[1], afterFile: () => process.kill(process.pid, 'SIGKILL')}).rotate()
    `
    const killed = await execa(process.execPath, ['--input-type=module', '-e', script, home], {reject: false, env: {PATH: process.env.PATH ?? ''}, extendEnv: false})
    expect(killed.signal).toBe('SIGKILL')
    const keyIds = new Set((await Promise.all(files.map(async (file) => envelopeKey(await readFile(file, 'utf8'))))))
    expect(keyIds.size).toBe(2) // half done: old and new keys side by side
    expect(await readdir(path.join(home, 'keys'))).toContain('master.key.next')
    expect(await readAll(files)).toEqual(before)

    const result = await atRest({env: {}, home, keychain: noKeychain}).rotation.rotate()
    expect(result.resumed).toBe(true)
    expect(await readdir(path.join(home, 'keys'))).toEqual(['master.key'])
    for (const file of files) expect(envelopeKey(await readFile(file, 'utf8'))).toBe(result.keyId)
    expect(await readAll(files)).toEqual(before)
  })

  it('a process that read the old key before the rotation reads and writes with the new one after it', async () => {
    await populate()
    const early = atRest({env: {}, home, keychain: noKeychain})
    const store = createStateStore(home, undefined, {codec: early.codec})
    await store.read()
    const {keyId} = await atRest({env: {}, home, keychain: noKeychain}).rotation.rotate()
    await store.update((value) => ({value: {...value, sessions: [...value.sessions, {...value.sessions[0]!, name: 'beta'}]}, result: null}))
    expect(envelopeKey(await readFile(path.join(home, 'state.json'), 'utf8'))).toBe(keyId)
    expect((await createStateStore(home, undefined, {codec: atRest({env: {}, home, keychain: noKeychain}).codec}).read()).sessions.map((s) => s.name)).toEqual(['alpha', 'beta'])
  })

  it('is refused while CCMCP_KEY gives the key', async () => {
    const key = Buffer.alloc(32, 5).toString('base64')
    await atRest({env: {CCMCP_KEY: key}, home, keychain: noKeychain}).keys.masterKey()
    await expect(atRest({env: {CCMCP_KEY: key}, home, keychain: noKeychain}).rotation.rotate()).rejects.toMatchObject({code: 'ENVIRONMENT', message: expect.stringMatching(/CCMCP_KEY gives the key/)})
  })
})

describe('the keychain, remembered', () => {
  function fakeKeychain() {
    const entries = new Map<string, string>()
    let up = true
    return {
      entries,
      down: () => void (up = false),
      open: async (service: string, account: string) => {
        if (!up) throw new KeychainUnavailable('org.freedesktop.DBus.Error.ServiceUnknown (test)')
        const name = `${service}/${account}`
        return {
          get: async () => entries.get(name) ?? null,
          set: async (value: string) => void entries.set(name, value),
          delete: async () => entries.delete(name),
        }
      },
    }
  }

  it('a key created in the keychain is used from there; a process that cannot reach it fails instead of making another key', async () => {
    const keychain = fakeKeychain()
    const first = atRest({env: {}, home, keychain: keychain.open})
    const key = await first.keys.masterKey()
    expect(await first.keys.describe()).toMatchObject({source: 'keychain', where: expect.stringContaining(`account "master key for ${home}"`)})
    expect(await readdir(path.join(home, 'keys'))).toEqual(['keychain'])
    expect(Buffer.from(await atRest({env: {}, home, keychain: keychain.open}).keys.masterKey())).toEqual(Buffer.from(key))
    keychain.down()
    await expect(atRest({env: {}, home, keychain: keychain.open}).keys.masterKey()).rejects.toMatchObject({code: 'ENVIRONMENT', message: expect.stringMatching(/key is in the OS keychain, which this process cannot use: .*ServiceUnknown/)})
    expect(await readdir(path.join(home, 'keys'))).toEqual(['keychain'])
  })

  it('rotation keeps the key in the keychain', async () => {
    const keychain = fakeKeychain()
    const rest = atRest({env: {}, home, keychain: keychain.open})
    const store = createStateStore(home, undefined, {codec: rest.codec})
    await store.update(() => ({value: emptyState(), result: null}))
    const old = keychain.entries.get(`ccmcp/master key for ${home}`)
    const result = await atRest({env: {}, home, keychain: keychain.open}).rotation.rotate()
    expect(keychain.entries.get(`ccmcp/master key for ${home}`)).not.toBe(old)
    expect([...keychain.entries.keys()]).toEqual([`ccmcp/master key for ${home}`])
    expect(envelopeKey(await readFile(path.join(home, 'state.json'), 'utf8'))).toBe(result.keyId)
  })
})
