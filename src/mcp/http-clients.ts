/**
 * Who an HTTP client is, from its bearer token: the server's own token (--token / CCMCP_TOKEN, or
 * the generated one) acts at the server's --security-level over every session; a client token
 * (`ccmcp token create`) acts at its own level, capped by the server's, over its sessions only.
 * Tokens are looked up by digest on every request, so a revoked one stops at once.
 */
import {createHash} from 'node:crypto'

import type {McpCaller} from '../core/pipeline/caller.js'
import {type SecurityLevel, levelRank} from '../core/pipeline/operation.js'
import type {Store} from '../core/ports.js'
import {type Tokens, holderOf, tokenDigest} from '../core/tokens/token-store.js'
import type {HttpClient} from './http.js'
import {sameSecret} from './http-guard.js'

export interface McpHttpClient extends HttpClient {
  caller: McpCaller
}

export function tokenAuthenticator(serverToken: string, serverLevel: SecurityLevel, tokens: Pick<Store<Tokens>, 'read'>): (bearer: string) => Promise<McpHttpClient | null> {
  const serverClient: McpHttpClient = {key: 'server', caller: {kind: 'mcp', clearance: serverLevel, client: serverTokenIdentity(serverToken)}}
  return async (bearer) => {
    if (sameSecret(bearer, serverToken)) return serverClient
    const holder = holderOf(await tokens.read(), bearer)
    if (!holder) return null
    const clearance = levelRank(holder.level) <= levelRank(serverLevel) ? holder.level : serverLevel
    return {key: tokenDigest(bearer), caller: {kind: 'mcp', clearance, client: `token ${holder.name}`, sessions: holder.sessions}}
  }
}

/** Names the server token's holder in records without revealing the token. */
export function serverTokenIdentity(token: string): string {
  return `token:${createHash('sha256').update(token).digest('hex').slice(0, 12)}`
}
