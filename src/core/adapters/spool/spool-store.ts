/**
 * The folder's side of the hook spool: the spool key pair (created once; its private key sealed
 * with ccmcp's master key, so `key rotate` re-encrypts it like any store and spooled lines stay
 * readable), reading what is new in each agent's spool, queue markers, and change notification.
 * A line that does not open (cut short by a kill mid-append, sealed for another agent, forged
 * with another key, altered) is skipped and counted in logs/hook.log, never fatal.
 */
import {randomUUID} from 'node:crypto'
import {type FSWatcher, mkdirSync, watch} from 'node:fs'
import {appendFile, link, mkdir, open, readFile, readdir, rename, rm, stat, unlink, writeFile} from 'node:fs/promises'
import path from 'node:path'

import type {HookSpool, PendingSpool, SpooledEvent} from '../../delivery/hook-fold.js'
import type {EncryptedCodec} from '../crypto/encrypted-codec.js'
import {formatPublicKey, newSpoolKeyPair, openLine, publicOf} from './seal.js'
import {type SpoolPaths, spoolOwner, spoolPaths} from './spool-paths.js'

export interface SpoolStore extends HookSpool {
  paths: SpoolPaths
  /** Creates the key pair if there is none and (re)writes the public key hooks seal to. */
  ensureKey(): Promise<Buffer>
  /** ensureKey() unless the public key is there already. */
  ensurePublicKey(): Promise<void>
  /** Each spool file's size: what a fold that found these sizes has folded, a later one need not read again. */
  sizes(): Promise<string>
  /** Keeps the marker that tells the agent's hooks to start the flusher. */
  setQueued(session: string, agent: string, queued: boolean): Promise<void>
  watch(listener: () => void): () => void
}

const missing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT'

