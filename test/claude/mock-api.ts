/**
 * A mock Anthropic Messages API for driving the real Claude Code binary offline
 * (claude-code.md §8). Answers are scripted by keywords in the prompt (see mock-script.ts);
 * every request is recorded so a test can check what Claude Code actually sent.
 *
 * In a test:   const api = await start(); … api.url … await api.close()
 * By hand:     npx tsx test/claude/mock-api.ts [--port N] [--port-file F] [--log F.jsonl]
 */
import {appendFileSync, writeFileSync} from 'node:fs'
import http from 'node:http'
import type {AddressInfo} from 'node:net'
import {pathToFileURL} from 'node:url'

import {type Block, type Json, type Plan, lastUserText, messagesOf, planFor, requestKind, requestedUsage, systemText} from './mock-script.js'

export type {Plan} from './mock-script.js'

export interface MockRequest {
  /** 1-based order of arrival. */
  seq: number
  /** Epoch ms when the request arrived. */
  at: number
  method: string
  /** Path without the query (`/v1/messages`, not `/v1/messages?beta=true`). */
  path: string
  kind: 'main' | 'title' | 'classifier' | 'count_tokens' | 'hello' | 'other'
  /** `x-claude-code-session-id`: the conversation id (`--session-id` / `--resume`). */
  sessionId?: string
  model?: string
  stream?: boolean
  messageCount: number
  lastUserText?: string
  /** The system prompt joined into one string, to check `--append-system-prompt`. */
  system: string
  /** The full messages array, to check that a resumed conversation carries earlier turns. */
  messages: Json[]
  userAgent?: string
  /** Size of the request body. */
  bytes: number
  /** What the mock answered: HTTP status and, for messages, stop reason and text. */
  answer: {status: number; stopReason?: string; text?: string}
}

export interface MockApi {
  url: string
  port: number
  /** A copy of the records so far, oldest first. */
  requests(): MockRequest[]
  /** Resolves with the first record (past or future) matching `match`; rejects after `timeoutMs`. */
  waitForRequest(match: (r: MockRequest) => boolean, timeoutMs?: number): Promise<MockRequest>
  close(): Promise<void>
}

export interface StartOptions {
  /** 0 (default) picks a free port. */
  port?: number
  /** Appends one JSON line per request (full record) to this file. */
  logFile?: string
  /** Called with every record, e.g. to print a summary. */
  onRequest?: (r: MockRequest) => void
}

// Bounds: Claude Code's largest request (the auto-mode classifier) is ~141 KB; nothing legitimate nears this.
const MAX_BODY_BYTES = 32 * 1024 * 1024
const MAX_RECORDS = 5000
const CHUNK = 48

function sse(event: string, data: Json): string {
  return `event: ${event}\ndata: ${JSON.stringify({type: event, ...data})}\n\n`
}

function usage(body: Json, streaming = false): Json {
  const asked = requestedUsage(body)
  // As the real API streams it: input and cache counts at message_start, output in message_delta.
  if (asked) return {input_tokens: asked.input, output_tokens: streaming ? 1 : asked.output, cache_creation_input_tokens: asked.cacheWrite, cache_read_input_tokens: asked.cacheRead}
  // A rough token count keeps Claude Code's context meter plausible; the exact value is unused.
  return {input_tokens: Math.ceil(JSON.stringify(body.messages ?? []).length / 4), output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0}
}

function messageObject(id: string, model: string, content: Block[], stopReason: string | null, body: Json, streaming = false): Json {
  return {id, type: 'message', role: 'assistant', model, content, stop_reason: stopReason, stop_sequence: null, usage: usage(body, streaming)}
}

/** The event sequence claude-code.md §8 records as accepted. */
function sseStream(id: string, model: string, plan: Extract<Plan, {kind: 'message'}>, body: Json): string {
  const frames = [sse('message_start', {message: messageObject(id, model, [], null, body, true)}), sse('ping', {})]
  plan.content.forEach((block, index) => {
    if (block.type === 'text') {
      frames.push(sse('content_block_start', {index, content_block: {type: 'text', text: ''}}))
      // Several deltas, so the client's concatenation is exercised as with the real API.
      for (let i = 0; i < Math.max(block.text.length, 1); i += CHUNK) {
        frames.push(sse('content_block_delta', {index, delta: {type: 'text_delta', text: block.text.slice(i, i + CHUNK)}}))
      }
    } else {
      frames.push(sse('content_block_start', {index, content_block: {type: 'tool_use', id: block.id, name: block.name, input: {}}}))
      frames.push(sse('content_block_delta', {index, delta: {type: 'input_json_delta', partial_json: JSON.stringify(block.input)}}))
    }
    frames.push(sse('content_block_stop', {index}))
  })
  const outputTokens = requestedUsage(body)?.output ?? Math.ceil(JSON.stringify(plan.content).length / 4)
  frames.push(sse('message_delta', {delta: {stop_reason: plan.stopReason, stop_sequence: null}, usage: {output_tokens: outputTokens}}))
  frames.push(sse('message_stop', {}))
  return frames.join('')
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY_BYTES) {
        reject(new Error('body too large'))
        req.destroy()
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

function parseJson(text: string): Json {
  try {
    const value: unknown = JSON.parse(text)
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {}
  } catch {
    return {}
  }
}

function sendJson(res: http.ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, {'content-type': 'application/json'})
  res.end(JSON.stringify(value))
}

