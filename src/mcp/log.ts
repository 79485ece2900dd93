/**
 * The server's log: every line to stderr (Claude Desktop keeps a server's stderr in its own log)
 * and appended to serve.log in the log directory. Never stdout: that is the protocol's.
 * Appends are synchronous so the line about a crash is on disk before the process goes.
 */
import {appendFileSync, mkdirSync} from 'node:fs'
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
}

export function createServerLogger(options: ServerLoggerOptions): ServerLogger {
  const stderr = options.stderr ?? process.stderr
  let file: string | null = path.join(options.logDir, 'serve.log')
  try {
    mkdirSync(options.logDir, {recursive: true, mode: 0o700})
  } catch (error) {
    stderr.write(`ccmcp warning: cannot create the log directory ${options.logDir} (${(error as Error).message}); logging to stderr only\n`)
    file = null
  }
  const write = (level: string, message: string, fields?: Record<string, unknown>) => {
    const tail = fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : ''
    stderr.write(`ccmcp ${level}: ${message}${tail}\n`)
    if (file === null) return
    try {
      appendFileSync(file, `${new Date().toISOString()} [${process.pid}] ${level} ${message}${tail}\n`, {mode: 0o600})
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
