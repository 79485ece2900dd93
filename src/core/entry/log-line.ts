/**
 * One line of hook.log (the hook and the flusher write it; nobody reads it but people). Logs
 * never hold what users or agents wrote: an event that is not JSON is named, not quoted (V8's
 * JSON errors quote the input), and anything quoted in an error message is cut.
 */
import {isCcmcpError} from '../domain/errors.js'

export function hookLogLine(fields: Record<string, unknown>, error: unknown): string {
  const code = isCcmcpError(error) ? error.code : null
  const message = error instanceof SyntaxError ? 'the event on stdin is not valid JSON' : withoutQuotedText(error instanceof Error ? error.message : String(error))
  return `${JSON.stringify({at: new Date().toISOString(), ...fields, code, error: message})}\n`
}

/** The message with every quoted part replaced by "…" (quotes hold values: names, input). */
export function withoutQuotedText(text: string): string {
  return text.replaceAll(/"[^"]*"?/g, '"…"').replaceAll(/'[^']*'?/g, "'…'").replaceAll(/`[^`]*`?/g, '`…`').slice(0, 500)
}
