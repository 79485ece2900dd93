/**
 * One audit record: what the pipeline saw, reduced to names, codes and a digest of the input
 * (never the input itself: it holds message text), sealed into the hash chain
 * `head_n = SHA-256(head_{n-1} || line_n)`. Pure and light on imports: every hook event runs it.
 */
import {createHash} from 'node:crypto'

import type {Caller} from '../pipeline/caller.js'
import type {OperationRecord} from '../ports.js'

export const AUDIT_VERSION = 1
/** The head before the first record. */
export const GENESIS = '0'.repeat(64)

/** Who acted, without the agent's launch secret or a token. */
export type AuditCaller =
  | {kind: 'operator'}
  | {kind: 'mcp'; clearance: string; client: string | null}
  | {kind: 'agent'; session: string; agent: string; clearance: string | null}
  | {kind: 'ccmcp'; task: string}

export interface AuditTarget {
  session: string | null
  agent: string | null
}

/** The fields of a record before it gets its place in the chain (seq, prev). */
export interface AuditFields {
  ts: string
  ms: number
  pid: number
  caller: AuditCaller
  op: string
  target: AuditTarget | null
  /** A hook event's name (SessionStart, Stop, …) when it looks like one. */
  event: string | null
  outcome: OperationRecord['outcome']
  code: string | null
  reason: string | null
  argsDigest: string
}

export interface AuditRecord extends AuditFields {
  v: number
  seq: number
  prev: string
}

export const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex')

/** JSON with object keys sorted at every level: one text for one value. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sorted(value))
}

function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted)
  if (value === null || typeof value !== 'object') return value
  const object = value as Record<string, unknown>
  return Object.fromEntries(Object.keys(object).sort().filter((key) => object[key] !== undefined).map((key) => [key, sorted(object[key])]))
}

// Only names go into a record: anything else a caller put in a name field (refused input is not
// validated) is dropped rather than logged.
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/
const name = (value: unknown): string | null => (typeof value === 'string' && NAME.test(value) ? value : null)
const EVENT = /^[A-Za-z]{1,40}$/

export function auditCaller(caller: Caller): AuditCaller {
  switch (caller.kind) {
    case 'operator':
      return {kind: 'operator'}
    case 'mcp':
      return {kind: 'mcp', clearance: caller.clearance, client: caller.client}
    case 'agent':
      return {kind: 'agent', session: caller.session, agent: caller.agent, clearance: caller.clearance ?? null}
    case 'ccmcp':
      return {kind: 'ccmcp', task: caller.task}
  }
}

const SESSION_NAMED = new Set(['create_session', 'get_session_status', 'delete_session', 'trust_session', 'recover_session'])

/** The session and agent an operation is about, from its input (or the hook's agent). */
export function auditTarget(operation: string, input: unknown, caller: Caller): AuditTarget | null {
  if (operation === 'record_hook_event' && caller.kind === 'agent') return {session: name(caller.session), agent: name(caller.agent)}
  const fields = input !== null && typeof input === 'object' ? (input as Record<string, unknown>) : {}
  let session = name(fields.session) ?? (SESSION_NAMED.has(operation) ? name(fields.name) : null)
  let agent = operation === 'create_agent' ? name(fields.name) : null
  if (typeof fields.agent === 'string') {
    const [first, second] = fields.agent.split('/')
    if (second === undefined) agent = name(first)
    else if (fields.agent.split('/').length === 2) [session, agent] = [name(first), name(second)]
  }
  return session === null && agent === null ? null : {session, agent}
}

export function auditFields(entry: OperationRecord, pid: number): AuditFields {
  const input = entry.input as Record<string, unknown> | null | undefined
  const event = entry.operation === 'record_hook_event' && typeof input?.hook_event_name === 'string' && EVENT.test(input.hook_event_name) ? input.hook_event_name : null
  return {
    ts: entry.at,
    ms: entry.ms,
    pid,
    caller: auditCaller(entry.caller),
    op: entry.operation,
    target: auditTarget(entry.operation, entry.input, entry.caller),
    event,
    outcome: entry.outcome,
    code: entry.error?.code ?? null,
    reason: entry.error?.reason ?? null,
    argsDigest: sha256Hex(canonicalJson(entry.input ?? null)),
  }
}

/** The record's line (no newline) and the chain's head after it. */
export function sealRecord(fields: AuditFields, seq: number, prev: string): {line: string; head: string} {
  const line = canonicalJson({...fields, v: AUDIT_VERSION, seq, prev})
  return {line, head: nextHead(prev, line)}
}

export const nextHead = (prev: string, line: string): string => sha256Hex(prev + line)