export function createSpoolStore(home: string, codec: Pick<EncryptedCodec, 'sealText' | 'openText'>): SpoolStore {
  const paths = spoolPaths(home)
  let key: Promise<Buffer> | null = null

  async function loadKey(): Promise<Buffer> {
    const text = await readFile(paths.privateKey, 'utf8').catch((error) => (missing(error) ? null : Promise.reject(error)))
    if (text === null) {
      await mkdir(paths.dir, {recursive: true, mode: 0o700})
      const pair = newSpoolKeyPair()
      const temp = `${paths.privateKey}.${randomUUID()}.tmp`
      await writeFile(temp, `${await codec.sealText(pair.privateRaw.toString('base64'), paths.privateKey)}\n`, {mode: 0o600, flag: 'wx'})
      // link() never replaces: of two processes creating a key at once, one key wins and both use it.
      await link(temp, paths.privateKey).catch((error: NodeJS.ErrnoException) => (error.code === 'EEXIST' ? undefined : Promise.reject(error)))
      await unlink(temp).catch(() => undefined)
      return loadKey()
    }
    const privateRaw = Buffer.from(await codec.openText(text.trim(), paths.privateKey), 'base64')
    const wanted = formatPublicKey(publicOf(privateRaw))
    if ((await readFile(paths.publicKey, 'utf8').catch(() => null)) !== wanted) {
      const temp = `${paths.publicKey}.${randomUUID()}.tmp`
      await writeFile(temp, wanted, {mode: 0o600})
      await rename(temp, paths.publicKey)
    }
    return privateRaw
  }

  const ensureKey = () => (key ??= loadKey().catch((error: unknown) => {
    key = null
    throw error
  }))

  /** What a reader needs before any agent can report: the public key written (the private key is opened only to fold). */
  const ensurePublicKey = async (): Promise<void> => {
    if (!(await stat(paths.publicKey).then(() => true, () => false))) await ensureKey()
  }

  async function readNew(file: string, from: number): Promise<{text: string; end: number} | null> {
    const handle = await open(file, 'r').catch((error) => (missing(error) ? null : Promise.reject(error)))
    if (!handle) return null
    try {
      const {size} = await handle.stat()
      // Smaller than the offset: the file was removed and begun again (an agent of the same name).
      const start = size < from ? 0 : from
      if (size === start) return null
      const bytes = Buffer.alloc(size - start)
      const {bytesRead} = await handle.read(bytes, 0, bytes.length, start)
      const whole = bytes.subarray(0, bytesRead).lastIndexOf(0x0a)
      // Only whole lines: a hook may be appending the rest right now.
      if (whole < 0) return null
      return {text: bytes.subarray(0, whole).toString('utf8'), end: start + whole + 1}
    } finally {
      await handle.close()
    }
  }

  async function pending(offsetOf: (session: string, agent: string) => number | null): Promise<PendingSpool[]> {
    const names = await readdir(paths.dir).catch((error) => (missing(error) ? [] : Promise.reject(error)))
    const found: PendingSpool[] = []
    for (const name of names) {
      const owner = spoolOwner(name)
      if (!owner) continue
      const chunk = await readNew(path.join(paths.dir, name), offsetOf(owner.session, owner.agent) ?? 0)
      if (!chunk) continue
      const lines = chunk.text.split('\n').filter((line) => line !== '')
      // A hook writes "\n<line>\n"; new bytes that are only the first newline are not an event yet.
      if (lines.length === 0) continue
      const privateRaw = await ensureKey()
      const events: SpooledEvent[] = []
      let unreadable = 0
      for (const line of lines) {
        const event = decode(openLine(privateRaw, `${owner.session}/${owner.agent}`, line))
        if (event) events.push(event)
        else unreadable += 1
      }
      if (unreadable > 0) await note(`skipped ${unreadable} unreadable line(s) in the hook spool of ${owner.session}/${owner.agent}`)
      found.push({...owner, end: chunk.end, events})
    }
    return found
  }

  async function note(message: string): Promise<void> {
    await mkdir(path.dirname(paths.hookLog), {recursive: true, mode: 0o700}).catch(() => undefined)
    await appendFile(paths.hookLog, `${JSON.stringify({at: new Date().toISOString(), error: message})}\n`, {mode: 0o600}).catch(() => undefined)
  }

  async function sizes(): Promise<string> {
    const names = await readdir(paths.dir).catch((error) => (missing(error) ? [] : Promise.reject(error)))
    const found: string[] = []
    for (const name of names.filter((candidate) => spoolOwner(candidate)).sort()) {
      const size = await stat(path.join(paths.dir, name)).then((info) => info.size, () => -1)
      found.push(`${name}:${size}`)
    }
    return found.join('/')
  }

  return {
    paths,
    ensureKey,
    ensurePublicKey,
    pending,
    sizes,
    remove: (session, agent) => rm(paths.spool(session, agent), {force: true}),
    async setQueued(session, agent, queued) {
      const marker = paths.queued(session, agent)
      if (!queued) return rm(marker, {force: true})
      await mkdir(paths.dir, {recursive: true, mode: 0o700})
      await writeFile(marker, '', {mode: 0o600})
    },
    watch(listener) {
      let timer: NodeJS.Timeout | undefined
      let watcher: FSWatcher | undefined
      try {
        mkdirSync(paths.dir, {recursive: true, mode: 0o700})
        watcher = watch(paths.dir, {persistent: false}, (_event, name) => {
          if (name !== null && !name.endsWith('.spool')) return
          clearTimeout(timer)
          timer = setTimeout(listener, 40)
        })
        watcher.on('error', () => watcher?.close())
      } catch {
        // The directory cannot be watched (read-only home): the state's own watch still works.
      }
      return () => {
        clearTimeout(timer)
        watcher?.close()
      }
    },
  }
}

/** A spooled event, or null when the line did not open or is not one. */
function decode(plaintext: string | null): SpooledEvent | null {
  if (plaintext === null) return null
  try {
    const value = JSON.parse(plaintext) as Partial<SpooledEvent>
    const event = value.event
    if (typeof value.at !== 'number' || !Number.isFinite(value.at) || typeof value.launchId !== 'string' || typeof value.digest !== 'string') return null
    if (typeof event !== 'object' || event === null || Array.isArray(event)) return null
    return {at: value.at, launchId: value.launchId, digest: value.digest, event}
  } catch {
    return null
  }
}
