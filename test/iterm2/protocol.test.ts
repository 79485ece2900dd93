import {describe, expect, it} from 'vitest'

import {
  AUTOMATION_HINT,
  MAX_WRITE_PAYLOAD,
  PASTE_END,
  PASTE_START,
  WRITE_CHUNK_UNITS,
  asciiJson,
  callerSessionId,
  encodeRequest,
  errorNumberIn,
  failureToError,
  hasLoneSurrogate,
  interpretRun,
  planWrite,
  shouldPaste,
  splitUnits,
} from '../../src/core/adapters/iterm2/protocol.js'
import {parsePsTable, sameTty} from '../../src/core/adapters/iterm2/tab-registry.js'
import type {ExecResult} from '../../src/core/ports.js'
import {HOSTILE_MESSAGES} from '../helpers/hostile.js'

const run = (fields: Partial<ExecResult>): ExecResult => ({stdout: '', stderr: '', exitCode: 0, notFound: false, timedOut: false, ...fields})
const envelope = (body: Record<string, unknown>) => `${JSON.stringify({protocol: 1, ...body})}\n`

describe('ASCII JSON across the process boundary', () => {
  it.each(HOSTILE_MESSAGES)('%j is printable ASCII and parses back exactly', (message) => {
    const json = encodeRequest({op: 'write', sessionId: 'S', chunks: [message, '\u0000\u007f\u0085\u2028'], enter: true, enterDelayMs: 150})
    expect(json).toMatch(/^[\x20-\x7e]*$/)
    expect(JSON.parse(json)).toEqual({v: 1, op: 'write', sessionId: 'S', chunks: [message, '\u0000\u007f\u0085\u2028'], enter: true, enterDelayMs: 150})
  })

  it('escapes astral characters as surrogate pairs that JSON.parse rejoins', () => {
    expect(asciiJson('🎉')).toBe('"\\ud83c\\udf89"')
    expect(JSON.parse(asciiJson('a🎉b'))).toBe('a🎉b')
  })

  it('finds lone surrogates, which no terminal can receive', () => {
    expect(hasLoneSurrogate('ok 🎉 日本')).toBe(false)
    expect(hasLoneSurrogate('bad \ud83c end')).toBe(true)
    expect(hasLoneSurrogate('\udf89')).toBe(true)
  })
})

describe('reading an osascript run', () => {
  it('returns the driver result, the last line of stdout', () => {
    expect(interpretRun(run({stdout: envelope({ok: true, result: {found: true}})}))).toEqual({ok: true, result: {found: true}})
    expect(interpretRun(run({stdout: `objc[123]: Class X is implemented in both\n${envelope({ok: true, result: {n: 1}})}`}))).toEqual({ok: true, result: {n: 1}})
  })

  it.each([
    ['-1743 in the envelope', run({stdout: envelope({ok: false, error: {message: 'Not authorized to send Apple events to iTerm2.', number: -1743}})}), 'not-authorized', -1743],
    ['-1743 on stderr', run({exitCode: 1, stderr: '0:12: execution error: Error: Error: Not authorized to send Apple events to iTerm2. (-1743)'}), 'not-authorized', -1743],
    ['-10004', run({stdout: envelope({ok: false, error: {message: 'privilege violation', number: -10004}})}), 'not-authorized', -10004],
    ['-600', run({exitCode: 1, stderr: "execution error: Error: Application isn't running. (-600)"}), 'not-running', -600],
    ['-609', run({stdout: envelope({ok: false, error: {message: 'Connection is invalid.', number: -609}})}), 'not-running', -609],
    ['-1728', run({stdout: envelope({ok: false, error: {message: "Can't get object.", number: -1728}})}), 'gone', -1728],
    ['-1712', run({exitCode: 1, stderr: 'execution error: Error: AppleEvent timed out. (-1712)'}), 'blocked', -1712],
    ['-2700', run({stdout: envelope({ok: false, error: {message: "Application can't be found.", number: -2700}})}), 'not-installed', -2700],
    ['-2741', run({exitCode: 1, stderr: '-: syntax error: Expected end of line. (-2741)'}), 'script-error', -2741],
    ['a bad request', run({stdout: envelope({ok: false, error: {kind: 'bad-request', message: 'unknown protocol or operation', number: null}})}), 'script-error', null],
    ['another error number', run({stdout: envelope({ok: false, error: {message: 'odd', number: -10000}})}), 'apple-event', -10000],
    ['garbage', run({stdout: 'Segmentation fault?\n'}), 'bad-output', null],
    ['another protocol', run({stdout: `${JSON.stringify({protocol: 9, ok: true, result: {}})}\n`}), 'bad-output', null],
    ['no output', run({stdout: ''}), 'bad-output', null],
    ['a timeout', run({exitCode: undefined, timedOut: true}), 'timeout', null],
    ['no osascript', run({exitCode: undefined, notFound: true}), 'no-osascript', null],
    ['a crash without a number', run({exitCode: 134, stderr: 'abort'}), 'apple-event', null],
  ] as const)('%s', (_name, result, kind, number) => {
    const outcome = interpretRun(result)
    expect(outcome.ok).toBe(false)
    if (!outcome.ok) expect(outcome.failure).toMatchObject({kind, number})
  })

  it('parses the trailing error number of osascript lines', () => {
    expect(errorNumberIn('script.js: execution error: Error: x (-1743)\n')).toBe(-1743)
    expect(errorNumberIn('no number here')).toBeNull()
  })
})

