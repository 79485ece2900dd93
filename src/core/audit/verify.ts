/**
 * Walks the audit log as read from disk: every record in order (seq contiguous, each `prev` the
 * head before it, each line canonical), then every signed checkpoint (signature, and the chain's
 * head at its size) including the one mirrored outside the log directory. Names the first broken
 * record. Pure: the adapter reads the files (audit-log-read.ts).
 */
import type {KeyObject} from 'node:crypto'

import {type Checkpoint, CHECKPOINT_ORIGIN, keyIdOf, parseCheckpoint, parseCheckpointBody, signatureValid} from './checkpoint.js'
import {AUDIT_VERSION, type AuditRecord, GENESIS, canonicalJson, nextHead} from './record.js'

export interface AuditFile {
  /** Where it is, for messages. */
  name: string
  text: string
}

/** The log as one process saw it under the log's lock. */
export interface AuditSnapshot {
  dir: string
  /** Oldest first; the current file last. */
  files: AuditFile[]
  /** checkpoints.jsonl in the log directory, null when missing. */
  checkpoints: AuditFile | null
  /** The latest checkpoint mirrored outside the log directory, null when missing. */
  mirror: AuditFile | null
  /** The key checkpoints must be signed with; null when it cannot be had (keyProblem says why). */
  publicKey: KeyObject | null
  keyProblem: string | null
}

export type ProblemKind = 'edited' | 'deleted' | 'inserted' | 'reordered' | 'truncated' | 'malformed' | 'signature' | 'mirror'

export interface AuditProblem {
  kind: ProblemKind
  /** The first record the problem concerns. */
  seq: number
  /** File and 1-based line where it was seen. */
  where: string
  message: string
}

export interface VerifyReport {
  ok: boolean
  records: number
  files: string[]
  head: string
  checkpoints: number
  /** The size the latest valid checkpoint signed (0: none). */
  signedSize: number
  problem: AuditProblem | null
  warnings: string[]
}

interface Line {
  where: string
  text: string
  record: AuditRecord | null
  firstOfFile: boolean
}

export function verifyAudit(snapshot: AuditSnapshot): VerifyReport {
  const problems: AuditProblem[] = []
  const lines: Line[] = []
  for (const [fileIndex, file] of snapshot.files.entries()) {
    const texts = file.text.split('\n')
    const tail = texts.pop()
    texts.forEach((text, index) => lines.push({where: `${file.name}:${index + 1}`, text, record: parseRecord(text), firstOfFile: index === 0 && fileIndex > 0}))
    if (tail) problems.push({kind: 'truncated', seq: 0, where: `${file.name}:${texts.length + 1}`, message: 'the last line is cut off (no newline): the file was truncated or a write was torn'})
  }
  const heads = [GENESIS]
  const present = new Set(lines.map((line) => line.record?.seq))
  const chainProblem = walk(lines, heads, present)
  if (chainProblem) problems.push(chainProblem)
  for (const problem of problems) if (problem.seq === 0) problem.seq = heads.length
  const records = heads.length - 1
  const checked = checkCheckpoints(snapshot, heads, chainProblem ? Number.POSITIVE_INFINITY : records)
  problems.push(...checked.problems)
  const problem = problems.sort((a, b) => a.seq - b.seq)[0] ?? null
  return {
    ok: problem === null,
    records,
    files: snapshot.files.map((file) => file.name),
    head: heads.at(-1) as string,
    checkpoints: checked.count,
    signedSize: checked.signedSize,
    problem,
    warnings: checked.warnings,
  }
}

function parseRecord(text: string): AuditRecord | null {
  try {
    const value = JSON.parse(text) as AuditRecord
    const wellFormed = value !== null && typeof value === 'object' && value.v === AUDIT_VERSION && Number.isSafeInteger(value.seq) && typeof value.prev === 'string'
    return wellFormed && canonicalJson(value) === text ? value : null
  } catch {
    return null
  }
}

/** The chain's first break, filling `heads` (heads[n]: the head after record n) up to it. */
function walk(lines: Line[], heads: string[], present: Set<number | undefined>): AuditProblem | null {
  for (const line of lines) {
    const expected = heads.length
    const head = heads.at(-1) as string
    const at = (kind: ProblemKind, seq: number, message: string): AuditProblem => ({kind, seq, where: line.where, message})
    const {record} = line
    if (!record) return at('edited', expected, `record ${expected} is not a well-formed canonical record: it was edited`)
    if (record.seq > expected) {
      if (present.has(expected)) return at('reordered', expected, `record ${record.seq} stands where record ${expected} belongs: records were reordered`)
      const gone = record.seq - 1 === expected ? `record ${expected} is` : `records ${expected}–${record.seq - 1} are`
      return at('deleted', expected, `${gone} missing${line.firstOfFile ? ' (a rotated file was removed)' : ''}: deleted`)
    }
    if (record.seq < expected) return at('inserted', record.seq, `record ${record.seq} appears again after record ${expected - 1}: a line was inserted`)
    if (record.prev !== head) {
      if (expected === 1) return at('edited', 1, 'record 1 does not start from the empty chain: it was edited or records before it were removed')
      return at('edited', expected - 1, `record ${expected - 1} no longer hashes to the head record ${expected} carries: record ${expected - 1} (or the link in ${expected}) was edited`)
    }
    heads.push(nextHead(head, line.text))
  }
  return null
}

