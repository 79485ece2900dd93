/**
 * `ccmcp serve` after its flags are parsed: find the programs agents need (the client may have
 * started us with a minimal PATH), open the log, build the runtime, then run the chosen transport
 * until the client goes away or a signal arrives. Nothing here writes to stdout.
 */
import {randomBytes} from 'node:crypto'

import {type Caller, type McpCaller, agentFromEnv} from '../core/pipeline/caller.js'
import type {McpHttpClient} from './http-clients.js'
import {CcmcpError} from '../core/domain/errors.js'
import {mcpOperations, isCleared} from '../core/pipeline/clearance.js'
import {pathsFor, resolveHome} from '../core/platform/paths.js'
import {describeLocation, withProgramDirs} from '../core/platform/programs.js'
import type {Limits, SecurityLevel} from '../core/pipeline/operation.js'
import {createRuntime, localHost} from '../core/entry/runtime.js'
import {type ServerLogger, createServerLogger} from './log.js'
import {keepHeapLean} from './memory.js'
import {createMcpServer} from './server.js'
import {type RunningServer, serveStdio} from './stdio.js'

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1'])

export interface ServeOptions {
  transport: 'stdio' | 'http'
  clearance: SecurityLevel
  limits: Limits
  logDir?: string
  host: string
  port: number
  /** Bearer token for HTTP; generated (and shown on stderr) when absent. */
  token?: string
  version: string
  env?: NodeJS.ProcessEnv
  /** Serve as the agent of this environment, with the agent's tools only. */
  agent?: boolean
}

export async function serve(options: ServeOptions): Promise<void> {
  const env = options.env ?? process.env
  keepHeapLean()
  const logger = createServerLogger({logDir: options.logDir ?? pathsFor(resolveHome(env, localHost.homeDir())).logsDir, debug: Boolean(env.CCMCP_DEBUG)})
  if (options.transport === 'stdio') keepStdoutForProtocol()
  guardProcess(logger)
  // Claude Desktop users read serve.log, not the terminal: a failed start must be there too.
  const running = await start(options, env, logger).catch((error: unknown) => {
    logger.error(`could not start: ${(error as Error).message}`)
    throw error
  })
  const stop = (signal: string) => {
    logger.info(`${signal}: shutting down`)
    void running.close()
  }
  process.once('SIGINT', stop).once('SIGTERM', stop)
  await running.closed
  await running.closeRuntime()
  logger.info('stopped')
}

async function start(options: ServeOptions, baseEnv: NodeJS.ProcessEnv, logger: ServerLogger): Promise<RunningServer & {closeRuntime(): Promise<void>}> {
  if (options.agent) return startAgentServer(options, baseEnv, logger)
  const wanted = ['tmux', baseEnv.CCMCP_CLAUDE_BIN || 'claude']
  const {env, programs} = await withProgramDirs(wanted, {env: baseEnv, home: baseEnv.HOME || localHost.homeDir(), host: localHost})
  const {core, deps, close: closeRuntime} = await createRuntime({env: env as NodeJS.ProcessEnv, limits: options.limits, logger, workingDir: null, remoteStreams: true})
  // tmux matters only when new sessions use it (iTerm2 users need not install it).
  const tmuxNeeded = deps.settings.defaultBackend(await deps.ports.config.read()) === 'tmux'
  for (const program of programs) {
    if (program.source === 'usual') logger.info(`${describeLocation(program)}; added its directory to PATH`)
    else if (!program.path && (program.name !== 'tmux' || tmuxNeeded)) {
      logger.warn(`${describeLocation(program)}; agents that need it cannot start. \`ccmcp doctor\` says what to do.`)
    }
  }
  const newServer = (client: McpCaller | null) =>
    createMcpServer({core, clearance: client?.clearance ?? options.clearance, caller: serverCaller(baseEnv, options.clearance, client), logger, version: options.version})
  const serving = `ccmcp ${options.version} serving ${mcpOperations().filter((operation) => isCleared(operation, options.clearance)).length} tools`
  const details = `at security level ${options.clearance}; log: ${logger.file ?? 'stderr only'}`
  if (options.transport === 'stdio') {
    const running = await serveStdio(newServer(null), logger)
    logger.info(`${serving} on stdio ${details}`)
    return {...running, closeRuntime}
  }
  if (!LOOPBACK.has(options.host)) logger.warn(`--host ${options.host} is reachable from other machines: anyone there with the token can run programs on this one.`)
  const token = options.token || randomBytes(24).toString('base64url')
  // Loaded only for HTTP: a stdio server (the usual case) does not carry the HTTP transport.
  const [{serveHttp}, {tokenAuthenticator}] = await Promise.all([import('./http.js'), import('./http-clients.js')])
  const authenticate = tokenAuthenticator(token, options.clearance, deps.ports.tokens)
  const http = await serveHttp({host: options.host, port: options.port, token, authenticate, newServer: (client) => newServer((client as McpHttpClient).caller), logger})
  if (!options.token) process.stderr.write(`ccmcp: bearer token for this server (pass --token or CCMCP_TOKEN to choose one): ${token}\n`)
  logger.info(`${serving} on ${http.url} ${details}`)
  return Object.assign(http, {closeRuntime})
}