describe('errors and their remedies', () => {
  const error = (kind: Parameters<typeof failureToError>[0]['kind'], number: number | null = null) => failureToError({kind, number, message: 'm'}, 'list tabs', 20_000)

  it('Automation denied names System Settings, the app, and the exit code for an unavailable backend', () => {
    const denied = error('not-authorized', -1743)
    expect(denied.code).toBe('BACKEND_UNAVAILABLE')
    expect(denied.exitCode).toBe(4)
    expect(denied.message).toMatch(/Automation permission denied, error -1743/)
    expect(denied.hint).toBe(AUTOMATION_HINT)
    expect(denied.hint).toMatch(/System Settings → Privacy & Security → Automation/)
    expect(denied.details).toMatchObject({backend: 'iterm2', errorNumber: -1743})
  })

  it.each([
    ['not-running', 'BACKEND_UNAVAILABLE', /Start iTerm2/],
    ['gone', 'AGENT_NOT_RUNNING', /agent restart/],
    ['blocked', 'TIMEOUT', /dialog/],
    ['timeout', 'TIMEOUT', /allow Automation/],
    ['not-installed', 'BACKEND_UNAVAILABLE', /iterm2\.com|--backend tmux/],
    ['no-osascript', 'BACKEND_UNAVAILABLE', /--backend tmux/],
    ['bad-output', 'BACKEND_UNAVAILABLE', /CCMCP_DEBUG/],
    ['script-error', 'UNEXPECTED', /bug in ccmcp/],
    ['apple-event', 'BACKEND_UNAVAILABLE', /3\.3 or newer/],
  ] as const)('%s → %s with a remedy', (kind, code, hint) => {
    const mapped = error(kind)
    expect(mapped.code).toBe(code)
    expect(mapped.message).toMatch(/list tabs/)
    expect(mapped.details).toMatchObject({backend: 'iterm2'})
    expect(mapped.hint).toMatch(hint)
  })

  it('says how long it waited', () => {
    expect(error('timeout').message).toMatch(/within 20 s/)
  })
})

describe('planning writes', () => {
  it('types a short line, then presses Enter after the delay, in one call', () => {
    expect(planWrite('S', 'hi', {paste: false, submit: true, enterDelayMs: 150})).toEqual([{op: 'write', sessionId: 'S', chunks: ['hi'], enter: true, enterDelayMs: 150}])
    expect(planWrite('S', '', {paste: false, submit: true, enterDelayMs: 150})).toEqual([{op: 'write', sessionId: 'S', chunks: [], enter: true, enterDelayMs: 150}])
    expect(planWrite('S', 'hi', {paste: false, submit: false, enterDelayMs: 150})[0]).toMatchObject({enter: false, enterDelayMs: 0})
  })

  it('pastes several lines between bracketed-paste markers', () => {
    expect(shouldPaste('a\nb')).toBe(true)
    expect(shouldPaste('x'.repeat(513))).toBe(true)
    expect(shouldPaste('one line')).toBe(false)
    expect(planWrite('S', 'a\nb', {paste: true, submit: true, enterDelayMs: 1})[0]?.chunks).toEqual([`${PASTE_START}a\nb${PASTE_END}`])
  })

  it('chunks at 4096 UTF-16 units, never inside a surrogate pair or a paste marker', () => {
    const text = `${'a'.repeat(WRITE_CHUNK_UNITS - 1)}🎉${'b'.repeat(5000)}`
    const [request] = planWrite('S', text, {paste: true, submit: true, enterDelayMs: 1})
    const chunks = request?.chunks ?? []
    expect(chunks.join('')).toBe(PASTE_START + text + PASTE_END)
    expect(chunks[0]?.endsWith('a')).toBe(true)
    expect(chunks[1]?.startsWith('🎉')).toBe(true)
    for (const chunk of chunks) expect(hasLoneSurrogate(chunk)).toBe(false)
    expect(chunks[0]?.startsWith(PASTE_START)).toBe(true)
    expect(chunks.at(-1)?.endsWith(PASTE_END)).toBe(true)
    expect(splitUnits('', 4)).toEqual([])
  })

  it('splits a message too large for one argv over several calls; only the last presses Enter', () => {
    const text = '日本語🎉'.repeat(16_000)
    const requests = planWrite('S', text, {paste: true, submit: true, enterDelayMs: 200})
    expect(requests.length).toBeGreaterThan(1)
    expect(requests.map((request) => request.enter)).toEqual([...requests.slice(1).map(() => false), true])
    expect(requests.flatMap((request) => request.chunks).join('')).toBe(PASTE_START + text + PASTE_END)
    for (const request of requests) expect(encodeRequest(request).length).toBeLessThan(MAX_WRITE_PAYLOAD + 200)
  })
})

describe('small parsers', () => {
  it('takes the caller GUID from ITERM_SESSION_ID only when well-formed', () => {
    expect(callerSessionId({ITERM_SESSION_ID: 'w0t1p0:5D3F1D7C-1C4B-4C55-9B2B-8B8F8F4E0E11'})).toBe('5D3F1D7C-1C4B-4C55-9B2B-8B8F8F4E0E11')
    expect(callerSessionId({ITERM_SESSION_ID: 'garbage'})).toBeNull()
    expect(callerSessionId({})).toBeNull()
  })

  it('reads ps output and compares ttys across macOS and Linux spellings', () => {
    const table = parsePsTable('  123 ttys012\n 456 pts/3\n  789 ??\nbad line\n')
    expect([...table]).toEqual([[123, 'ttys012'], [456, 'pts/3'], [789, '??']])
    expect(sameTty('/dev/ttys012', 'ttys012')).toBe(true)
    expect(sameTty('/dev/pts/3', 'pts/3')).toBe(true)
    expect(sameTty('/dev/ttys012', '??')).toBe(false)
    expect(sameTty(null, '??')).toBe(true)
  })
})
