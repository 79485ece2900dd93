/**
 * The encrypted envelope: `ccmcp-enc.v1.<key id>.<iv>.<tag>.<ciphertext>` on one line (base64url
 * parts). AES-256-GCM with a 12-byte random IV; the data key is HKDF-SHA256 of the master key
 * with the purpose "ccmcp state v1"; the authenticated data is the header plus the file's path
 * in the ccmcp home, so a file moved over another or edited in any byte does not decrypt.
 */
import {createCipheriv, createDecipheriv, hkdfSync, randomBytes} from 'node:crypto'

import {keyId} from '../keys/key-text.js'

export const ENVELOPE_PREFIX = 'ccmcp-enc.v1.'
const PURPOSE = 'ccmcp state v1'

export interface DataKey {
  id: string
  key: Buffer
}

const derived = new WeakMap<Uint8Array, DataKey>()

/** The state data key of a master key (derived once per key and process). */
export function dataKey(master: Uint8Array): DataKey {
  let found = derived.get(master)
  if (!found) {
    found = {id: keyId(master), key: Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), PURPOSE, 32))}
    derived.set(master, found)
  }
  return found
}

export const isEnvelope = (text: string) => text.startsWith(ENVELOPE_PREFIX)

export function seal(key: DataKey, plaintext: string, label: string): string {
  const iv = randomBytes(12)
  const header = `${ENVELOPE_PREFIX}${key.id}`
  const cipher = createCipheriv('aes-256-gcm', key.key, iv)
  cipher.setAAD(Buffer.from(`${header}\0${label}`))
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
  return [header, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.')
}

export interface Parsed {
  keyId: string
  iv: Buffer
  tag: Buffer
  ciphertext: Buffer
}

/** The envelope's parts, or null when it is not a well-formed v1 envelope. */
export function parseEnvelope(text: string): Parsed | null {
  const parts = text.trim().split('.')
  if (parts.length !== 6 || `${parts[0]}.${parts[1]}.` !== ENVELOPE_PREFIX) return null
  const [, , id, iv, tag, ciphertext] = parts as [string, string, string, string, string, string]
  const b64 = /^[A-Za-z0-9_-]*$/
  if (!/^[0-9a-f]{12}$/.test(id) || ![iv, tag, ciphertext].every((part) => b64.test(part))) return null
  const parsed = {keyId: id, iv: Buffer.from(iv, 'base64url'), tag: Buffer.from(tag, 'base64url'), ciphertext: Buffer.from(ciphertext, 'base64url')}
  return parsed.iv.length === 12 && parsed.tag.length === 16 ? parsed : null
}

/** The plaintext, or null when it does not authenticate (altered bytes, another file's envelope). */
export function open(key: DataKey, parsed: Parsed, label: string): string | null {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.key, parsed.iv)
    decipher.setAAD(Buffer.from(`${ENVELOPE_PREFIX}${key.id}\0${label}`))
    decipher.setAuthTag(parsed.tag)
    return Buffer.concat([decipher.update(parsed.ciphertext), decipher.final()]).toString('utf8')
  } catch {
    return null
  }
}
