/**
 * The stdio transport: newline-delimited JSON-RPC on stdin/stdout. Replaces the SDK's
 * StdioServerTransport, which closes the whole server on one frame over 10 MiB and silently drops
 * a malformed request, so its client waits for an answer that never comes. Here every bad line
 * gets a JSON-RPC error (with the request's id whenever one can be read), an oversized frame is
 * skipped without ever being held in memory, and the server goes on. Message text is never logged.
 */
import type {Transport} from '@modelcontextprotocol/sdk/shared/transport.js'
import {type JSONRPCMessage, JSONRPCMessageSchema, RequestIdSchema} from '@modelcontextprotocol/sdk/types.js'

export const MAX_FRAME_BYTES = 10 * 1024 * 1024
const PARSE_ERROR = -32700
const INVALID_REQUEST = -32600
/** Bytes kept from each end of an oversized frame: enough to find its id, never its content. */
const EDGE_BYTES = 512

type RequestId = string | number

export interface StdioTransportOptions {
  stdin?: NodeJS.ReadableStream
  stdout?: NodeJS.WritableStream
  maxFrameBytes?: number
  /** Where refusals are reported (sizes and reasons only). */
  warn?: (message: string) => void
}

export class LineTransport implements Transport {
  onclose?: () => void
  onerror?: (error: Error) => void
  onmessage?: (message: JSONRPCMessage) => void

  private readonly stdin: NodeJS.ReadableStream
  private readonly stdout: NodeJS.WritableStream
  private readonly maxFrameBytes: number
  private readonly warn: (message: string) => void
  private pending: Buffer[] = []
  private pendingBytes = 0
  /** Set while skipping the rest of a frame that is already too long. */
  private oversized: {head: Buffer; tail: Buffer; bytes: number} | null = null

  constructor(options: StdioTransportOptions = {}) {
    this.stdin = options.stdin ?? process.stdin
    this.stdout = options.stdout ?? process.stdout
    this.maxFrameBytes = options.maxFrameBytes ?? MAX_FRAME_BYTES
    this.warn = options.warn ?? (() => undefined)
  }

  async start(): Promise<void> {
    this.stdin.on('data', this.onData)
    this.stdin.on('error', this.onStreamError)
  }

  async send(message: JSONRPCMessage): Promise<void> {
    await new Promise<void>((resolve) => {
      if (this.stdout.write(`${JSON.stringify(message)}\n`)) resolve()
      else this.stdout.once('drain', resolve)
    })
  }

  async close(): Promise<void> {
    this.stdin.off('data', this.onData)
    this.stdin.off('error', this.onStreamError)
    if (this.stdin.listenerCount('data') === 0) this.stdin.pause()
    this.pending = []
    this.oversized = null
    this.onclose?.()
  }

  private readonly onStreamError = (error: Error) => this.onerror?.(error)

  private readonly onData = (chunk: Buffer | string) => {
    let rest = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk
    for (let newline = rest.indexOf(0x0a); newline !== -1; newline = rest.indexOf(0x0a)) {
      this.take(rest.subarray(0, newline))
      this.endFrame()
      rest = rest.subarray(newline + 1)
    }
    if (rest.length > 0) this.take(rest)
  }

  /** Adds bytes to the current frame, switching to skipping once it is over the limit. */
  private take(bytes: Buffer): void {
    if (this.oversized) {
      this.oversized.bytes += bytes.length
      this.oversized.tail = Buffer.concat([this.oversized.tail, bytes]).subarray(-EDGE_BYTES)
      return
    }
    if (this.pendingBytes + bytes.length <= this.maxFrameBytes) {
      this.pending.push(bytes)
      this.pendingBytes += bytes.length
      return
    }
    const frame = Buffer.concat([...this.pending, bytes])
    this.oversized = {head: frame.subarray(0, EDGE_BYTES), tail: frame.subarray(-EDGE_BYTES), bytes: frame.length}
    this.pending = []
    this.pendingBytes = 0
  }

  private endFrame(): void {
    if (this.oversized) {
      const {head, tail, bytes} = this.oversized
      this.oversized = null
      const id = idAtEdges(head.toString('utf8'), tail.toString('utf8'))
      this.refuse(id, INVALID_REQUEST, `Message too large: ${bytes} bytes (the limit is ${this.maxFrameBytes}); it was not read`)
      return
    }
    const line = Buffer.concat(this.pending).toString('utf8').replace(/\r$/, '')
    this.pending = []
    this.pendingBytes = 0
    if (line.trim() === '') return
    this.deliver(line)
  }

  private deliver(line: string): void {
    let value: unknown
    try {
      value = JSON.parse(line)
    } catch {
      // JSON.parse's own message quotes the input: never echoed or logged.
      this.refuse(undefined, PARSE_ERROR, 'Parse error: the line is not valid JSON', line.length)
      return
    }
    const parsed = JSONRPCMessageSchema.safeParse(value)
    if (parsed.success) {
      this.onmessage?.(parsed.data)
      return
    }
    const id = requestIdOf(value)
    // A malformed notification (no id) gets no answer, as JSON-RPC says; a request always does.
    if (id === undefined && isObject(value) && typeof value.method === 'string') {
      this.warn(`stdio: ignored a malformed notification (${line.length} characters)`)
      return
    }
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'message'}: ${issue.message}`).slice(0, 3)
    this.refuse(id, INVALID_REQUEST, `Invalid request: ${problems.join('; ')}`, line.length)
  }

  private refuse(id: RequestId | undefined, code: number, message: string, length?: number): void {
    this.warn(`stdio: refused a message${length === undefined ? '' : ` (${length} characters)`}${id === undefined ? '' : ` with id ${JSON.stringify(id)}`}: ${message}`)
    void this.send({jsonrpc: '2.0', ...(id === undefined ? {} : {id}), error: {code, message}} as JSONRPCMessage)
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function requestIdOf(value: unknown): RequestId | undefined {
  if (!isObject(value)) return undefined
  const id = RequestIdSchema.safeParse(value.id)
  return id.success ? id.data : undefined
}

const ID_VALUE = String.raw`(-?\d+|"(?:[^"\\]|\\.){0,200}")`
// Clients write "id" first (`{"jsonrpc":"2.0","id":…`) or last (the SDK: `…,"jsonrpc":"2.0","id":7}`).
const ID_AT_HEAD = new RegExp(String.raw`^\s*\{\s*(?:"jsonrpc"\s*:\s*"2\.0"\s*,\s*)?"id"\s*:\s*${ID_VALUE}\s*[,}]`)
const ID_AT_TAIL = new RegExp(String.raw`[,{]\s*"id"\s*:\s*${ID_VALUE}\s*\}\s*\r?$`)

/** The id of a frame too large to parse, when it stands at the very start or end of the object. */
function idAtEdges(head: string, tail: string): RequestId | undefined {
  const raw = ID_AT_HEAD.exec(head)?.[1] ?? ID_AT_TAIL.exec(tail)?.[1]
  if (raw === undefined) return undefined
  try {
    return requestIdOf({id: JSON.parse(raw)})
  } catch {
    return undefined
  }
}
