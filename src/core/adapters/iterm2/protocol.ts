/**
 * Pure helpers for the iTerm2 backend: the request/reply protocol with the JXA driver, osascript
 * failures mapped to ccmcp errors with their remedy, and the plan for writing text. Everything
 * that crosses the process boundary is ASCII-only JSON (iterm2.md §4: GUI processes may decode
 * non-ASCII through MacRoman), so non-ASCII travels as \uXXXX escapes.
 */
import {CcmcpError} from '../../domain/errors.js'
import type {ExecResult} from '../../ports.js'

export const DRIVER_PROTOCOL = 1

export type DriverRequest =
  | {op: 'create'; command: string; title: string; agentKey: string; near: string[]; launch: boolean}
  | {op: 'list'}
  | {op: 'write'; sessionId: string; chunks: string[]; enter: boolean; enterDelayMs: number}
  | {op: 'read'; sessionId: string; lines: number}
  | {op: 'close'; sessionId: string}
  | {op: 'focus'; sessionId: string}

/** JSON with every character outside printable ASCII escaped; JSON.parse restores it exactly. */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replaceAll(/[^\x20-\x7e]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

export function encodeRequest(request: DriverRequest): string {
  return asciiJson({v: DRIVER_PROTOCOL, ...request})
}

/** Lone surrogates cannot be encoded for the terminal; refuse them instead of sending U+FFFD. */
export function hasLoneSurrogate(text: string): boolean {
  return /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text)
}

export type FailureKind =
  | 'not-authorized'
  | 'not-running'
  | 'gone'
  | 'blocked'
  | 'not-installed'
  | 'no-osascript'
  | 'timeout'
  | 'bad-output'
  | 'script-error'
  | 'apple-event'

export interface DriverFailure {
  kind: FailureKind
  number: number | null
  message: string
}

export type DriverOutcome = {ok: true; result: Record<string, unknown>} | {ok: false; failure: DriverFailure}

/** The kind of an Apple event / OSA error number (iterm2.md §5). */
export function kindOfErrorNumber(number: number | null): FailureKind {
  switch (number) {
    case -1743:
    case -10004:
      return 'not-authorized'
    case -600:
    case -609:
      return 'not-running'
    case -1728:
    case -1719:
      return 'gone'
    case -1712:
      return 'blocked'
    case -2700:
    case -10814:
      return 'not-installed'
    case -2740:
    case -2741:
    case -2753:
      return 'script-error'
    default:
      return 'apple-event'
  }
}

/** osascript's own error line: `0:12: execution error: Error: … (-1743)`. */
export function errorNumberIn(stderr: string): number | null {
  const match = /\((-?\d+)\)\s*$/.exec(stderr.trim())
  return match ? Number(match[1]) : null
}

/** Reads one osascript run: the driver's JSON envelope, or why there is none. */
export function interpretRun(result: ExecResult): DriverOutcome {
  if (result.notFound) return fail('no-osascript', null, 'osascript was not found')
  if (result.timedOut) return fail('timeout', null, 'osascript did not answer in time')
  const stdout = result.stdout.trim()
  if (result.exitCode !== 0) {
    const stderr = result.stderr.trim()
    const number = errorNumberIn(stderr)
    if (/syntax error/i.test(stderr)) return fail('script-error', number, stderr)
    return fail(number === null ? 'apple-event' : kindOfErrorNumber(number), number, stderr || stdout || `osascript exited with ${result.exitCode}`)
  }
  // The reply is the last line: anything a system library printed before it is not ours.
  const envelope = parseJson(stdout.slice(stdout.lastIndexOf('\n') + 1))
  if (envelope === undefined) return fail('bad-output', null, stdout.slice(0, 200) || '(nothing)')
  if (!isRecord(envelope) || envelope.protocol !== DRIVER_PROTOCOL) return fail('bad-output', null, stdout.slice(0, 200))
  if (envelope.ok === true && isRecord(envelope.result)) return {ok: true, result: envelope.result}
  const error = isRecord(envelope.error) ? envelope.error : {}
  const number = typeof error.number === 'number' ? error.number : null
  const message = typeof error.message === 'string' ? error.message : 'unknown driver error'
  if (error.kind === 'bad-request') return fail('script-error', number, message)
  return fail(kindOfErrorNumber(number), number, message)
}

const REPORT = 'This is a bug in ccmcp; please report it with the output of the command run with CCMCP_DEBUG=1.'
export const AUTOMATION_HINT =
  'Open System Settings → Privacy & Security → Automation, find the app that runs ccmcp (Terminal, iTerm2, your editor) and turn on "iTerm2" under it, then retry. ' +
  'If macOS never asked (ssh, launchd), run any ccmcp command once from a terminal on the Mac, or reset the choice with `tccutil reset AppleEvents`.'

