/**
 * Reading the audit log: `audit verify` walks the chain and the signed checkpoints, `audit show`
 * lists records. Operator only (the log spans every session), so neither is an MCP tool.
 */
import * as z from 'zod'

import {auditRecords} from '../audit/show.js'
import {verifyAudit} from '../audit/verify.js'
import {describeCaller} from '../pipeline/caller.js'
import {CcmcpError} from '../domain/errors.js'
import {type OperationContext, defineOperation} from '../pipeline/operation.js'
import type {AuditReader} from '../ports.js'

const Problem = z.object({kind: z.string(), seq: z.number(), where: z.string(), message: z.string()})
const Report = z.object({
  ok: z.boolean(),
  records: z.number().describe('Records in the chain up to the first break'),
  files: z.array(z.string()),
  head: z.string().describe('The chain head after the last good record (hex SHA-256)'),
  checkpoints: z.number(),
  signedSize: z.number().describe('Records covered by the latest valid signed checkpoint'),
  problem: Problem.nullable(),
  warnings: z.array(z.string()),
})

const AuditRecordSchema = z.looseObject({
  seq: z.number(),
  ts: z.string(),
  op: z.string(),
  outcome: z.string(),
  code: z.string().nullable(),
  caller: z.looseObject({kind: z.string()}),
  target: z.object({session: z.string().nullable(), agent: z.string().nullable()}).nullable(),
  event: z.string().nullable(),
  argsDigest: z.string(),
})

function auditOf({deps, caller}: Pick<OperationContext, 'deps' | 'caller'>, name: string): AuditReader {
  if (caller.kind !== 'operator') {
    throw new CcmcpError('FORBIDDEN', `${name} reads the audit log of every session, which only the operator may do; ${describeCaller(caller)} was refused.`, {
      hint: 'Run it as the local user at the CLI, outside any agent.',
      details: {operation: name},
    })
  }
  if (!deps.ports.audit) throw new CcmcpError('ENVIRONMENT', 'This ccmcp keeps no audit log.')
  return deps.ports.audit
}

export const auditVerify = defineOperation({
  name: 'audit_verify',
  title: 'Verify the audit log',
  description: 'Check every audit record, the hash chain and the signed checkpoints; fails (AUDIT_BROKEN) naming the first broken record.',
  level: 'LOW',
  // The log spans every session: the operator's alone.
  callers: ['operator'],
  annotations: {readOnly: true, destructive: false, idempotent: true},
  mcp: false,
  input: z.object({}),
  output: Report,
  async handler(_input, context) {
    const audit = auditOf(context, 'audit_verify')
    const report = verifyAudit(await audit.snapshot())
    if (report.problem) {
      const {problem} = report
      throw new CcmcpError('AUDIT_BROKEN', `The audit log is broken at record ${problem.seq} (${problem.where}): ${problem.message}.`, {
        reason: problem.kind,
        hint: 'Records up to the break are intact; keep a copy of the log directory and the anchor as evidence before anything else writes.',
        details: report as unknown as Record<string, unknown>,
      })
    }
    return report
  },
})

const DURATION = /^(\d+)([smhd])$/
const UNIT_MS = {s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000} as const

export function parseSince(value: string, now: Date): Date {
  const relative = DURATION.exec(value)
  if (relative) return new Date(now.getTime() - Number(relative[1]) * UNIT_MS[relative[2] as keyof typeof UNIT_MS])
  const at = Date.parse(value)
  if (Number.isNaN(at)) throw new CcmcpError('INVALID_INPUT', `--since ${JSON.stringify(value)} is neither a time nor a duration.`, {hint: 'Give an ISO time (2026-11-30T04:00:00Z) or a duration back from now (30m, 2h, 1d).'})
  return new Date(at)
}

export const auditShow = defineOperation({
  name: 'audit_show',
  title: 'Show the audit log',
  description: 'List audit records (who did what to which session or agent, and how it ended), oldest first.',
  level: 'LOW',
  // The log spans every session: the operator's alone.
  callers: ['operator'],
  annotations: {readOnly: true, destructive: false, idempotent: true},
  mcp: false,
  input: z.object({
    session: z.string().optional().describe('Only records about this session'),
    agent: z.string().optional().describe('Only records about this agent (Agent_N or session/Agent_N)'),
    since: z.string().optional().describe('Only records from this time on: an ISO time or a duration back from now (30m, 2h, 1d)'),
  }),
  output: z.object({records: z.array(AuditRecordSchema), dir: z.string()}),
  async handler(input, context) {
    const audit = auditOf(context, 'audit_show')
    const since = input.since === undefined ? undefined : parseSince(input.since, context.deps.ports.clock.now())
    const records = auditRecords(await audit.snapshot({key: false}), {session: input.session, agent: input.agent, since})
    return {records: records as unknown as z.infer<typeof AuditRecordSchema>[], dir: audit.location().dir}
  },
})
