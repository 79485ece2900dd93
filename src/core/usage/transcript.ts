/**
 * Counting tokens from Claude Code's transcript (claude-code-2.md §7): every `type:"assistant"`
 * line carries `message.id`, `message.model` and `message.usage`, one line per content block of a
 * streamed message, so each message id is counted once (a later line of the same message replaces
 * what its earlier line counted). Pure: bytes in, counts out; the caller keeps the offset.
 */
import * as z from 'zod'

import {type TokenCounts, TokenCounts as TokenCountsSchema, addTokens, zeroTokens} from './usage.js'

/** Streamed lines of one message are adjacent; this many recent ids is plenty to count each once. */
export const SEEN_IDS_KEPT = 256

export const TranscriptCursor = z.object({
  /** Bytes consumed: always just after a newline, so a half-written last line is read again whole. */
  offset: z.number().int().min(0),
  /** The file's first bytes when it was first read: a file replaced under the same name differs here. */
  head: z.string(),
  byModel: z.record(z.string(), TokenCountsSchema),
  /** Recent message ids with what was counted for each: [id, model, counts]. */
  seen: z.array(z.tuple([z.string(), z.string(), TokenCountsSchema])),
})
export type TranscriptCursor = z.infer<typeof TranscriptCursor>

export const freshCursor = (head = ''): TranscriptCursor => ({offset: 0, head, byModel: {}, seen: []})

const NEWLINE = 0x0a
const decoder = new TextDecoder()

/**
 * Folds the complete lines of `chunk` (the file's bytes from `cursor.offset`) into the cursor.
 * Bytes after the last newline stay unread: the writer may be in the middle of that line.
 */
export function foldChunk(cursor: TranscriptCursor, chunk: Uint8Array): TranscriptCursor {
  const end = chunk.lastIndexOf(NEWLINE)
  if (end < 0) return cursor
  const byModel = {...cursor.byModel}
  const seen = new Map(cursor.seen.map(([id, model, counts]) => [id, {model, counts}]))
  let start = 0
  while (start <= end) {
    const newline = chunk.indexOf(NEWLINE, start)
    const line = decoder.decode(chunk.subarray(start, newline))
    start = newline + 1
    const message = assistantMessage(line)
    if (!message) continue
    const before = seen.get(message.id)
    if (before) {
      byModel[before.model] = addTokens(byModel[before.model] ?? zeroTokens(), before.counts, -1)
      seen.delete(message.id)
    }
    byModel[message.model] = addTokens(byModel[message.model] ?? zeroTokens(), message.counts)
    seen.set(message.id, {model: message.model, counts: message.counts})
  }
  const kept = [...seen.entries()].slice(-SEEN_IDS_KEPT).map(([id, {model, counts}]) => [id, model, counts] as [string, string, TokenCounts])
  return {...cursor, offset: cursor.offset + end + 1, byModel, seen: kept}
}

interface CountedMessage {
  id: string
  model: string
  counts: TokenCounts
}

const count = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0)

/** The usage of one transcript line, or null for anything that is not an assistant message with usage. */
export function assistantMessage(line: string): CountedMessage | null {
  // Most bytes are user lines with whole tool results: skip them without parsing.
  if (!line.includes('"usage"') || !line.includes('"assistant"')) return null
  let entry: unknown
  try {
    entry = JSON.parse(line)
  } catch {
    return null
  }
  if (typeof entry !== 'object' || entry === null) return null
  const record = entry as {type?: unknown; message?: {id?: unknown; model?: unknown; usage?: Record<string, unknown>}}
  const message = record.message
  if (record.type !== 'assistant' || typeof message?.id !== 'string' || typeof message.usage !== 'object' || message.usage === null) return null
  const model = typeof message.model === 'string' ? message.model : 'unknown'
  // Claude Code's own notices (an API error shown as a reply) are "<synthetic>" and cost nothing.
  if (model.startsWith('<')) return null
  const usage = message.usage
  return {
    id: message.id,
    model,
    counts: {
      input: count(usage.input_tokens),
      output: count(usage.output_tokens),
      cacheRead: count(usage.cache_read_input_tokens),
      cacheWrite: count(usage.cache_creation_input_tokens),
    },
  }
}
