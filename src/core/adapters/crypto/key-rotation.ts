/**
 * `ccmcp key rotate`, crash-safe by its order:
 *   1. the new key is stored as the "next" key (keychain entry or master.key.next) before any
 *      file uses it; from then on every process reads both keys and writes with the new one;
 *   2. every encrypted file under the home is rewritten with the new key, each under the same
 *      lock its store's writers take, through a temp file renamed over it;
 *   3. only then does the new key replace the old one, and the "next" slot is cleared.
 * Killed anywhere, nothing is unreadable: before 3 both keys are kept, and running the command
 * again resumes with the same new key.
 */
import {readFile, readdir} from 'node:fs/promises'
import path from 'node:path'

import {CcmcpError} from '../../domain/errors.js'
import type {KeyRotation, Logger} from '../../ports.js'
import {withFileLock} from '../file-lock.js'
import type {LocalKeySource} from '../keys/key-source.js'
import {keyId} from '../keys/key-text.js'
import {writeFileAtomic} from '../transient-files.js'
import type {EncryptedCodec} from './encrypted-codec.js'
import {isEnvelope} from './envelope.js'

/**
 * Files that are never encrypted data: the keys themselves, locks, sockets, launch scripts, and the
 * audit log (no user text in it, and chained line by line: rewriting it would break the chain).
 */
const SKIP_DIRS = new Set(['keys', 'audit', 'audit-anchor'])
const TRANSIENT = /\.(lock|tmp|new|stale|release)(-|$)|\.lock$/

export interface RotationOptions {
  keys: LocalKeySource
  codec: EncryptedCodec
  home: string
  logger?: Logger
  /** Called after each file is rewritten (tests stop the process there). */
  afterFile?: (file: string) => void | Promise<void>
}

export function createKeyRotation(options: RotationOptions): KeyRotation {
  return {
    async rotate() {
      const before = await options.keys.ring({refresh: true})
      const resumed = before.next !== null
      const next = await options.keys.beginRotation()
      const files: string[] = []
      for (const file of await encryptedFiles(options.home)) {
        if (await reencrypt(file, options)) files.push(file)
        await options.afterFile?.(file)
      }
      await options.keys.finishRotation()
      return {previousKeyId: keyId(before.current), keyId: keyId(next), files, resumed}
    },
  }
}

async function reencrypt(file: string, options: RotationOptions): Promise<boolean> {
  const lock = {staleMs: 5_000, waitMs: 15_000, retryMs: {min: 5, max: 50}, logger: options.logger, lockError: (error: Error) => error}
  return withFileLock(file, lock, async (held) => {
    const text = await readFile(file, 'utf8').catch(() => null)
    if (text === null) return false
    const lines = file.endsWith('.jsonl')
    let out: string
    if (lines) {
      const rewritten = []
      for (const line of text.split('\n')) {
        if (line === '') rewritten.push(line)
        // Plain lines from before encryption are sealed too.
        else rewritten.push(await options.codec.sealText(isEnvelope(line) ? await options.codec.openText(line, file) : line, file))
      }
      out = rewritten.join('\n')
    } else if (isEnvelope(text)) {
      out = `${await options.codec.sealText(await options.codec.openText(text, file), file)}\n`
    } else {
      return false
    }
    if (!(await writeFileAtomic(file, out, held.held))) {
      throw new CcmcpError('STATE_INVALID', `Lost the lock of ${file} while rotating the key.`, {hint: 'Nothing is lost: both keys are kept until the rotation ends. Run ccmcp key rotate again.'})
    }
    return true
  })
}

/** Every file under the home that holds encrypted data (or an event log, whose plain lines get sealed). */
export async function encryptedFiles(home: string): Promise<string[]> {
  const found: string[] = []
  async function walk(dir: string, depth: number): Promise<void> {
    const entries = await readdir(dir, {withFileTypes: true}).catch(() => [])
    for (const entry of entries) {
      const full = path.join(dir, entry.name)
      if (entry.isDirectory()) {
        if (!(depth === 0 && SKIP_DIRS.has(entry.name))) await walk(full, depth + 1)
      } else if (entry.isFile() && !TRANSIENT.test(entry.name)) {
        if (entry.name.endsWith('.jsonl') || (await startsWithEnvelope(full))) found.push(full)
      }
    }
  }
  await walk(home, 0)
  return found.sort()
}

async function startsWithEnvelope(file: string): Promise<boolean> {
  const text = await readFile(file, 'utf8').catch(() => '')
  return isEnvelope(text)
}
