/**
 * Sealing one hook event to the spool's PUBLIC key, so the hook process never holds a secret
 * key (and never loads the keychain): X25519 with a fresh ephemeral key per line, HKDF-SHA256 of
 * the shared secret, AES-256-GCM. The authenticated data names the spool key and the agent the
 * line belongs to, so a line copied into another agent's spool does not open. Only node:crypto:
 * bin/hook.js loads this on every event.
 *   line: ccmcp-spool.v1.<key id>.<ephemeral public key>.<iv>.<tag>.<ciphertext>   (base64url)
 */
import {type KeyObject, createCipheriv, createDecipheriv, createHash, createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync, hkdfSync, randomBytes} from 'node:crypto'

export const SPOOL_LINE_PREFIX = 'ccmcp-spool.v1.'
const PUBLIC_PREFIX = 'ccmcp-spool-key.v1.'
const PURPOSE = 'ccmcp spool v1'
// DER headers of an X25519 SubjectPublicKeyInfo and PKCS#8 private key; the 32 raw bytes follow.
const SPKI = Buffer.from('302a300506032b656e032100', 'hex')
const PKCS8 = Buffer.from('302e020100300506032b656e04220420', 'hex')

export interface SpoolPublicKey {
  id: string
  raw: Buffer
}

const idOf = (raw: Buffer) => createHash('sha256').update('ccmcp spool key v1\0').update(raw).digest('hex').slice(0, 12)
const publicObject = (raw: Buffer): KeyObject => createPublicKey({key: Buffer.concat([SPKI, raw]), format: 'der', type: 'spki'})
const rawPublic = (key: KeyObject): Buffer => key.export({format: 'der', type: 'spki'}).subarray(SPKI.length)

/** A new key pair: the private key's 32 raw bytes (kept encrypted by the folder) and its public key. */
export function newSpoolKeyPair(): {privateRaw: Buffer; publicKey: SpoolPublicKey} {
  const {privateKey} = generateKeyPairSync('x25519')
  const privateRaw = privateKey.export({format: 'der', type: 'pkcs8'}).subarray(PKCS8.length)
  return {privateRaw, publicKey: publicOf(privateRaw)}
}

export function publicOf(privateRaw: Buffer): SpoolPublicKey {
  const raw = rawPublic(createPublicKey(privateObject(privateRaw)))
  return {id: idOf(raw), raw}
}

const privateObject = (raw: Buffer): KeyObject => createPrivateKey({key: Buffer.concat([PKCS8, raw]), format: 'der', type: 'pkcs8'})

export const formatPublicKey = (key: SpoolPublicKey): string => `${PUBLIC_PREFIX}${key.raw.toString('base64url')}\n`

/** The public key file's key, or null when the text is not one. */
export function parsePublicKey(text: string): SpoolPublicKey | null {
  const trimmed = text.trim()
  if (!trimmed.startsWith(PUBLIC_PREFIX)) return null
  const raw = Buffer.from(trimmed.slice(PUBLIC_PREFIX.length), 'base64url')
  return raw.length === 32 ? {id: idOf(raw), raw} : null
}

function lineKey(shared: Buffer, ephemeral: Buffer, recipient: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', shared, Buffer.concat([ephemeral, recipient]), PURPOSE, 32))
}

const aad = (id: string, label: string) => Buffer.from(`${SPOOL_LINE_PREFIX}${id}\0${label}`)

/** One sealed line (no newline) that only the holder of the private key opens. `label`: session/agent. */
export function sealLine(recipient: SpoolPublicKey, label: string, plaintext: string): string {
  const ephemeral = generateKeyPairSync('x25519')
  const ephemeralRaw = rawPublic(ephemeral.publicKey)
  const shared = diffieHellman({privateKey: ephemeral.privateKey, publicKey: publicObject(recipient.raw)})
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', lineKey(shared, ephemeralRaw, recipient.raw), iv)
  cipher.setAAD(aad(recipient.id, label))
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
  return `${SPOOL_LINE_PREFIX}${recipient.id}.${[ephemeralRaw, iv, cipher.getAuthTag(), ciphertext].map((part) => part.toString('base64url')).join('.')}`
}

/** The plaintext of a sealed line, or null when it is malformed, for another key or agent, or altered. */
export function openLine(privateRaw: Buffer, label: string, line: string): string | null {
  if (!line.startsWith(SPOOL_LINE_PREFIX)) return null
  const parts = line.slice(SPOOL_LINE_PREFIX.length).split('.')
  if (parts.length !== 5) return null
  const [id, ...encoded] = parts as [string, string, string, string, string]
  const [ephemeralRaw, iv, tag, ciphertext] = encoded.map((part) => Buffer.from(part, 'base64url')) as [Buffer, Buffer, Buffer, Buffer]
  const mine = publicOf(privateRaw)
  if (id !== mine.id || ephemeralRaw.length !== 32 || iv.length !== 12 || tag.length !== 16) return null
  try {
    const shared = diffieHellman({privateKey: privateObject(privateRaw), publicKey: publicObject(ephemeralRaw)})
    const decipher = createDecipheriv('aes-256-gcm', lineKey(shared, ephemeralRaw, mine.raw), iv)
    decipher.setAAD(aad(id, label))
    decipher.setAuthTag(tag)
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8')
  } catch {
    return null
  }
}
