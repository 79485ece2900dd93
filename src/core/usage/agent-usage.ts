/**
 * An agent's token totals, read from its transcript incrementally: what was read so far (offset,
 * counts, recent message ids) is kept in `usage.json` next to the agent's other files, so each
 * status read costs only the bytes written since the last one. It runs in status reads, never in
 * a hook. Concurrent readers each write a self-consistent record; the last one wins.
 */
import path from 'node:path'
import * as z from 'zod'

import type {Agent} from '../domain/state.js'
import type {CoreDeps} from '../pipeline/operation.js'
import type {ModelPrice} from './prices.js'
import {TranscriptCursor, foldChunk, freshCursor} from './transcript.js'
import {type TokenCounts, TokenCounts as TokenCountsSchema, type Usage, addTokens, usageOf, zeroTokens} from './usage.js'

const HEAD_BYTES = 256
const FIRST_CHUNK = 1024 * 1024
/** A single transcript line longer than this is skipped rather than held in memory. */
const MAX_LINE_BYTES = 64 * 1024 * 1024

const UsageRecord = z.object({
  version: z.literal(1),
  /** Counts from the agent's earlier transcripts (a new conversation writes a new file). */
  previous: z.record(z.string(), TokenCountsSchema),
  transcript: z.string().nullable(),
  cursor: TranscriptCursor,
})
type UsageRecord = z.infer<typeof UsageRecord>

const emptyRecord = (): UsageRecord => ({version: 1, previous: {}, transcript: null, cursor: freshCursor()})

export function usageFile(home: string, agent: Pick<Agent, 'session' | 'name'>): string {
  return path.join(home, 'agents', agent.session, agent.name, 'usage.json')
}

/** null for agents that are not Claude Code (they have no transcript). */
export async function readAgentUsage(deps: CoreDeps, agent: Agent, prices: Record<string, ModelPrice> | undefined): Promise<Usage | null> {
  if (agent.kind !== 'claude') return null
  const file = usageFile(deps.settings.paths.home, agent)
  const stored = await loadRecord(deps, file)
  let record = stored
  if (agent.transcriptPath && agent.transcriptPath !== record.transcript) {
    record = {version: 1, previous: mergeCounts(record.previous, record.cursor.byModel), transcript: agent.transcriptPath, cursor: freshCursor()}
  }
  if (record.transcript) record = {...record, cursor: await advance(deps, record.transcript, record.cursor)}
  if (JSON.stringify(record) !== JSON.stringify(stored)) {
    await deps.ports.host.mkdir(path.dirname(file))
    await deps.ports.host.writeAtomic(file, JSON.stringify(record))
  }
  return usageOf(mergeCounts(record.previous, record.cursor.byModel), prices)
}

async function loadRecord(deps: CoreDeps, file: string): Promise<UsageRecord> {
  const text = await deps.ports.host.readText(file).catch(() => null)
  if (text === null) return emptyRecord()
  try {
    return UsageRecord.parse(JSON.parse(text))
  } catch {
    // Only a cache of the transcript: reading it again from the start rebuilds it.
    return emptyRecord()
  }
}

/** Reads what was appended since the cursor; a truncated or replaced file is counted again from its start. */
export async function advance(deps: CoreDeps, transcript: string, start: TranscriptCursor): Promise<TranscriptCursor> {
  const host = deps.ports.host
  const first = await host.readBytes(transcript, 0, HEAD_BYTES).catch(() => null)
  if (!first) return start
  const head = hex(first.bytes)
  let cursor = start
  const replaced = first.size < cursor.offset || !(head.startsWith(cursor.head) || cursor.head.startsWith(head))
  if (replaced || cursor.offset === 0) cursor = freshCursor(head)
  else if (head.length > cursor.head.length) cursor = {...cursor, head}
  let chunkSize = FIRST_CHUNK
  while (cursor.offset < first.size) {
    const read = await host.readBytes(transcript, cursor.offset, chunkSize)
    if (!read || read.bytes.length === 0) break
    const next = foldChunk(cursor, read.bytes)
    if (next.offset === cursor.offset) {
      // No complete line in the chunk: the last line is still being written, or is very long.
      if (read.bytes.length < chunkSize) break
      if (chunkSize >= MAX_LINE_BYTES) {
        deps.ports.logger.warn(`a line of ${transcript} is longer than ${MAX_LINE_BYTES} bytes; token counts stop there`)
        break
      }
      chunkSize *= 2
      continue
    }
    cursor = next
  }
  return cursor
}

function mergeCounts(a: Record<string, TokenCounts>, b: Record<string, TokenCounts>): Record<string, TokenCounts> {
  const merged = {...a}
  for (const [model, counts] of Object.entries(b)) merged[model] = addTokens(merged[model] ?? zeroTokens(), counts)
  return merged
}

const hex = (bytes: Uint8Array): string => Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')