/** The ccmcp error for a failed driver call; `action` completes "could not …". */
export function failureToError(failure: DriverFailure, action: string, timeoutMs: number): CcmcpError {
  const detail = failure.number === null ? failure.message : `${failure.message} (${failure.number})`
  const details = {backend: 'iterm2', kind: failure.kind, errorNumber: failure.number}
  switch (failure.kind) {
    case 'not-authorized':
      return new CcmcpError('BACKEND_UNAVAILABLE', `macOS does not allow ccmcp to control iTerm2 (Automation permission denied, error ${failure.number}); could not ${action}.`, {hint: AUTOMATION_HINT, details})
    case 'not-running':
      return new CcmcpError('BACKEND_UNAVAILABLE', `iTerm2 is not running (or quit during the call); could not ${action}.`, {hint: 'Start iTerm2 and retry.', details})
    case 'gone':
      return tabGoneError(action, true)
    case 'blocked':
      return new CcmcpError('TIMEOUT', `iTerm2 did not answer (${detail}); it appears blocked by a dialog. Could not ${action}.`, {
        hint: 'Look for an open dialog in iTerm2 (a close confirmation or a parameter prompt), dismiss it and retry.',
        details,
      })
    case 'timeout':
      return new CcmcpError('TIMEOUT', `iTerm2 did not answer within ${Math.round(timeoutMs / 1000)} s; could not ${action}.`, {
        hint: 'iTerm2 may be showing a dialog, or macOS may be waiting for you to allow Automation for iTerm2. Answer it and retry.',
        details,
      })
    case 'not-installed':
      return new CcmcpError('BACKEND_UNAVAILABLE', `iTerm2 is not installed (${detail}); could not ${action}.`, {
        hint: 'Install iTerm2 from https://iterm2.com, or use the tmux backend: `ccmcp session create <name> --backend tmux`.',
        details,
      })
    case 'no-osascript':
      return new CcmcpError('BACKEND_UNAVAILABLE', `osascript was not found: the iTerm2 backend needs macOS. Could not ${action}.`, {
        hint: 'Use the tmux backend: `ccmcp session create <name> --backend tmux`, or `ccmcp config set backend tmux`.',
        details,
      })
    case 'bad-output':
      return new CcmcpError('BACKEND_UNAVAILABLE', `The iTerm2 driver returned output ccmcp cannot read: ${failure.message}. Could not ${action}.`, {hint: REPORT, details})
    case 'script-error':
      return new CcmcpError('UNEXPECTED', `The iTerm2 driver script failed: ${detail}. Could not ${action}.`, {hint: REPORT, details})
    case 'apple-event':
      return new CcmcpError('BACKEND_UNAVAILABLE', `iTerm2 refused to ${action}: ${detail}.`, {
        hint: 'Check that iTerm2 (3.3 or newer) is running and responsive, then retry.',
        details,
      })
  }
}

/** The agent's tab is not there (closed, or iTerm2 not running): the agent is lost. */
export function tabGoneError(action: string, iTermRunning: boolean): CcmcpError {
  const why = iTermRunning ? "the agent's iTerm2 tab is gone" : 'iTerm2 is not running'
  return new CcmcpError('AGENT_NOT_RUNNING', `Could not ${action}: ${why}.`, {
    hint: 'Check `ccmcp session status`; bring a lost agent back with `ccmcp agent restart <agent>` (same conversation).',
    details: {backend: 'iterm2', kind: 'gone'},
  })
}

/** The GUID of the iTerm2 session ccmcp itself runs in: `ITERM_SESSION_ID=w0t1p0:<GUID>`. */
export function callerSessionId(env: Record<string, string | undefined>): string | null {
  const value = env.ITERM_SESSION_ID
  const match = value ? /^w\d+t\d+p\d+:([0-9A-Fa-f-]{36})$/.exec(value) : null
  return match ? (match[1] as string) : null
}

// iterm2.md §6: at most 4096 UTF-16 units per write, and about 120 KB of argv per osascript run
// (ARG_MAX is 256 KiB on old macOS and also holds the environment).
export const WRITE_CHUNK_UNITS = 4096
export const MAX_WRITE_PAYLOAD = 120_000
export const PASTE_START = '\u001B[200~'
export const PASTE_END = '\u001B[201~'

/** Same rule as tmux: several lines, or a lot of text, go in as one bracketed paste. */
export function shouldPaste(text: string): boolean {
  // A typed tab would be a key (completion, or dropped by Claude Code); pasted it stays text.
  return text.includes('\n') || text.includes('\t') || Buffer.byteLength(text) > 512
}

/** Splits text into pieces of at most `size` UTF-16 units, never between a surrogate pair. */
export function splitUnits(text: string, size: number): string[] {
  const pieces: string[] = []
  let start = 0
  while (start < text.length) {
    let end = Math.min(text.length, start + size)
    const last = text.charCodeAt(end - 1)
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--
    pieces.push(text.slice(start, end))
    start = end
  }
  return pieces
}

/**
 * The driver calls that type `text` (pasted when `paste`) and then, after `enterDelayMs`, press
 * Enter: one call unless the text is too large for one argv. Paste markers are never split.
 */
export function planWrite(sessionId: string, text: string, options: {paste: boolean; submit: boolean; enterDelayMs: number}): Array<Extract<DriverRequest, {op: 'write'}>> {
  const chunks = splitUnits(text, WRITE_CHUNK_UNITS)
  if (options.paste && chunks.length > 0) {
    chunks[0] = PASTE_START + chunks[0]
    chunks[chunks.length - 1] = chunks[chunks.length - 1] + PASTE_END
  }
  const requests: Array<Extract<DriverRequest, {op: 'write'}>> = []
  let current: string[] = []
  let size = 0
  for (const chunk of chunks) {
    const cost = asciiJson(chunk).length + 1
    if (current.length > 0 && size + cost > MAX_WRITE_PAYLOAD) {
      requests.push({op: 'write', sessionId, chunks: current, enter: false, enterDelayMs: 0})
      current = []
      size = 0
    }
    current.push(chunk)
    size += cost
  }
  requests.push({op: 'write', sessionId, chunks: current, enter: options.submit, enterDelayMs: options.submit ? options.enterDelayMs : 0})
  return requests
}

function fail(kind: FailureKind, number: number | null, message: string): DriverOutcome {
  return {ok: false, failure: {kind, number, message}}
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