export async function start(options: StartOptions = {}): Promise<MockApi> {
  const records: MockRequest[] = []
  const waiters = new Set<{match: (r: MockRequest) => boolean; resolve: (r: MockRequest) => void}>()
  const timers = new Set<NodeJS.Timeout>()
  let seq = 0
  let messageCounter = 0

  function record(entry: Omit<MockRequest, 'seq'>): MockRequest {
    seq += 1
    const full = {seq, ...entry}
    records.push(full)
    if (records.length > MAX_RECORDS) records.shift()
    if (options.logFile) appendFileSync(options.logFile, `${JSON.stringify(full)}\n`)
    options.onRequest?.(full)
    for (const waiter of waiters) {
      if (waiter.match(full)) {
        waiters.delete(waiter)
        waiter.resolve(full)
      }
    }
    return full
  }

  function later(ms: number, run: () => void): void {
    if (ms <= 0) return run()
    const timer = setTimeout(() => {
      timers.delete(timer)
      run()
    }, ms)
    timers.add(timer)
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const at = Date.now()
    const path = new URL(req.url ?? '/', 'http://mock').pathname
    const method = req.method ?? 'GET'
    const raw = method === 'POST' ? await readBody(req) : ''
    const body = parseJson(raw)
    const header = (name: string): string | undefined => {
      const value = req.headers[name]
      return Array.isArray(value) ? value[0] : value
    }
    const base = {
      at,
      method,
      path,
      sessionId: header('x-claude-code-session-id'),
      model: typeof body.model === 'string' ? body.model : undefined,
      stream: typeof body.stream === 'boolean' ? body.stream : undefined,
      messageCount: messagesOf(body).length,
      lastUserText: lastUserText(body),
      system: systemText(body),
      messages: messagesOf(body),
      userAgent: header('user-agent'),
      bytes: Buffer.byteLength(raw),
    }

    if (path === '/api/hello') {
      record({...base, kind: 'hello', answer: {status: 200}})
      res.writeHead(200)
      res.end()
      return
    }
    if (method === 'POST' && path === '/v1/messages/count_tokens') {
      const tokens = Math.ceil(raw.length / 4)
      record({...base, kind: 'count_tokens', answer: {status: 200}})
      sendJson(res, 200, {input_tokens: tokens})
      return
    }
    if (method !== 'POST' || path !== '/v1/messages') {
      record({...base, kind: 'other', answer: {status: 404}})
      sendJson(res, 404, {type: 'error', error: {type: 'not_found_error', message: `mock: no route ${method} ${path}`}})
      return
    }

    const kind = requestKind(body)
    const plan = planFor(body)
    if (plan.kind === 'error') {
      record({...base, kind, answer: {status: plan.status, text: plan.message}})
      later(plan.delayMs, () => sendJson(res, plan.status, {type: 'error', error: {type: plan.errorType, message: plan.message}}))
      return
    }
    messageCounter += 1
    const id = `msg_mock_${messageCounter}`
    const model = base.model ?? 'claude-mock'
    const text = plan.content.map((b) => (b.type === 'text' ? b.text : `[tool_use ${b.name}]`)).join(' ')
    record({...base, kind, answer: {status: 200, stopReason: plan.stopReason, text}})
    later(plan.delayMs, () => {
      if (res.destroyed) return
      if (base.stream) {
        res.writeHead(200, {'content-type': 'text/event-stream', 'cache-control': 'no-cache'})
        res.end(sseStream(id, model, plan, body))
      } else {
        sendJson(res, 200, messageObject(id, model, plan.content, plan.stopReason, body))
      }
    })
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 400, {type: 'error', error: {type: 'invalid_request_error', message: String(error)}})
      else res.destroy()
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    // Loopback only: this must never be reachable from outside the machine.
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
  })
  const port = (server.address() as AddressInfo).port

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests: () => [...records],
    waitForRequest(match, timeoutMs = 15_000) {
      const found = records.find(match)
      if (found) return Promise.resolve(found)
      return new Promise((resolve, reject) => {
        const waiter = {
          match,
          resolve: (r: MockRequest) => {
            clearTimeout(timer)
            resolve(r)
          },
        }
        const timer = setTimeout(() => {
          waiters.delete(waiter)
          reject(new Error(`mock-api: no matching request within ${timeoutMs} ms (${records.length} seen)`))
        }, timeoutMs)
        waiters.add(waiter)
      })
    },
    async close() {
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

function argValue(name: string): string | undefined {
  const at = process.argv.indexOf(name)
  return at >= 0 ? process.argv[at + 1] : undefined
}

// Standalone use: prints one summary line per request; --log keeps full records.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const api = await start({
    port: Number(argValue('--port') ?? 0),
    logFile: argValue('--log'),
    onRequest: (r) => {
      const {messages: _m, system: _s, ...summary} = r
      console.log(JSON.stringify(summary))
    },
  })
  const portFile = argValue('--port-file')
  if (portFile) writeFileSync(portFile, `${api.port}\n`)
  console.error(`mock-api listening on ${api.url} (ANTHROPIC_BASE_URL=${api.url})`)
  const stop = (): void => void api.close().then(() => process.exit(0))
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}
