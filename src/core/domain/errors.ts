/**
 * The one error type every surface maps: CLI → exit code + suggestion, MCP → isError result,
 * TUI → footer banner. The exit-code table below is the only place numbers live (README copies it).
 */

export const EXIT_CODES = {
  OK: 0,
  UNEXPECTED: 1,
  INVALID_INPUT: 2,
  NOT_FOUND: 3,
  BACKEND_UNAVAILABLE: 4,
  STATE_INVALID: 5,
  AGENT_START_FAILED: 6,
  ALREADY_EXISTS: 7,
  LIMIT_REACHED: 8,
  DELIVERY_FAILED: 9,
  CONFIRMATION_REQUIRED: 10,
  AGENT_NOT_RUNNING: 11,
  TIMEOUT: 12,
  AGENT_ERROR: 13,
  FORBIDDEN: 14,
  AGENT_WAITING: 15,
  CONFLICT: 16,
  ENVIRONMENT: 17,
  NOTHING_READY: 18,
  AGENT_NOT_WAITING: 19,
  AUDIT_BROKEN: 20,
  INTERRUPTED: 130,
} as const

export type ErrorCode = keyof typeof EXIT_CODES

/** Who reads a hint: a person at the CLI or TUI (commands, flags) or an MCP client (tools, arguments). */
export type Surface = 'cli' | 'mcp'

/**
 * What to do about an error, as data: one sentence that reads the same everywhere, or the
 * wording per surface when the remedy is a command on one and a tool call on the other.
 */
export type Hint = string | Readonly<Record<Surface, string>>

export interface ErrorOptions {
  hint?: Hint
  details?: Record<string, unknown>
  /** A stable name for one kind of failure within a code, for callers that must tell it apart. */
  reason?: string
  cause?: unknown
}

export class CcmcpError extends Error {
  readonly code: ErrorCode
  readonly hint: Hint | undefined
  readonly details: Record<string, unknown> | undefined
  readonly reason: string | undefined

  constructor(code: ErrorCode, message: string, options: ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : {cause: options.cause})
    this.name = 'CcmcpError'
    this.code = code
    this.hint = options.hint
    this.details = options.details
    this.reason = options.reason
  }

  get exitCode(): number {
    return EXIT_CODES[this.code]
  }

  /** The hint in the words of one surface. */
  hintFor(surface: Surface): string | undefined {
    return hintText(this.hint, surface)
  }
}

export function hintText(hint: Hint | undefined, surface: Surface): string | undefined {
  return hint === undefined || typeof hint === 'string' ? hint : hint[surface]
}

export function isCcmcpError(error: unknown): error is CcmcpError {
  return error instanceof CcmcpError
}

/** Any thrown value as a CcmcpError, so surfaces never leak a raw stack as their only message. */
export function toCcmcpError(error: unknown): CcmcpError {
  if (isCcmcpError(error)) return error
  const message = error instanceof Error ? error.message : String(error)
  return new CcmcpError('UNEXPECTED', message, {cause: error, hint: 'This is a bug in ccmcp; please report it with the command you ran.'})
}
