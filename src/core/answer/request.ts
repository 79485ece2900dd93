/**
 * A permission request as ccmcp shows and answers it: a short, sanitized summary of what the tool
 * wants (`Bash(npm test)`, `Write(notes/todo.md)`), and the decision JSON Claude Code reads from
 * the PermissionRequest hook's stdout (claude-code-2.md §3).
 */
import path from 'node:path'

import type {PermissionDecision} from '../domain/permission.js'

/** The input field that says what a tool call does, per tool. */
export const PRIMARY_FIELD: Readonly<Record<string, string>> = {
  Bash: 'command',
  Read: 'file_path',
  Write: 'file_path',
  Edit: 'file_path',
  MultiEdit: 'file_path',
  NotebookEdit: 'notebook_path',
  WebFetch: 'url',
  WebSearch: 'query',
  Glob: 'pattern',
  Grep: 'pattern',
}

export const PATH_TOOLS: ReadonlySet<string> = new Set(['Read', 'Write', 'Edit', 'MultiEdit', 'NotebookEdit'])

const MAX_SUMMARY_INPUT = 80
// Control characters, ANSI escapes, zero-width and bidi overrides: a tool input must not repaint a status line or hide text.
// eslint-disable-next-line no-control-regex
const UNSAFE = /\u001b\[[0-9;?]*[ -/]*[@-~]|[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/gu

/** One line of plain, printable text, at most `max` characters. */
export function sanitize(text: string, max = MAX_SUMMARY_INPUT): string {
  const plain = text.replace(UNSAFE, ' ').replace(/\s+/gu, ' ').trim()
  const chars = [...plain]
  return chars.length <= max ? plain : `${chars.slice(0, max - 1).join('')}…`
}

export function toolName(value: unknown): string {
  return typeof value === 'string' && /^[A-Za-z0-9_.-]{1,100}$/.test(value) ? value : 'a tool'
}

/** The value of the tool's primary input field, as the tool got it (unsanitized: rules match on it). */
export function primaryInput(tool: string, input: unknown): string | null {
  if (typeof input !== 'object' || input === null) return null
  const record = input as Record<string, unknown>
  const field = PRIMARY_FIELD[tool]
  const value = field ? record[field] : Object.values(record).find((candidate) => typeof candidate === 'string')
  return typeof value === 'string' ? value : null
}

/** `Bash(npm test)`; a path inside the agent's directory is shown relative to it. */
export function summarize(tool: string, input: unknown, cwd?: string): string {
  let primary = primaryInput(tool, input)
  if (primary !== null && PATH_TOOLS.has(tool) && cwd && path.isAbsolute(primary)) {
    const relative = path.relative(cwd, primary)
    if (relative && !relative.startsWith('..') && !path.isAbsolute(relative)) primary = relative
  }
  const shown = primary === null ? '' : sanitize(primary)
  return shown ? `${tool}(${shown})` : tool
}

export const waitingForPermission = (summary: string): string => `permission: ${summary}`

/** What the hook prints for Claude Code. "Always" passes on the rules Claude Code itself suggested. */
export function decisionOutput(decision: Pick<PermissionDecision, 'behavior' | 'always' | 'message'>, suggestions: unknown): Record<string, unknown> {
  const answer: Record<string, unknown> = {behavior: decision.behavior}
  if (decision.behavior === 'allow' && decision.always && Array.isArray(suggestions) && suggestions.length > 0) answer.updatedPermissions = suggestions
  if (decision.behavior === 'deny') answer.message = decision.message ?? 'The operator denied this through ccmcp.'
  return {hookSpecificOutput: {hookEventName: 'PermissionRequest', decision: answer}}
}
