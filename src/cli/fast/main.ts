/**
 * The fast path's entry (bundled into one file, dist/bundle/cli/fast.js, by scripts/bundle.js):
 * runs a command fastRoute recognised exactly as its oclif command does (src/commands/…): the
 * same core call and caller, the same lines or --json document, the same error output and exit
 * code, the runtime closed (audit checkpoint) before the JSON result is printed.
 */
import {createRuntime, stderrLogger, type Runtime} from '../../core/entry/runtime.js'
import {surfaceCaller} from '../../core/pipeline/caller.js'
import {agentListLines, sessionListLines, sessionStatusLines} from '../command-views.js'
import {failureOf, printFailure} from '../error-text.js'
import {processIo} from '../io.js'
import {jsonText} from '../json.js'
import {colorEnabled} from '../../present/status.js'
import type {FastRoute} from './route.js'

type CommandRoute = Extract<FastRoute, {kind: 'command'}>

async function runCommand(route: CommandRoute, runtime: Runtime, color: boolean): Promise<{result: unknown; lines: string[]}> {
  const caller = surfaceCaller(processIo.env)
  switch (route.command) {
    case 'session status': {
      const result = await runtime.core.run('get_session_status', {name: route.name as string}, {caller})
      return {result, lines: sessionStatusLines(result, color)}
    }
    case 'agent list': {
      const result = await runtime.core.run('list_agents', {session: route.session}, {caller})
      return {result, lines: agentListLines(result, route.session, color)}
    }
    case 'session list': {
      const result = await runtime.core.run('list_sessions', {}, {caller})
      return {result, lines: sessionListLines(result)}
    }
  }
}

export async function runFast(route: CommandRoute): Promise<void> {
  const io = processIo
  let runtime: Runtime | undefined
  let result: unknown
  let failure
  try {
    runtime = await createRuntime({env: io.env, logger: stderrLogger(io.env, io.stderr)})
    const ran = await runCommand(route, runtime, colorEnabled(io.stdout, io.env))
    result = ran.result
    if (!route.json) for (const line of ran.lines) io.stdout.write(`${line}\n`)
  } catch (error) {
    failure = failureOf(error as Error, route.command.replace(' ', ':'))
    if (io.env.CCMCP_DEBUG && failure.cause) io.stderr.write(`${String((failure.cause as Error).stack ?? failure.cause)}\n`)
    printFailure(io, failure, route.json)
  } finally {
    await runtime?.close()
  }
  // oclif ends a failed command with process.exit(code); a finished one when its work is done.
  if (failure) process.exit(failure.exitCode)
  if (result && route.json) io.stdout.write(`${jsonText(result)}\n`)
}
