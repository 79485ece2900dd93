/** How a failure reaches the CLI user: the JSON error document on stdout, or a message and hint on stderr. */
import {Errors} from '@oclif/core'

import type {CcmcpError} from '../core/domain/errors.js'
import {printFailure} from './error-text.js'
import type {CliIo} from './io.js'

export {errorJson, renderError} from './error-text.js'

/** Prints the failure and throws the exit that ends the command with its code (nothing else prints it again). */
export function exitWith(io: CliIo, error: CcmcpError, json: boolean): never {
  printFailure(io, error, json)
  throw new Errors.ExitError(error.exitCode)
}
