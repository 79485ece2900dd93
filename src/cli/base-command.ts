/**
 * Base of every command: --json, one core call, CcmcpError → exit code + suggestion.
 * Heavy modules (core runtime, zod, conf, execa) load inside run(), keeping startup fast.
 */
import {Command, Errors, Flags} from '@oclif/core'

import type {InputOf, OutputOf} from '../core/core.js'
import {CcmcpError, EXIT_CODES, toCcmcpError} from '../core/errors.js'
import type {OperationName} from '../core/operations.js'
import type {Limits} from '../core/registry.js'

export abstract class CcmcpCommand extends Command {
  static override enableJsonFlag = true

  protected async runOperation<N extends OperationName>(name: N, input: InputOf<N>, limits?: Limits): Promise<OutputOf<N>> {
    const [{createRuntime}, {surfaceCaller}] = await Promise.all([import('../core/runtime.js'), import('../core/caller.js')])
    const {core} = await createRuntime({limits})
    // Inside an agent's environment the CLI acts as that agent (core checks its launch id).
    return core.run(name, input, {caller: surfaceCaller(process.env)})
  }

  /** Asks on a terminal; refuses without one unless --yes was given. */
  protected async confirm(question: string, yes: boolean): Promise<void> {
    if (yes) return
    if (!process.stdin.isTTY) {
      throw new CcmcpError('CONFIRMATION_REQUIRED', `${question} needs confirmation, and there is no terminal to ask on.`, {hint: 'Add --yes to confirm.'})
    }
    const {createInterface} = await import('node:readline/promises')
    const prompt = createInterface({input: process.stdin, output: process.stderr})
    try {
      const answer = await prompt.question(`${question} [y/N] `)
      if (!/^y(es)?$/i.test(answer.trim())) throw new CcmcpError('CONFIRMATION_REQUIRED', 'Not confirmed; nothing was changed.')
    } finally {
      prompt.close()
    }
  }

  protected override async catch(error: Error & {oclif?: {exit?: number}}): Promise<unknown> {
    // oclif's own errors (a bad flag, a missing argument) are usage errors: exit 2.
    const failure =
      error instanceof CcmcpError
        ? error
        : error.oclif
          ? new CcmcpError('INVALID_INPUT', error.message, {hint: `See \`ccmcp ${this.id?.replaceAll(':', ' ') ?? ''} --help\`.`})
          : toCcmcpError(error)
    if (process.env.CCMCP_DEBUG && failure.cause) process.stderr.write(`${String((failure.cause as Error).stack ?? failure.cause)}\n`)
    const cliError = new Errors.CLIError(failure.message, {exit: failure.exitCode, code: failure.code, suggestions: failure.hint ? [failure.hintFor('cli')!] : undefined})
    return super.catch(Object.assign(cliError, {exitCode: failure.exitCode, ccmcp: errorJson(failure)}))
  }

  protected override toErrorJson(error: unknown): unknown {
    const json = (error as {ccmcp?: unknown}).ccmcp
    return json ? {error: json} : super.toErrorJson(error)
  }
}

function errorJson(error: CcmcpError): Record<string, unknown> {
  return {code: error.code, message: error.message, hint: error.hintFor('cli') ?? null, exitCode: error.exitCode, ...(error.details ? {details: error.details} : {})}
}

export const yesFlag = Flags.boolean({char: 'y', description: 'Do not ask for confirmation (required without a terminal)'})

export {EXIT_CODES}
