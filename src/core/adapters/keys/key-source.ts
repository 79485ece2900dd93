/**
 * Where ccmcp's master key comes from, in order: CCMCP_KEY (base64, 32 bytes), the OS keychain,
 * a 0600 key file in <home>/keys. The keychain or the file is chosen once, when the key is
 * created, and remembered: a key in the keychain leaves the marker file keys/keychain, so a
 * process that cannot reach the keychain (no D-Bus) fails with the reason instead of making a
 * second key that cannot read the first one's files. Agents' hooks never see CCMCP_KEY (it is
 * stripped from their environment), so a CCMCP_KEY is also kept in the key file for them.
 *
 * During a rotation a second, "next" key exists (keychain entry "<account> (next)" or
 * master.key.next): decoders know both, encoders use the next one (key-rotation.ts).
 */
import {randomBytes} from 'node:crypto'
import {mkdir, readFile, rm, writeFile} from 'node:fs/promises'
import path from 'node:path'

import {CcmcpError} from '../../domain/errors.js'
import type {KeySource} from '../../ports.js'
import {withFileLock} from '../file-lock.js'
import {createKeyFile, readKeyFile, replaceKeyFile} from './key-file.js'
import {type KeychainEntry, KeychainUnavailable, type OpenKeychainEntry, openKeychainEntry} from './keychain.js'
import {keyId, parseKey} from './key-text.js'

export const KEYCHAIN_SERVICE = 'ccmcp'

export interface KeyRing {
  current: Uint8Array
  /** Set while a rotation is under way: what new files are written with. */
  next: Uint8Array | null
}

export interface KeyDescription {
  source: 'env' | 'keychain' | 'file'
  where: string
  /** Why this source (e.g. the keychain could not be used). */
  note?: string
  keyId: string
}

/** The key source with what encryption and rotation need beyond the port. */
export interface LocalKeySource extends KeySource {
  describe(): Promise<KeyDescription>
  /** The keys, read once per process; `refresh` reads them again (a rotation elsewhere). */
  ring(options?: {refresh?: boolean}): Promise<KeyRing>
  /** Stores a new "next" key, or returns the one an interrupted rotation left. */
  beginRotation(): Promise<Uint8Array>
  /** Makes the next key the current one and forgets the old one. */
  finishRotation(): Promise<void>
}

export interface KeySourceOptions {
  env: NodeJS.ProcessEnv
  home: string
  /** Tests replace the OS keychain. */
  keychain?: OpenKeychainEntry
}

interface Stored {
  kind: 'keychain' | 'file'
  where: string
  note?: string
  read(which: 'current' | 'next'): Promise<Uint8Array | null>
  write(which: 'current' | 'next', key: Uint8Array): Promise<void>
  remove(which: 'next'): Promise<void>
}

