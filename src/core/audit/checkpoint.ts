/**
 * Signed checkpoints of the audit chain, in the spirit of C2SP tlog-checkpoint: the body is
 * `<origin>\n<size>\n<base64 head>\n`, signed with Ed25519. The signing key is derived from
 * ccmcp's master key (HKDF with its own purpose label), so no second secret is kept; whoever
 * verifies derives the public key the same way and never trusts one found next to the log.
 */
import {type KeyObject, createHash, createPrivateKey, createPublicKey, hkdfSync, sign, verify} from 'node:crypto'

export const CHECKPOINT_ORIGIN = 'ccmcp.local/audit/v1'
const PURPOSE = 'ccmcp audit checkpoint v1'
// PKCS#8 wrapping of a raw 32-byte Ed25519 seed (RFC 8410).
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex')

export interface CheckpointKeys {
  privateKey: KeyObject
  publicKey: KeyObject
  /** Names the key in checkpoints (first 8 bytes of SHA-256 of the public key, hex), never secret. */
  keyId: string
}

export function checkpointKeys(masterKey: Uint8Array): CheckpointKeys {
  const seed = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), PURPOSE, 32))
  const privateKey = createPrivateKey({key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8'})
  const publicKey = createPublicKey(privateKey)
  return {privateKey, publicKey, keyId: keyIdOf(publicKey)}
}

export function keyIdOf(publicKey: KeyObject): string {
  const raw = publicKey.export({format: 'der', type: 'spki'})
  return createHash('sha256').update(raw).digest('hex').slice(0, 16)
}

/** One checkpoint as stored (a JSON line in checkpoints.jsonl and the mirror). */
export interface Checkpoint {
  body: string
  /** Ed25519 signature of the body, base64. */
  sig: string
  keyId: string
  /** When it was signed (informative; not signed). */
  ts: string
}

export interface CheckpointBody {
  origin: string
  size: number
  head: string
}

export function checkpointBody(size: number, head: string): string {
  return `${CHECKPOINT_ORIGIN}\n${size}\n${Buffer.from(head, 'hex').toString('base64')}\n`
}

export function parseCheckpointBody(body: string): CheckpointBody | null {
  const match = /^([^\n]+)\n(0|[1-9]\d{0,15})\n([A-Za-z0-9+/]{43}=)\n$/.exec(body)
  if (!match) return null
  return {origin: match[1] as string, size: Number(match[2]), head: Buffer.from(match[3] as string, 'base64').toString('hex')}
}

export function signCheckpoint(keys: CheckpointKeys, size: number, head: string, now: Date): Checkpoint {
  const body = checkpointBody(size, head)
  return {body, sig: sign(null, Buffer.from(body), keys.privateKey).toString('base64'), keyId: keys.keyId, ts: now.toISOString()}
}

export function signatureValid(publicKey: KeyObject, checkpoint: Checkpoint): boolean {
  try {
    return verify(null, Buffer.from(checkpoint.body), publicKey, Buffer.from(checkpoint.sig, 'base64'))
  } catch {
    return false
  }
}

/** A stored checkpoint's text as a Checkpoint, or null when it is not one. */
export function parseCheckpoint(text: string): Checkpoint | null {
  try {
    const value = JSON.parse(text) as Partial<Checkpoint> | null
    if (typeof value?.body === 'string' && typeof value.sig === 'string' && typeof value.keyId === 'string' && typeof value.ts === 'string') return value as Checkpoint
  } catch {
    // not JSON
  }
  return null
}
