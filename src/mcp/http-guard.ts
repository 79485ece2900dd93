/**
 * Who may talk to the HTTP server, decided before the MCP transport sees a request:
 * Host must name this server (DNS rebinding), a browser's Origin must be this server (the spec
 * requires rejecting others with 403), and every request needs a bearer token (401): the
 * server's own (checkRequest), or a client token the server looks up (checkPlace + bearerOf).
 */
import {createHash, timingSafeEqual} from 'node:crypto'
import type {IncomingHttpHeaders} from 'node:http'

export interface GuardPolicy {
  token: string
  /** Acceptable Host header values (host:port). */
  hosts: ReadonlySet<string>
  /** Acceptable Origin header values; a request without Origin (not a browser) is fine. */
  origins: ReadonlySet<string>
}

export interface Refusal {
  status: 401 | 403
  /** For the client: may quote (a bounded part of) what it sent. */
  message: string
  /** For the log: fixed words, never a header value. */
  reason: string
}

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]']

/** Host values that reach a server bound to `host` on `port`: loopback names, and the bound host. */
export function guardPolicy(host: string, port: number, token: string): GuardPolicy {
  const bound = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host
  const names = new Set([...LOOPBACK_NAMES, bound.toLowerCase()])
  const hosts = new Set([...names].map((name) => `${name}:${port}`))
  const origins = new Set([...hosts].map((value) => `http://${value}`))
  return {token, hosts, origins}
}

export function checkRequest(headers: IncomingHttpHeaders, policy: GuardPolicy): Refusal | null {
  const misplaced = checkPlace(headers, policy)
  if (misplaced) return misplaced
  const bearer = bearerOf(headers)
  if (!bearer || !sameSecret(bearer, policy.token)) return WRONG_TOKEN
  return null
}

export const WRONG_TOKEN: Refusal = {status: 401, message: 'Missing, wrong or revoked bearer token', reason: 'missing, wrong or revoked bearer token'}

/** Host and Origin: the request is for this server, and not from another site's page. */
export function checkPlace(headers: IncomingHttpHeaders, policy: Pick<GuardPolicy, 'hosts' | 'origins'>): Refusal | null {
  const host = headers.host?.toLowerCase()
  if (!host || !policy.hosts.has(host)) return {status: 403, message: `Host "${bounded(headers.host ?? '')}" is not this server`, reason: 'foreign Host'}
  const origin = headers.origin
  if (origin !== undefined && !policy.origins.has(origin.toLowerCase())) return {status: 403, message: `Origin "${bounded(origin)}" is not allowed`, reason: 'foreign Origin'}
  return null
}

/** The bearer token of an Authorization header, or null. */
export function bearerOf(headers: IncomingHttpHeaders): string | null {
  return /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '')?.[1] ?? null
}

function bounded(value: string): string {
  return value.length > 100 ? `${value.slice(0, 100)}…` : value
}

/** Constant-time comparison (hashes first, so lengths do not leak either). */
export function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest()
  return timingSafeEqual(digest(given), digest(expected))
}