export function createKeySource(options: KeySourceOptions): LocalKeySource {
  const keysDir = path.join(options.home, 'keys')
  const keyFile = path.join(keysDir, 'master.key')
  const marker = path.join(keysDir, 'keychain')
  const account = `master key for ${options.home}`
  const openEntry = options.keychain ?? openKeychainEntry
  const envText = options.env.CCMCP_KEY
  let stored: Promise<Stored> | null = null
  let cached: Promise<KeyRing> | null = null

  const fileStore = (note?: string): Stored => ({
    kind: 'file',
    where: keyFile,
    note,
    read: (which) => readKeyFile(which === 'current' ? keyFile : `${keyFile}.next`),
    write: (which, key) => replaceKeyFile(which === 'current' ? keyFile : `${keyFile}.next`, key),
    remove: () => rm(`${keyFile}.next`, {force: true}),
  })

  const keychainStore = (current: KeychainEntry, next: KeychainEntry): Stored => ({
    kind: 'keychain',
    where: `${process.platform === 'darwin' ? 'macOS Keychain' : process.platform === 'win32' ? 'Credential Manager' : 'Secret Service'}: service "${KEYCHAIN_SERVICE}", account "${account}"`,
    read: async (which) => {
      const text = await (which === 'current' ? current : next).get()
      return text === null ? null : parseKey(text, `the keychain entry "${account}"`)
    },
    write: (which, key) => (which === 'current' ? current : next).set(Buffer.from(key).toString('base64')),
    remove: async () => void (await next.delete()),
  })

  async function openKeychain(): Promise<Stored> {
    return keychainStore(await openEntry(KEYCHAIN_SERVICE, account), await openEntry(KEYCHAIN_SERVICE, `${account} (next)`))
  }

  /** The keychain the marker names; failing to reach it is an error, never a new key. */
  async function markedKeychain(): Promise<Stored> {
    try {
      return await openKeychain()
    } catch (error) {
      throw new CcmcpError('ENVIRONMENT', `ccmcp's key is in the OS keychain, which this process cannot use: ${(error as Error).message}`, {
        hint: `Run ccmcp where the keychain is reachable (on Linux: a desktop session, or dbus-run-session with gnome-keyring-daemon unlocked). ${marker} records that the key is there.`,
        details: {marker},
        cause: error,
      })
    }
  }

  async function locate(): Promise<Stored> {
    if (await exists(marker)) return markedKeychain()
    if (await exists(keyFile)) return fileStore()
    await mkdir(keysDir, {recursive: true, mode: 0o700})
    // One process creates the key; the others wait and use it.
    return withFileLock(path.join(keysDir, 'create'), {staleMs: 5_000, waitMs: 15_000, retryMs: {min: 5, max: 50}, lockError: (error) => error}, async () => {
      if (await exists(marker)) return markedKeychain()
      if (await exists(keyFile)) return fileStore()
      const given = envText ? parseKey(envText, 'CCMCP_KEY') : null
      if (given) {
        // Agents' hooks never see CCMCP_KEY: they read this copy.
        await createKeyFile(keyFile, given)
        return fileStore()
      }
      try {
        const keychain = await openKeychain()
        if ((await keychain.read('current')) === null) await keychain.write('current', randomBytes(32))
        if ((await keychain.read('current')) === null) throw new KeychainUnavailable('the keychain did not keep the key written to it')
        await writeFile(marker, `${JSON.stringify({service: KEYCHAIN_SERVICE, account})}\n`, {mode: 0o600, flag: 'wx'})
        return keychain
      } catch (error) {
        if (!(error instanceof KeychainUnavailable)) throw error
        await createKeyFile(keyFile)
        return fileStore(`the OS keychain is unavailable (${error.message})`)
      }
    })
  }

  /** Why a key file and not the keychain (asked only by describe: doctor). */
  async function keychainNote(): Promise<string> {
    try {
      await (await openEntry(KEYCHAIN_SERVICE, account)).get()
      return 'the OS keychain works here, but the key was created in this file when it did not; it stays there'
    } catch (error) {
      return `the OS keychain is unavailable (${(error as Error).message})`
    }
  }

  const where = () => (stored ??= locate().catch((error: unknown) => {
    stored = null
    throw error
  }))

  async function load(): Promise<KeyRing> {
    const store = await where()
    const next = await store.read('next')
    if (envText) {
      const given = parseKey(envText, 'CCMCP_KEY')
      const kept = await store.read('current')
      if (kept && keyId(kept) !== keyId(given) && (!next || keyId(next) !== keyId(given))) {
        throw new CcmcpError('ENVIRONMENT', `CCMCP_KEY (key ${keyId(given)}) is not the key kept in ${store.where} (key ${keyId(kept)}), which agents' hooks use.`, {
          hint: 'Unset CCMCP_KEY, or set it to the kept key; to change the key use: ccmcp key rotate',
        })
      }
      return {current: given, next: next && keyId(next) !== keyId(given) ? next : null}
    }
    const current = await store.read('current')
    if (!current) {
      throw new CcmcpError('ENVIRONMENT', `ccmcp's key is missing from ${store.where}.`, {
        hint: 'Restore the key (from a backup of the keychain or key file). Without it the encrypted files in the ccmcp home cannot be read; ccmcp never replaces it on its own.',
      })
    }
    return {current, next}
  }

  const ring = (opts: {refresh?: boolean} = {}) => {
    if (opts.refresh || !cached) {
      cached = load()
      cached.catch(() => (cached = null))
    }
    return cached
  }

  return {
    ring,
    masterKey: async () => (await ring()).current,
    async describe() {
      const {current} = await ring()
      const store = await where()
      if (envText) return {source: 'env', where: 'CCMCP_KEY', note: `agents' hooks read its copy in ${store.where}`, keyId: keyId(current)}
      const note = store.note ?? (store.kind === 'file' ? await keychainNote() : undefined)
      return {source: store.kind, where: store.where, ...(note ? {note} : {}), keyId: keyId(current)}
    },
    async beginRotation() {
      if (envText) {
        throw new CcmcpError('ENVIRONMENT', 'CCMCP_KEY gives the key, so ccmcp cannot replace it.', {hint: 'Run ccmcp key rotate without CCMCP_KEY, then set CCMCP_KEY to the new key if you want to keep using it.'})
      }
      const store = await where()
      const next = (await store.read('next')) ?? randomBytes(32)
      await store.write('next', next)
      if (!(await store.read('next'))) throw new CcmcpError('ENVIRONMENT', `The new key could not be stored in ${store.where}.`)
      cached = Promise.resolve({current: (await ring()).current, next})
      return next
    },
    async finishRotation() {
      const store = await where()
      const next = await store.read('next')
      if (!next) return
      await store.write('current', next)
      await store.remove('next')
      cached = Promise.resolve({current: next, next: null})
    },
  }
}

async function exists(file: string): Promise<boolean> {
  return readFile(file).then(
    () => true,
    (error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? false : Promise.reject(error)),
  )
}