interface Checked {
  problems: AuditProblem[]
  warnings: string[]
  count: number
  signedSize: number
}

/** `trusted`: how many records the chain vouches for (a broken chain: check only signatures). */
function checkCheckpoints(snapshot: AuditSnapshot, heads: string[], trusted: number): Checked {
  const result: Checked = {problems: [], warnings: [], count: 0, signedSize: 0}
  const entries: {where: string; text: string}[] = []
  snapshot.checkpoints?.text.split('\n').forEach((text, index) => text && entries.push({where: `${snapshot.checkpoints?.name}:${index + 1}`, text}))
  const inLog = entries.length
  if (snapshot.mirror) entries.push({where: snapshot.mirror.name, text: snapshot.mirror.text.trim()})
  const records = heads.length - 1
  let largestInLog = 0
  let matched = 0
  const currentKey = snapshot.publicKey && keyIdOf(snapshot.publicKey)
  // Signed by an earlier master key (before `ccmcp key rotate`): fine only where a checkpoint of the current key vouches for the same records.
  const retired: {where: string; size: number; keyId: string}[] = []
  for (const [index, entry] of entries.entries()) {
    const isMirror = index >= inLog
    const fail = (kind: ProblemKind, seq: number, message: string) => result.problems.push({kind, seq, where: entry.where, message})
    const checkpoint = parseCheckpoint(entry.text)
    const body = checkpoint && parseCheckpointBody(checkpoint.body)
    if (!checkpoint || !body || body.origin !== CHECKPOINT_ORIGIN) {
      fail(isMirror ? 'mirror' : 'malformed', records + 1, 'not a ccmcp audit checkpoint')
      continue
    }
    if (!isMirror) result.count++
    if (!snapshot.publicKey) {
      fail('signature', body.size, `the checkpoint signed at size ${body.size} cannot be checked: ${snapshot.keyProblem ?? 'no key'}`)
      continue
    }
    if (!signatureValid(snapshot.publicKey, checkpoint as Checkpoint)) {
      if (checkpoint.keyId !== currentKey && !isMirror) {
        retired.push({where: entry.where, size: body.size, keyId: checkpoint.keyId})
        continue
      }
      fail('signature', body.size, `the signature of the ${isMirror ? 'mirrored ' : ''}checkpoint at size ${body.size} is not valid for this key (${checkpoint.keyId})`)
      continue
    }
    if (!isMirror) largestInLog = Math.max(largestInLog, body.size)
    if (isMirror && body.size < largestInLog) fail('mirror', body.size + 1, `the mirrored checkpoint (size ${body.size}) is older than the log's own (size ${largestInLog}): it was replaced`)
    if (body.size > trusted) {
      fail('truncated', records + 1, `the log ends at record ${records}, but a checkpoint signed ${body.size} records: records ${records + 1}–${body.size} were cut off`)
      continue
    }
    if (body.size <= records && heads[body.size] !== body.head) {
      fail(isMirror ? 'mirror' : 'edited', body.size, `the chain's head at record ${body.size} is not the one signed then: a record up to ${body.size} was changed`)
      continue
    }
    if (body.size <= records) matched = Math.max(matched, body.size)
  }
  for (const old of retired) {
    if (old.size <= matched) result.warnings.push(`the checkpoint at size ${old.size} was signed by another key (${old.keyId}; the master key was rotated?), and a checkpoint of the current key covers its records`)
    else result.problems.push({kind: 'signature', seq: old.size, where: old.where, message: `the checkpoint at size ${old.size} is signed by key ${old.keyId}, not the current key ${currentKey}, and no checkpoint of the current key covers its records`})
  }
  if (!snapshot.mirror && inLog > 0) result.problems.push({kind: 'mirror', seq: largestInLog + 1, where: snapshot.dir, message: 'the mirrored checkpoint outside the log directory is missing'})
  if (!snapshot.mirror && inLog === 0 && records > 0) result.warnings.push('no checkpoint has been signed yet: truncation cannot be detected')
  if (snapshot.mirror && inLog === 0) result.warnings.push('checkpoints.jsonl is missing; only the mirrored checkpoint was checked')
  result.signedSize = matched
  if (records > matched && matched > 0) result.warnings.push(`records ${matched + 1}–${records} come after the last signed checkpoint`)
  return result
}
