/**
 * Base of every command: --json, one core call, CcmcpError → exit code + hint. All IO goes
 * through `this.io` (src/cli/io.ts), so tests run commands in-process with their own.
 * Heavy modules (core runtime, zod, conf, execa) load inside run(), keeping startup fast.
 */
import {format} from 'node:util'

import {Command, Flags} from '@oclif/core'

import type {InputOf, OutputOf} from '../core/pipeline/core.js'
import {CcmcpError} from '../core/domain/errors.js'
import type {OperationName} from '../core/pipeline/registry.js'
import type {Limits} from '../core/pipeline/operation.js'
import {colorEnabled} from '../present/status.js'
import {failureOf} from './error-text.js'
import {exitWith} from './errors.js'
import {type CliIo, currentIo} from './io.js'
import {jsonText} from './json.js'

export abstract class CcmcpCommand extends Command {
  static override enableJsonFlag = true

  protected get io(): CliIo {
    return currentIo()
  }

  /** Status colours for human output (never in --json). */
  protected get color(): boolean {
    return colorEnabled(this.io.stdout, this.io.env)
  }

  /** Runtimes this command built: closed when it ends (that signs the audit checkpoint). */
  private readonly runtimes: {close?(): Promise<void>}[] = []

  protected async runtime(limits?: Limits, options: {remoteStreams?: boolean} = {}) {
    const io = this.io
    const {createRuntime, stderrLogger} = await import('../core/entry/runtime.js')
    const runtime = await (io.createRuntime ?? createRuntime)({env: io.env, limits, logger: stderrLogger(io.env, io.stderr), ...options})
    this.runtimes.push(runtime)
    return runtime
  }

  protected override async finally(error: Error | undefined): Promise<unknown> {
    await Promise.all(this.runtimes.splice(0).map((runtime) => runtime.close?.()))
    return super.finally(error)
  }

  protected async runOperation<N extends OperationName>(name: N, input: InputOf<N>, limits?: Limits): Promise<OutputOf<N>> {
    const [{core}, {surfaceCaller}] = await Promise.all([this.runtime(limits), import('../core/pipeline/caller.js')])
    // Inside an agent's environment the CLI acts as that agent (core checks its launch id).
    return core.run(name, input, {caller: surfaceCaller(this.io.env)})
  }

  /** The message argument, or stdin when it is "-" (one trailing newline dropped). */
  protected async messageOrStdin(message: string): Promise<string> {
    if (message !== '-') return message
    const chunks: Buffer[] = []
    for await (const chunk of this.io.stdin) chunks.push(Buffer.from(chunk as Buffer))
    return Buffer.concat(chunks).toString('utf8').replace(/\n$/, '')
  }

  /** Asks on a terminal; refuses without one unless --yes was given. */
  protected async confirm(question: string, yes: boolean): Promise<void> {
    if (yes) return
    const {stdin, stderr} = this.io
    if (!stdin.isTTY) {
      throw new CcmcpError('CONFIRMATION_REQUIRED', `${question} needs confirmation, and there is no terminal to ask on.`, {hint: 'Add --yes to confirm.'})
    }
    const {createInterface} = await import('node:readline/promises')
    const prompt = createInterface({input: stdin, output: stderr as NodeJS.WritableStream})
    try {
      const answer = await prompt.question(`${question} [y/N] `)
      if (!/^y(es)?$/i.test(answer.trim())) throw new CcmcpError('CONFIRMATION_REQUIRED', 'Not confirmed; nothing was changed.')
    } finally {
      prompt.close()
    }
  }

  override log(message = '', ...args: unknown[]): void {
    if (!this.jsonEnabled()) this.io.stdout.write(`${format(message, ...args)}\n`)
  }

  override logToStderr(message = '', ...args: unknown[]): void {
    if (!this.jsonEnabled()) this.io.stderr.write(`${format(message, ...args)}\n`)
  }

  override logJson(json: unknown): void {
    this.io.stdout.write(`${jsonText(json)}\n`)
  }

  protected override async catch(error: Error & {oclif?: {exit?: number}}): Promise<never> {
    // this.exit(0): a command that ended well on its own terms (watch --follow), not a usage error.
    if (error.oclif?.exit === 0) throw error
    // oclif's own errors (a bad flag, a missing argument) are usage errors.
    const failure = failureOf(error, this.id)
    if (this.io.env.CCMCP_DEBUG && failure.cause) this.io.stderr.write(`${String((failure.cause as Error).stack ?? failure.cause)}\n`)
    return exitWith(this.io, failure, this.jsonEnabled())
  }
}

export const yesFlag = Flags.boolean({char: 'y', description: 'Do not ask for confirmation (required without a terminal)'})
