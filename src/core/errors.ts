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
  INTERRUPTED: 130,
} as const

export type ErrorCode = keyof typeof EXIT_CODES

export class CcmcpError extends Error {
  readonly code: ErrorCode
  /** What the user should do about it; shown as a suggestion on every surface. */
  readonly hint: string | undefined
  readonly details: Record<string, unknown> | undefined

  constructor(code: ErrorCode, message: string, options: {hint?: string; details?: Record<string, unknown>; cause?: unknown} = {}) {
    super(message, options.cause === undefined ? undefined : {cause: options.cause})
    this.name = 'CcmcpError'
    this.code = code
    this.hint = options.hint
    this.details = options.details
  }

  get exitCode(): number {
    return EXIT_CODES[this.code]
  }
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
