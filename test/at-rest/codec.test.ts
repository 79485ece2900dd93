/**
 * Encryption at rest on real files: what a store writes is an authenticated envelope, an altered
 * byte or a wrong key is an error naming the file (never a reset), a plain state from an older
 * ccmcp is read and written back encrypted, and event-log lines are sealed one by one.
 */
import {chmod, mkdtemp, readFile, rm, stat, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {atRest} from '../../src/core/adapters/at-rest.js'
import {createStateStore} from '../../src/core/adapters/stores.js'
import {Agent, emptyState} from '../../src/core/domain/state.js'
import {readEventLog} from '../helpers/at-rest.js'
import {recordHookEvent} from '../../src/core/delivery/hook-events.js'
import {localHost} from '../../src/core/adapters/local-host.js'
import {KeychainUnavailable} from '../../src/core/adapters/keys/keychain.js'

const SECRET = 'zanzibar-quokka-7731'
const noKeychain = async () => {
  throw new KeychainUnavailable('no D-Bus here (test)')
}

let home: string
beforeEach(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'ccrest-'))
})
afterEach(async () => {
  await rm(home, {recursive: true, force: true})
})

const stateWith = (session: string) => ({...emptyState(), sessions: [{name: session, root: '/tmp', backend: 'tmux' as const, createdAt: new Date().toISOString(), nextAgentNumber: 1}]})

function storeOf(env: NodeJS.ProcessEnv = {}) {
  const rest = atRest({env, home, keychain: noKeychain})
  return {rest, store: createStateStore(home, undefined, {codec: rest.codec})}
}

describe('the encrypting store codec', () => {
  it('round-trips a value; the file holds an envelope and no plaintext', async () => {
    const {store} = storeOf()
    await store.update(() => ({value: stateWith(SECRET), result: null}))
    const text = await readFile(path.join(home, 'state.json'), 'utf8')
    expect(text).toMatch(/^ccmcp-enc\.v1\.[0-9a-f]{12}\.[\w-]{16}\.[\w-]{22}\.[\w-]+\n$/)
    expect(text).not.toContain(SECRET)
    expect((await store.read()).sessions[0]?.name).toBe(SECRET)
    // A fresh process (a new key source) reads it with the key file.
    expect((await storeOf().store.read()).sessions[0]?.name).toBe(SECRET)
  })

  it('one flipped byte is an error naming the file, and the file is left as it was', async () => {
    const {store} = storeOf()
    await store.update(() => ({value: stateWith(SECRET), result: null}))
    const file = path.join(home, 'state.json')
    const text = await readFile(file, 'utf8')
    const at = text.length - 10
    const altered = `${text.slice(0, at)}${text[at] === 'A' ? 'B' : 'A'}${text.slice(at + 1)}`
    await writeFile(file, altered)
    const failure = storeOf().store.read()
    await expect(failure).rejects.toMatchObject({code: 'STATE_INVALID', reason: 'tampered', message: expect.stringContaining(file)})
    await expect(storeOf().store.update((value) => ({value, result: null}))).rejects.toMatchObject({reason: 'tampered'})
    expect(await readFile(file, 'utf8')).toBe(altered)
  })

  it('another file’s envelope put in its place does not decrypt (the path is authenticated)', async () => {
    const {rest} = storeOf()
    const sealed = await rest.codec.encode({schemaVersion: 1, sessions: [], agents: []}, path.join(home, 'other.json'))
    await writeFile(path.join(home, 'state.json'), sealed)
    await expect(storeOf().store.read()).rejects.toMatchObject({code: 'STATE_INVALID', reason: 'tampered'})
  })

  it('a wrong key is a clear error naming the file and both keys, never a reset', async () => {
    const {store} = storeOf()
    await store.update(() => ({value: stateWith(SECRET), result: null}))
    const file = path.join(home, 'state.json')
    const before = await readFile(file, 'utf8')
    await writeFile(path.join(home, 'keys', 'master.key'), `${Buffer.alloc(32, 9).toString('base64')}\n`, {mode: 0o600})
    const error = await storeOf().store.read().catch((caught: unknown) => caught)
    expect(error).toMatchObject({code: 'STATE_INVALID', reason: 'wrong-key', message: expect.stringMatching(new RegExp(`${file.replaceAll('/', '\\/')} was encrypted with key [0-9a-f]{12}, but ccmcp's key \\(.*master\\.key\\) is [0-9a-f]{12}`))})
    expect((error as {hint: string}).hint).toMatch(/never resets/)
    expect(await readFile(file, 'utf8')).toBe(before)
  })

  it('a plain state.json from an older ccmcp is read, and written back encrypted', async () => {
    const file = path.join(home, 'state.json')
    await writeFile(file, JSON.stringify(stateWith(SECRET), null, '\t'))
    const {store} = storeOf()
    expect((await store.read()).sessions[0]?.name).toBe(SECRET)
    await store.update((value) => ({value, result: null}))
    const text = await readFile(file, 'utf8')
    expect(text).toMatch(/^ccmcp-enc\.v1\./)
    expect(text).not.toContain(SECRET)
    expect((await store.read()).sessions[0]?.name).toBe(SECRET)
  })

  it('event-log lines are sealed one by one and read back in order', async () => {
    const {rest, store} = storeOf()
    await store.update(() => ({
      value: {...stateWith('s'), agents: [Agent.parse({session: 's', name: 'Agent_1', kind: 'command', command: ['x'], status: 'idle', tab: null, conversationId: null, createdAt: new Date().toISOString(), lastEventAt: null, lastError: null})]},
      result: null,
    }))
    const context = {store, host: localHost, eventsDir: path.join(home, 'events'), lines: rest.codec, session: 's', agent: 'Agent_1', launchId: null, now: new Date()}
    await recordHookEvent(context, {hook_event_name: 'UserPromptSubmit', prompt: SECRET})
    await recordHookEvent(context, {hook_event_name: 'Stop', last_assistant_message: `${SECRET} done`})
    const text = await readFile(path.join(home, 'events', 's', 'Agent_1.jsonl'), 'utf8')
    expect(text).not.toContain(SECRET)
    expect(text.trim().split('\n').every((line) => line.startsWith('ccmcp-enc.v1.'))).toBe(true)
    expect((await readEventLog(home, 's', 'Agent_1')).map((event) => event.hook_event_name)).toEqual(['UserPromptSubmit', 'Stop'])
  })
})

