/** How a failure reaches the CLI user: the JSON error document on stdout, or a message and hint on stderr. */
import {Errors} from '@oclif/core'

import type {CcmcpError} from '../core/domain/errors.js'
import {terminalSafe} from '../present/text.js'
import type {CliIo} from './io.js'
import {jsonText} from './json.js'

export function errorJson(error: CcmcpError): Record<string, unknown> {
  return {code: error.code, message: error.message, hint: error.hintFor('cli') ?? null, exitCode: error.exitCode, ...(error.details ? {details: error.details} : {})}
}

export function renderError(error: CcmcpError): string {
  const lines = [`Error: ${error.message}`, `Code: ${error.code}`, ...(error.hintFor('cli') ? [`Try this: ${error.hintFor('cli')}`] : [])]
  return terminalSafe(lines.join('\n')).split('\n').map((line) => ` ›   ${line}`).join('\n')
}

/** Prints the failure and throws the exit that ends the command with its code (nothing else prints it again). */
export function exitWith(io: CliIo, error: CcmcpError, json: boolean): never {
  if (json) io.stdout.write(`${jsonText({error: errorJson(error)})}\n`)
  else io.stderr.write(`${renderError(error)}\n`)
  throw new Errors.ExitError(error.exitCode)
}
