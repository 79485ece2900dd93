/**
 * Per-client bearer tokens for `ccmcp serve --http`: each has a name, a security level and
 * optionally the sessions it may touch. Only each token's SHA-256 is kept (tokens are 32 random
 * bytes, so no salt or stretching); the token itself is shown once, when it is created.
 */
import {createHash} from 'node:crypto'
import * as z from 'zod'

import {Name} from '../domain/state.js'
import {SECURITY_LEVELS, type SecurityLevel} from '../pipeline/operation.js'

export const TOKEN_PREFIX = 'ccmcp_'

export const TokenInfo = z.object({
  id: z.string().describe('Short id, for revoking'),
  name: Name.describe('Who holds it'),
  level: z.enum(SECURITY_LEVELS).describe('Its security level (a server started with a lower --security-level caps it)'),
  sessions: z.array(Name).nullable().describe('The only sessions it may touch; null: every session'),
  createdAt: z.string(),
})
export type TokenInfo = z.infer<typeof TokenInfo>

export const TokenRecord = TokenInfo.extend({digest: z.string().describe('SHA-256 (hex) of the token')})
export type TokenRecord = z.infer<typeof TokenRecord>

export const Tokens = z.object({schemaVersion: z.literal(1), tokens: z.array(TokenRecord)})
export type Tokens = z.infer<typeof Tokens>

export const emptyTokens = (): Tokens => ({schemaVersion: 1, tokens: []})

export const tokenDigest = (token: string): string => createHash('sha256').update(token).digest('hex')

export function publicToken(record: TokenRecord): TokenInfo {
  const {digest: _digest, ...info} = record
  return info
}

/** Who a bearer token belongs to: the caller an HTTP client acts as. */
export interface TokenHolder {
  name: string
  level: SecurityLevel
  sessions: readonly string[] | null
}

/** The holder of `token`, if it is a token in the store (never a revoked one). */
export function holderOf(tokens: Tokens, token: string): TokenHolder | null {
  if (!token.startsWith(TOKEN_PREFIX)) return null
  const digest = tokenDigest(token)
  const found = tokens.tokens.find((record) => record.digest === digest)
  return found ? {name: found.name, level: found.level, sessions: found.sessions} : null
}
