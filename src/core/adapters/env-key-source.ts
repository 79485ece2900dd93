/**
 * The master key from CCMCP_KEY only (base64 of 32 bytes), or none: the stand-in the composition
 * root uses until the full key chain (CCMCP_KEY → OS keychain → 0600 key file) is wired in its place.
 */
import {CcmcpError} from '../domain/errors.js'
import type {KeySource} from '../ports.js'

export function envKeySource(env: NodeJS.ProcessEnv): KeySource | null {
  const text = env.CCMCP_KEY
  if (!text) return null
  return {
    async masterKey() {
      const key = Buffer.from(text, 'base64')
      if (key.length !== 32) throw new CcmcpError('ENVIRONMENT', `CCMCP_KEY holds ${key.length} bytes; it must be 32 bytes in base64.`, {hint: 'Make one with: openssl rand -base64 32'})
      return new Uint8Array(key)
    },
    describe: async () => ({source: 'env', where: 'CCMCP_KEY'}),
  }
}
