/**
 * Token operations: create (the token is shown once), list, revoke. The operator's business only:
 * never MCP tools, never for an agent or a client, whatever its level.
 */
import {randomBytes, randomUUID} from 'node:crypto'
import * as z from 'zod'

import {CcmcpError} from '../domain/errors.js'
import {Name} from '../domain/state.js'
import {SECURITY_LEVELS, defineOperation} from '../pipeline/operation.js'
import {TOKEN_PREFIX, TokenInfo, publicToken, tokenDigest} from '../tokens/token-store.js'

const OPERATOR_ONLY = ['operator'] as const

export const createToken = defineOperation({
  name: 'create_token',
  title: 'Create token',
  description: 'Create a bearer token for one client of `ccmcp serve --http`, with its own security level and optionally limited to some sessions. The token is shown once; only its SHA-256 is kept.',
  level: 'HIGH',
  callers: OPERATOR_ONLY,
  annotations: {readOnly: false, destructive: false, idempotent: false},
  mcp: false,
  input: z.object({
    level: z.enum(SECURITY_LEVELS).describe('Security level of the client (LOW reads, MEDIUM starts and talks to agents, HIGH also deletes and runs programs)'),
    sessions: z.array(Name).default([]).describe('Limit the token to these sessions (default: every session)'),
    name: Name.optional().describe('Who holds it, for lists and records (default: token-N)'),
  }),
  output: z.object({token: z.string().describe('The bearer token: shown only now'), info: TokenInfo}),
  async handler(input, {deps}) {
    const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`
    const info = await deps.ports.tokens.update((current) => {
      let number = current.tokens.length + 1
      while (!input.name && current.tokens.some((record) => record.name === `token-${number}`)) number++
      const name = input.name ?? `token-${number}`
      if (current.tokens.some((record) => record.name === name)) {
        throw new CcmcpError('ALREADY_EXISTS', `A token named "${name}" already exists.`, {hint: 'Pick another --name, or revoke the old token first (ccmcp token revoke).'})
      }
      const record = {id: randomUUID().slice(0, 8), name, level: input.level, sessions: input.sessions.length > 0 ? [...new Set(input.sessions)] : null, createdAt: deps.ports.clock.now().toISOString(), digest: tokenDigest(token)}
      return {value: {...current, tokens: [...current.tokens, record]}, result: publicToken(record)}
    })
    return {token, info}
  },
})

export const listTokens = defineOperation({
  name: 'list_tokens',
  title: 'List tokens',
  description: 'List the HTTP client tokens (never the tokens themselves).',
  level: 'LOW',
  callers: OPERATOR_ONLY,
  annotations: {readOnly: true, destructive: false, idempotent: true},
  mcp: false,
  input: z.object({}),
  output: z.object({tokens: z.array(TokenInfo)}),
  async handler(_input, {deps}) {
    return {tokens: (await deps.ports.tokens.read()).tokens.map(publicToken)}
  },
})

export const revokeToken = defineOperation({
  name: 'revoke_token',
  title: 'Revoke token',
  description: 'Revoke an HTTP client token by name or id: its next request is refused.',
  level: 'HIGH',
  callers: OPERATOR_ONLY,
  annotations: {readOnly: false, destructive: true, idempotent: false},
  mcp: false,
  input: z.object({token: z.string().min(1).describe('Name or id of the token')}),
  output: z.object({revoked: TokenInfo}),
  async handler(input, {deps}) {
    const revoked = await deps.ports.tokens.update((current) => {
      const found = current.tokens.find((record) => record.name === input.token || record.id === input.token)
      if (!found) {
        const known = current.tokens.map((record) => record.name)
        throw new CcmcpError('NOT_FOUND', `No token named or with id "${input.token}".`, {hint: known.length > 0 ? `Known tokens: ${known.join(', ')}.` : 'There are no tokens; create one with `ccmcp token create --level LOW`.'})
      }
      return {value: {...current, tokens: current.tokens.filter((record) => record !== found)}, result: publicToken(found)}
    })
    return {revoked}
  },
})