describe('the key file', () => {
  it('is created 0600 in a 0700 directory when the keychain is unavailable, and doctor is told why', async () => {
    const {rest} = storeOf()
    await rest.keys.masterKey()
    expect((await stat(path.join(home, 'keys'))).mode & 0o777).toBe(0o700)
    expect((await stat(path.join(home, 'keys', 'master.key'))).mode & 0o777).toBe(0o600)
    expect(await atRest({env: {}, home, keychain: noKeychain}).keys.describe()).toMatchObject({
      source: 'file',
      where: path.join(home, 'keys', 'master.key'),
      note: expect.stringMatching(/keychain is unavailable \(no D-Bus here/),
    })
  })

  it('is refused when others may read it', async () => {
    const {rest} = storeOf()
    await rest.keys.masterKey()
    await chmod(path.join(home, 'keys', 'master.key'), 0o644)
    await expect(storeOf().rest.keys.masterKey()).rejects.toMatchObject({code: 'ENVIRONMENT', message: expect.stringMatching(/readable by other users: .*master\.key has mode 0644/)})
    await chmod(path.join(home, 'keys', 'master.key'), 0o600)
    await chmod(path.join(home, 'keys'), 0o755)
    await expect(storeOf().rest.keys.masterKey()).rejects.toMatchObject({code: 'ENVIRONMENT', message: expect.stringMatching(/keys has mode 0755/)})
  })

  it('concurrent first uses agree on one key', async () => {
    const keys = await Promise.all(Array.from({length: 6}, () => storeOf().rest.keys.masterKey()))
    expect(new Set(keys.map((key) => Buffer.from(key).toString('hex'))).size).toBe(1)
  })
})

describe('CCMCP_KEY', () => {
  const given = Buffer.alloc(32, 3).toString('base64')

  it('gives the key, and is kept in the key file for agents’ hooks (which never see it)', async () => {
    const {rest} = storeOf({CCMCP_KEY: given})
    expect(Buffer.from(await rest.keys.masterKey()).toString('base64')).toBe(given)
    expect(await rest.keys.describe()).toMatchObject({source: 'env', where: 'CCMCP_KEY'})
    // A hook process: no CCMCP_KEY, same key.
    expect(Buffer.from(await storeOf().rest.keys.masterKey()).toString('base64')).toBe(given)
  })

  it('of the wrong length is a clear error', async () => {
    for (const bad of [Buffer.alloc(16).toString('base64'), 'not base64!']) {
      await expect(storeOf({CCMCP_KEY: bad}).rest.keys.masterKey()).rejects.toMatchObject({code: 'INVALID_INPUT', message: expect.stringMatching(/CCMCP_KEY is not a ccmcp key: it must be base64 of exactly 32 bytes/)})
    }
  })

  it('that differs from the kept key is refused (the hooks would use the other one)', async () => {
    await storeOf().rest.keys.masterKey()
    await expect(storeOf({CCMCP_KEY: given}).rest.keys.masterKey()).rejects.toMatchObject({code: 'ENVIRONMENT', message: expect.stringMatching(/is not the key kept in/)})
  })
})
