/**
 * What the mock Messages API answers, decided from the request body alone (no state), so a
 * resumed conversation or a retried request gets the same answer as the first time.
 *
 * Keywords, looked for in the LAST user text block (the typed prompt, per claude-code.md §8):
 *   MOCK_TOOL_BASH <cmd>            one Bash tool_use running <cmd> (rest of that line)
 *   MOCK_TOOL_WRITE <file> <text>   one Write tool_use
 *   MOCK_TOOL_READ <file>           one Read tool_use
 *   MOCK_TOOL_EDIT <file> <old> <new>  one Edit tool_use replacing the word <old> by <new> (Claude Code
 *                                   wants the file Read first in the conversation, else it refuses)
 *   MOCK_FAIL [<status>]            HTTP error, 400 by default (e.g. `MOCK_FAIL 500`)
 *   MOCK_SLOW <ms> …                wait <ms> (≤ 60 s) before answering, to hold a turn busy
 *   MOCK_USAGE <in> <out> <cacheRead> <cacheWrite>   report exactly this usage for the reply
 *   MOCK_TOOL_MCP <tool> <json>     call the MCP tool <tool> (e.g. mcp__ccmcp__claim_task) with the JSON input
 *                                   (rest of that line). MCP tools are deferred in 2.1.330: their schemas load
 *                                   through ToolSearch first ("select:<tool>"), so this takes two tool turns.
 *   anything else                   text `MOCK_REPLY: <prompt>`
 * A request whose last user message carries a tool_result gets the follow-up turn's final text
 * `MOCK_TOOL_DONE: <result>`, so a tool turn always ends after one round trip (MOCK_TOOL_MCP: after
 * the tool itself, not after its ToolSearch).
 */

import path from 'node:path'

export type Json = Record<string, unknown>

export type Block =
  | {type: 'text'; text: string}
  | {type: 'tool_use'; id: string; name: string; input: Json}

export type Plan =
  | {kind: 'message'; delayMs: number; content: Block[]; stopReason: 'end_turn' | 'tool_use' | 'stop_sequence'}
  | {kind: 'error'; delayMs: number; status: number; errorType: string; message: string}

export type RequestKind = 'main' | 'title' | 'classifier'

const MAX_DELAY_MS = 60_000
const SYSTEM_REMINDER = '<system-reminder>'

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function blocksOf(content: unknown): Json[] {
  if (typeof content === 'string') return [{type: 'text', text: content}]
  return Array.isArray(content) ? content.filter(isObject) : []
}

export function messagesOf(body: Json): Json[] {
  return Array.isArray(body.messages) ? body.messages.filter(isObject) : []
}

function lastUserMessage(body: Json): Json | undefined {
  return messagesOf(body).findLast((m) => m.role === 'user')
}

/**
 * The typed prompt: the last text block of the last user message. Claude Code puts
 * `<system-reminder>` blocks before it; skip any that trail it too, so a reminder is never
 * mistaken for the prompt.
 */
export function lastUserText(body: Json): string | undefined {
  const texts = blocksOf(lastUserMessage(body)?.content)
    .filter((b) => b.type === 'text' && typeof b.text === 'string')
    .map((b) => b.text as string)
  return texts.findLast((t) => !t.trimStart().startsWith(SYSTEM_REMINDER)) ?? texts.at(-1)
}

function textOfToolResult(block: Json): string {
  if (typeof block.content === 'string') return block.content
  return blocksOf(block.content)
    .map((b) => (typeof b.text === 'string' ? b.text : ''))
    .join('')
}

function lastToolResult(body: Json): Json | undefined {
  return blocksOf(lastUserMessage(body)?.content).findLast((b) => b.type === 'tool_result')
}

/** The system prompt as one string (it arrives as a string or as text blocks). */
export function systemText(body: Json): string {
  if (typeof body.system === 'string') return body.system
  return blocksOf(body.system)
    .map((b) => (typeof b.text === 'string' ? b.text : ''))
    .join('\n')
}

/** The agent's cwd, from the `role:"system"` environment message ("Primary working directory: …"). */
export function cwdOf(body: Json): string | undefined {
  for (const message of messagesOf(body)) {
    for (const block of blocksOf(message.content)) {
      const match = typeof block.text === 'string' ? /Primary working directory: (\S+)/.exec(block.text) : null
      if (match) return match[1]
    }
  }
  return undefined
}

export function requestKind(body: Json): RequestKind {
  const format = isObject(body.output_config) ? body.output_config.format : undefined
  if (isObject(format) && format.type === 'json_schema') return 'title'
  const stops = Array.isArray(body.stop_sequences) ? body.stop_sequences : []
  if (body.stream !== true && stops.includes('</block>')) return 'classifier'
  return 'main'
}

let toolCounter = 0
function toolId(): string {
  toolCounter += 1
  return `toolu_mock_${process.pid}_${toolCounter}`
}

function restOfLine(text: string, keyword: string): string | undefined {
  const at = text.indexOf(keyword)
  if (at < 0) return undefined
  const rest = text.slice(at + keyword.length)
  const eol = rest.indexOf('\n')
  return (eol < 0 ? rest : rest.slice(0, eol)).trim()
}

function delayOf(text: string): number {
  const match = /MOCK_SLOW\s+(\d+)/.exec(text)
  return match ? Math.min(Number(match[1]), MAX_DELAY_MS) : 0
}

function text(value: string, stopReason: 'end_turn' | 'stop_sequence' = 'end_turn', delayMs = 0): Plan {
  return {kind: 'message', delayMs, content: [{type: 'text', text: value}], stopReason}
}

