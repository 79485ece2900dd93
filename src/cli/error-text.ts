/** How a failure reads on the CLI: the JSON error document, or a message and hint. No oclif here (the fast path prints these too). */
import {CcmcpError, EXIT_CODES, toCcmcpError} from '../core/domain/errors.js'
import {terminalSafe} from '../present/text.js'
import type {OutStream} from './io.js'
import {jsonText} from './json.js'

export function errorJson(error: CcmcpError): Record<string, unknown> {
  return {code: error.code, message: error.message, hint: error.hintFor('cli') ?? null, exitCode: error.exitCode, ...(error.details ? {details: error.details} : {})}
}

export function renderError(error: CcmcpError): string {
  const lines = [`Error: ${error.message}`, `Code: ${error.code}`, ...(error.hintFor('cli') ? [`Try this: ${error.hintFor('cli')}`] : [])]
  return terminalSafe(lines.join('\n')).split('\n').map((line) => ` ›   ${line}`).join('\n')
}

/** The JSON error document on stdout, or the message and hint on stderr. */
export function printFailure(io: {stdout: OutStream; stderr: OutStream}, error: CcmcpError, json: boolean): void {
  if (json) io.stdout.write(`${jsonText({error: errorJson(error)})}\n`)
  else io.stderr.write(`${renderError(error)}\n`)
}

/** Anything a command threw, as the CcmcpError it is reported as; oclif's own errors (a bad flag) are usage errors. */
export function failureOf(error: Error & {oclif?: {exit?: number}}, commandId: string | undefined): CcmcpError {
  return (
    asCcmcpError(error) ??
    (error.oclif
      ? new CcmcpError('INVALID_INPUT', error.message, {hint: `See \`ccmcp ${commandId?.replaceAll(':', ' ') ?? ''} --help\`.`})
      : toCcmcpError(error))
  )
}

/** A CcmcpError, also one made by another copy of core (a runtime injected by a test): same code, same exit. */
function asCcmcpError(error: Error): CcmcpError | undefined {
  if (error instanceof CcmcpError) return error
  const {code, hint, details} = error as Partial<CcmcpError>
  if (error.name !== 'CcmcpError' || typeof code !== 'string' || !(code in EXIT_CODES)) return undefined
  return new CcmcpError(code, error.message, {hint, details, cause: error.cause})
}