/**
 * `serve --agent`: ccmcp's tools inside one agent (its --mcp-config starts it). The caller comes
 * from the environment ccmcp gave the agent, proven by its launch id on every call, never from
 * anything the model sends.
 */
async function startAgentServer(options: ServeOptions, env: NodeJS.ProcessEnv, logger: ServerLogger): Promise<RunningServer & {closeRuntime(): Promise<void>}> {
  const caller = agentFromEnv(env, options.clearance)
  if (!caller) {
    throw new CcmcpError('INVALID_INPUT', 'serve --agent runs only inside an agent ccmcp started (CCMCP_AGENT is not set).', {
      hint: 'Run `ccmcp serve` without --agent for the operator\'s tools.',
    })
  }
  if (options.transport !== 'stdio') throw new CcmcpError('INVALID_INPUT', 'serve --agent works over stdio only.', {hint: 'Leave out --transport.'})
  const {core, close: closeRuntime} = await createRuntime({env, limits: options.limits, logger, workingDir: null})
  const running = await serveStdio(createMcpServer({core, clearance: options.clearance, caller, logger, version: options.version, profile: 'agent'}), logger)
  logger.info(`ccmcp ${options.version} serving the agent tools of ${caller.session}/${caller.agent} on stdio`)
  return {...running, closeRuntime}
}

/**
 * Who the server's clients act as: a server started inside an agent's environment acts as that
 * agent (proven by its secret, limited to the server's level), whatever token a client shows;
 * any other as the MCP client its token names (stdio: one client at the server's level).
 */
export function serverCaller(env: NodeJS.ProcessEnv, clearance: SecurityLevel, client: McpCaller | string | null): Caller {
  const agent = agentFromEnv(env, clearance)
  if (agent) return agent
  return typeof client === 'object' && client !== null ? client : {kind: 'mcp', clearance, client}
}

/** A stray console.log from any dependency would corrupt the protocol: send it to stderr. */
function keepStdoutForProtocol(): void {
  const toStderr = (...args: unknown[]) => process.stderr.write(`${args.map(String).join(' ')}\n`)
  Object.assign(console, {log: toStderr, info: toStderr, debug: toStderr})
}

/** A long-lived server logs what would otherwise kill it; a client that has gone away ends it. */
function guardProcess(logger: ServerLogger): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    logger.warn(`stdout: ${error.code ?? error.message}; the client has gone away`)
    process.exit(0)
  })
  process.on('uncaughtException', (error) => logger.error(`uncaught: ${error.stack ?? error.message}`))
  process.on('unhandledRejection', (reason) => logger.error(`unhandled rejection: ${(reason as Error)?.stack ?? String(reason)}`))
}
