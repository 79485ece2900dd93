/** A master key as text: base64 of exactly 32 bytes (CCMCP_KEY, the key file, the keychain entry). */
import {createHash} from 'node:crypto'

import {CcmcpError} from '../../domain/errors.js'

export const KEY_BYTES = 32

/** `where` names the origin for the error: "CCMCP_KEY" or a file. */
export function parseKey(text: string, where: string): Uint8Array {
  const trimmed = text.trim()
  const bytes = /^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed) ? Buffer.from(trimmed, 'base64') : Buffer.alloc(0)
  if (bytes.length !== KEY_BYTES) {
    throw new CcmcpError('INVALID_INPUT', `${where} is not a ccmcp key: it must be base64 of exactly ${KEY_BYTES} bytes (it holds ${bytes.length === 0 ? 'no valid base64' : `${bytes.length} bytes`}).`, {
      hint: 'Create one with: openssl rand -base64 32',
      details: {where},
    })
  }
  return new Uint8Array(bytes)
}

/** A short public name of a key (in each encrypted file, so a wrong key is told from a damaged file). */
export function keyId(key: Uint8Array): string {
  return createHash('sha256').update('ccmcp key id v1\0').update(key).digest('hex').slice(0, 12)
}