/** A short text block, then one tool_use: the shape of a real model turn that calls a tool. */
function toolCall(what: string, name: string, input: Json, delayMs: number): Plan {
  const content: Block[] = [
    {type: 'text', text: `MOCK_TOOL: ${what}.`},
    {type: 'tool_use', id: toolId(), name, input},
  ]
  return {kind: 'message', delayMs, stopReason: 'tool_use', content}
}

/**
 * The prompt of the current turn: the last user text that is not a reminder, also while tool
 * results follow it (a tool-result message may carry text of its own, e.g. ToolSearch's "Tool loaded.").
 */
function turnPrompt(body: Json): string {
  for (const message of messagesOf(body).toReversed()) {
    if (message.role !== 'user' || blocksOf(message.content).some((b) => b.type === 'tool_result')) continue
    const texts = blocksOf(message.content).filter((b) => b.type === 'text' && typeof b.text === 'string' && !(b.text as string).trimStart().startsWith(SYSTEM_REMINDER))
    if (texts.length > 0) return texts.at(-1)?.text as string
  }
  return ''
}

/** The name of the tool the assistant called last (the one whose result is now coming back). */
function lastToolUseName(body: Json): string | undefined {
  const assistant = messagesOf(body).findLast((m) => m.role === 'assistant')
  const use = blocksOf(assistant?.content).findLast((b) => b.type === 'tool_use')
  return typeof use?.name === 'string' ? use.name : undefined
}

/** MOCK_TOOL_MCP <tool> <json>: the tool and its input (an unparsable input is sent as given, in `raw`). */
function mcpCall(prompt: string): {tool: string; input: Json} | undefined {
  const rest = restOfLine(prompt, 'MOCK_TOOL_MCP')
  if (rest === undefined) return undefined
  const [tool = '', ...words] = rest.split(' ')
  const json = words.join(' ').trim() || '{}'
  try {
    const input = JSON.parse(json) as unknown
    return {tool, input: isObject(input) ? input : {value: input}}
  } catch {
    return {tool, input: {raw: json}}
  }
}

export function planFor(body: Json): Plan {
  const kind = requestKind(body)
  // The session-title side request wants JSON text matching its schema.
  if (kind === 'title') return text(JSON.stringify({title: 'Mock session'}))
  // Auto-mode classifier: `<block>no` means "allow" (claude-code.md §8).
  if (kind === 'classifier') return text('<block>no', 'stop_sequence')

  const result = lastToolResult(body)
  const mcp = mcpCall(turnPrompt(body))
  if (result && mcp && lastToolUseName(body) === 'ToolSearch') return toolCall(`calling ${mcp.tool}`, mcp.tool, mcp.input, 0)
  if (result) return text(`MOCK_TOOL_DONE: ${textOfToolResult(result).trim()}`)
  if (mcp) return toolCall(`loading ${mcp.tool}`, 'ToolSearch', {query: `select:${mcp.tool}`, max_results: 1}, delayOf(turnPrompt(body)))

  const prompt = lastUserText(body) ?? ''
  const delayMs = delayOf(prompt)
  const fail = /MOCK_FAIL(?:[ _](\d{3}))?/.exec(prompt)
  if (fail) {
    const status = Number(fail[1] ?? 400)
    const errorType = status >= 500 ? 'api_error' : 'invalid_request_error'
    return {kind: 'error', delayMs, status, errorType, message: `MOCK_FAIL requested (HTTP ${status})`}
  }
  const bash = restOfLine(prompt, 'MOCK_TOOL_BASH')
  if (bash !== undefined) return toolCall('running a command', 'Bash', {command: bash || 'true', description: 'Mock command'}, delayMs)
  const write = restOfLine(prompt, 'MOCK_TOOL_WRITE')
  if (write !== undefined) {
    const [name = 'mock.txt', ...words] = write.split(/\s+/)
    // Write wants an absolute path; resolve a relative one against the agent's cwd.
    const file = path.isAbsolute(name) ? name : path.join(cwdOf(body) ?? '/tmp', name)
    return toolCall('writing a file', 'Write', {file_path: file, content: `${words.join(' ')}\n`}, delayMs)
  }
  const edit = restOfLine(prompt, 'MOCK_TOOL_EDIT')
  if (edit !== undefined) {
    const [name = 'mock.txt', oldString = '', newString = ''] = edit.split(/\s+/)
    const file = path.isAbsolute(name) ? name : path.join(cwdOf(body) ?? '/tmp', name)
    return toolCall('editing a file', 'Edit', {file_path: file, old_string: oldString, new_string: newString}, delayMs)
  }
  const read = restOfLine(prompt, 'MOCK_TOOL_READ')
  if (read !== undefined) {
    const name = read || 'mock.txt'
    return toolCall('reading a file', 'Read', {file_path: path.isAbsolute(name) ? name : path.join(cwdOf(body) ?? '/tmp', name)}, delayMs)
  }
  return text(`MOCK_REPLY: ${prompt}`, 'end_turn', delayMs)
}

export interface MockUsage {
  input: number
  output: number
  cacheRead: number
  cacheWrite: number
}

/** The usage a main request's prompt asks for with MOCK_USAGE, or null (the mock's rough estimate then). */
export function requestedUsage(body: Json): MockUsage | null {
  if (requestKind(body) !== 'main' || lastToolResult(body)) return null
  const match = /MOCK_USAGE\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)/.exec(lastUserText(body) ?? '')
  if (!match) return null
  const [input, output, cacheRead, cacheWrite] = match.slice(1).map(Number) as [number, number, number, number]
  return {input, output, cacheRead, cacheWrite}
}
