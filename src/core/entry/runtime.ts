/**
 * The composition root: the ONLY place adapters are built and wired into core. Surfaces call
 * createRuntime(); tests build CoreDeps from fakes instead.
 */
import {existsSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

import {atRest} from '../adapters/at-rest.js'
import {spawnFlusher} from '../adapters/flusher.js'
import {sshRemote} from '../adapters/ssh/ssh-remote.js'
import {withStatusStreams} from '../adapters/ssh/status-streams.js'
import {splitCommandLine} from '../domain/message-text.js'
import {createConfigStore, createMessageStore, createStateStore, createTaskStore, createTokenStore} from '../adapters/stores.js'
import {auditLocation, createAuditLog} from '../adapters/audit-log.js'
import {auditReader} from '../adapters/audit-log-read.js'
import {notifyingStateStore} from './notifier.js'
import {foldingStateStore} from './folding-store.js'
import {execaExec} from '../adapters/exec.js'
import {localHost} from '../adapters/local-host.js'
import {ITerm2Backend} from '../adapters/iterm2/backend.js'
import {callerSessionId} from '../adapters/iterm2/protocol.js'
import {TmuxBackend} from '../adapters/tmux/backend.js'
import {type TmuxControl, createControlClient} from '../adapters/tmux/control-client.js'
import {stripTerminal} from '../adapters/tmux/args.js'
import {type Core, createCore} from '../pipeline/core.js'
import {chooseDefaultBackend} from '../platform/backend-choice.js'
import type {BackendName} from '../domain/state.js'
import {hookCommandLine, withoutPrivateEnv} from '../agents/launch-spec.js'
import {type Paths, pathsFor, resolveHome} from '../platform/paths.js'
import type {Clock, Exec, KeySource, Logger, Recorder, RemoteHosts, TerminalBackend} from '../ports.js'
import type {CoreDeps, Limits} from '../pipeline/operation.js'

export interface RuntimeOptions {
  env?: NodeJS.ProcessEnv
  limits?: Limits
  exec?: Exec
  /** Where core's warnings go (default: stderr); `serve` adds its log file. */
  logger?: Logger
  /** The pipeline's record step (default: the audit log, see src/core/adapters/audit-log.ts). */
  recorder?: Recorder
  /** The master key behind audit checkpoints; null: sign nothing. Default: the at-rest key source (CCMCP_KEY → keychain → key file). */
  keySource?: KeySource | null
  /** What relative paths in input are relative to (default: this process's cwd); null when the caller is elsewhere (MCP). */
  workingDir?: string | null
  /** Long-lived processes (serve, watch): keep one status stream per remote host instead of asking it on every list. */
  remoteStreams?: boolean
  /** Long-lived processes: one persistent tmux control-mode client answers the tmux reads (default: as remoteStreams). */
  tmuxControl?: boolean
}

export interface Runtime {
  core: Core
  deps: CoreDeps
  paths: Paths
  /** The same record step core uses, for the internal operations an entry point runs. */
  recorder: Recorder
  /** Call once the process is done: signs an audit checkpoint over what it recorded. */
  close(): Promise<void>
}

export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
}

export function stderrLogger(env: NodeJS.ProcessEnv, stream: {write(chunk: string): unknown} = process.stderr): Logger {
  const debug = Boolean(env.CCMCP_DEBUG)
  const write = (level: string, message: string, fields?: Record<string, unknown>) =>
    stream.write(`ccmcp ${level}: ${message}${fields ? ` ${JSON.stringify(fields)}` : ''}\n`)
  return {
    debug: (message, fields) => debug && write('debug', message, fields),
    warn: (message, fields) => write('warning', message, fields),
  }
}

export function plainEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined))
}

export {backendFromEnv} from '../platform/backend-choice.js'
/** For surfaces that need the machine before a runtime exists (serve's program search). */
export {localHost} from '../adapters/local-host.js'

function remoteHosts(exec: Exec, env: NodeJS.ProcessEnv, sshCommand: string | undefined, home: string, agentEnv: Record<string, string>, streams: boolean): RemoteHosts {
  // The user's own ssh, as git lets them set it: CCMCP_SSH, else the sshCommand setting.
  const ssh = sshRemote({exec, ssh: splitCommandLine(env.CCMCP_SSH || sshCommand || 'ssh'), controlDir: path.join(home, 'ssh'), env: agentEnv})
  return streams ? withStatusStreams(ssh, {argvFor: ssh.argvFor, env: agentEnv}) : ssh
}

