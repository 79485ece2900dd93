/**
 * `ccmcp serve` from its parsed flags, for both ways in: oclif's command (src/commands/serve.ts)
 * and bin/run.js's fast path (route.ts parsed the flags). A failure to start prints as any
 * command's error does and exits with its code.
 */
import {readFileSync} from 'node:fs'

import {serve} from '../../mcp/serve.js'
import {failureOf, printFailure} from '../error-text.js'
import {processIo} from '../io.js'
import type {ServeFlags} from './route.js'

export function serveWith(flags: ServeFlags, version: string): Promise<void> {
  return serve({
    transport: flags.transport,
    clearance: flags['security-level'],
    limits: {maxAgents: flags['max-agents'], maxSessions: flags['max-sessions']},
    logDir: flags['log-dir'],
    host: flags.host,
    port: flags.port,
    token: flags.token,
    version,
    agent: flags.agent,
  })
}

/** The fast path's entry: the version oclif would report (package.json), errors as oclif's command prints them. */
export async function runServe(flags: ServeFlags, packageJson: URL): Promise<void> {
  const {version} = JSON.parse(readFileSync(packageJson, 'utf8')) as {version: string}
  try {
    await serveWith(flags, version)
  } catch (error) {
    const failure = failureOf(error as Error, 'serve')
    if (processIo.env.CCMCP_DEBUG && failure.cause) processIo.stderr.write(`${String((failure.cause as Error).stack ?? failure.cause)}\n`)
    printFailure(processIo, failure, false)
    process.exit(failure.exitCode)
  }
}
