/**
 * The server's log: every line to stderr (Claude Desktop keeps a server's stderr in its own log)
 * and appended to serve.log in the log directory. Never stdout: that is the protocol's.
 * Appends are synchronous so the line about a crash is on disk before the process goes.
 * The file is private (0600 whatever the umask) and bounded: past maxBytes it moves to
 * serve.log.1 (replacing the one before), so a flood of refused requests cannot fill the disk.
 */
import {appendFileSync, chmodSync, mkdirSync, renameSync, statSync} from 'node:fs'
import path from 'node:path'

import type {Logger} from '../core/ports.js'

export interface ServerLogger extends Logger {
  info(message: string, fields?: Record<string, unknown>): void
  error(message: string, fields?: Record<string, unknown>): void
  /** The log file, or null when the log directory could not be created. */
  readonly file: string | null
}

export interface ServerLoggerOptions {
  logDir: string
  debug?: boolean
  /** Defaults to process.stderr; tests pass their own. */
  stderr?: {write(text: string): unknown}
  /** Size at which serve.log is rotated (default 4 MiB). */
  maxBytes?: number
}

export const DEFAULT_LOG_BYTES = 4 * 1024 * 1024
/** One log line at most: a line is a diagnosis, never a payload. */
const MAX_LINE = 2000

export function createServerLogger(options: ServerLoggerOptions): ServerLogger {
  const stderr = options.stderr ?? process.stderr
  const maxBytes = options.maxBytes ?? DEFAULT_LOG_BYTES
  let file: string | null = path.join(options.logDir, 'serve.log')
  let size = 0
  try {
    mkdirSync(options.logDir, {recursive: true, mode: 0o700})
    size = existingSize(file)
  } catch (error) {
    stderr.write(`ccmcp warning: cannot create the log directory ${options.logDir} (${(error as Error).message}); logging to stderr only\n`)
    file = null
  }
  const append = (target: string, line: string) => {
    const bytes = Buffer.byteLength(line)
    // Several servers may share the file: trust the disk, not our own count, before rotating.
    if (size + bytes > maxBytes && (size = existingSize(target)) + bytes > maxBytes) {
      renameSync(target, `${target}.1`)
      size = 0
    }
    appendFileSync(target, line, {mode: 0o600})
    size += bytes
  }
  const write = (level: string, message: string, fields?: Record<string, unknown>) => {
    const tail = fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : ''
    const text = `${message}${tail}`.slice(0, MAX_LINE)
    stderr.write(`ccmcp ${level}: ${text}\n`)
    if (file === null) return
    try {
      append(file, `${new Date().toISOString()} [${process.pid}] ${level} ${text}\n`)
    } catch {
      // A full disk must not take the server down; stderr still has the line.
    }
  }
  return {
    file,
    debug: (message, fields) => options.debug && write('debug', message, fields),
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warning', message, fields),
    error: (message, fields) => write('error', message, fields),
  }
}

/** The size of an existing log, made private first (a file from an older ccmcp may be 0644). */
function existingSize(file: string): number {
  try {
    const info = statSync(file)
    if ((info.mode & 0o077) !== 0) chmodSync(file, 0o600)
    return info.size
  } catch {
    return 0
  }
}

/**
 * A protocol error's message without the client's message text: the SDK appends the offending
 * message as JSON, and JSON.parse quotes the input. Keeps the words before either.
 */
export function withoutMessageText(text: string): string {
  const cut = text.search(/[{[]/)
  const head = cut === -1 ? text : `${text.slice(0, cut).trimEnd()} …`
  return head.replaceAll(/"[^"]*"?/g, '"…"').replaceAll(/'[^']*'?/g, "'…'").slice(0, 300)
}