export async function createRuntime(options: RuntimeOptions = {}): Promise<Runtime> {
  const env = options.env ?? process.env
  const exec = options.exec ?? execaExec
  const host = localHost
  const paths = pathsFor(resolveHome(env, host.homeDir()))
  const logger = options.logger ?? stderrLogger(env)
  // Every store holding what users or agents wrote is encrypted (config.json holds settings only).
  const encryption = atRest({env, home: paths.home, logger})
  const stores = {codec: encryption.codec}
  const notifying = notifyingStateStore(createStateStore(paths.home, logger, stores), {home: paths.home, env})
  // Reads and writes fold the agents' spooled hook events in first (entry/spool-hook.ts), recorded by this process's record step.
  const state = foldingStateStore(notifying, {
    home: paths.home,
    codec: encryption.codec,
    host,
    eventsDir: paths.eventsDir,
    recorder: () => recorder,
    startFlusher: (key) => spawnFlusher(env, paths.home, key),
    onError: (error) => logger.warn('folding hook events', {error: error instanceof Error ? error.message : String(error)}),
  })
  const config = createConfigStore(paths.home, logger)
  const settings = await config.read()
  // Agents, their terminal and the programs run for them never see ccmcp's own secrets.
  const agentEnv = withoutPrivateEnv(plainEnv(env))
  const backends = new Map<BackendName, TerminalBackend>()
  const keySource = options.keySource === undefined ? encryption.keys : options.keySource
  const audit = auditLocation(env, paths.home)
  const auditLog = createAuditLog({...audit, keySource, logger, rotateBytes: Number(env.CCMCP_AUDIT_ROTATE_BYTES) || undefined})
  const hookScript = fileURLToPath(new URL('../../../bin/hook.js', import.meta.url))
  const controls: TmuxControl[] = []
  const tmuxControl = (options.tmuxControl ?? options.remoteStreams ?? false)
    ? (globalArgs: () => Promise<string[]>) => {
        const control = createControlClient({tmuxBin: 'tmux', globalArgs, env: stripTerminal(agentEnv)})
        controls.push(control)
        return control
      }
    : undefined

  const deps: CoreDeps = {
    ports: {
      state,
      config,
      // Everything users or agents wrote is encrypted at rest; token digests too (they are secrets' traces).
      tasks: (session) => createTaskStore(paths.home, session, logger, stores),
      tokens: createTokenStore(paths.home, logger, stores),
      clock: systemClock,
      logger,
      exec,
      host,
      startFlusher: (key) => spawnFlusher(env, paths.home, key),
      remote: remoteHosts(exec, env, settings.sshCommand, paths.home, agentEnv, options.remoteStreams ?? false),
      messages: (session) => createMessageStore(paths.home, session, logger, stores),
      audit: auditReader(audit, keySource),
      keys: encryption.keys,
      keyRotation: encryption.rotation,
      backend(name) {
        const existing = backends.get(name)
        if (existing) return existing
        const backend =
          name === 'iterm2'
            ? new ITerm2Backend({exec, clock: systemClock, logger, home: paths.home, env: agentEnv, submitDelayMs: settings.submitDelayMs, callerSessionId: callerSessionId(env), codec: encryption.codec})
            : new TmuxBackend({exec, clock: systemClock, socketPath: paths.tmuxSocket, home: paths.home, env: agentEnv, submitDelayMs: settings.submitDelayMs, control: tmuxControl})
        backends.set(name, backend)
        return backend
      },
    },
    settings: {
      paths,
      defaultBackend: (current) => chooseDefaultBackend({env, config: current, platform: process.platform, home: env.HOME || host.homeDir(), exists: existsSync}),
    },
    launch: {
      env: agentEnv,
      hookCommand: hookCommandLine(process.execPath, hookScript),
      claudeBin: (current) => env.CCMCP_CLAUDE_BIN || current.claudeBin || 'claude',
      ccmcpCommand: [process.execPath, fileURLToPath(new URL('../../../bin/run.js', import.meta.url))],
    },
  }

  const recorder = options.recorder ?? auditLog.recorder
  const workingDir = options.workingDir === undefined ? process.cwd() : options.workingDir
  const close = async () => {
    for (const control of controls) control.close()
    await auditLog.close()
  }
  return {core: createCore(deps, {limits: options.limits, recorder, workingDir}), deps, paths, recorder, close}
}
