/** Exit codes named in help text, always read from the one table in core/domain/errors.ts. */
import {EXIT_CODES, type ErrorCode} from '../core/domain/errors.js'

export function exitCodeText(code: ErrorCode): string {
  return `exit ${EXIT_CODES[code]}, ${code}`
}
