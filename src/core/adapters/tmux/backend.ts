/**
 * TerminalBackend on a PRIVATE tmux server (socket under the ccmcp home, never the user's
 * default server): one tmux session per ccmcp session, one window per agent, addressed by
 * tmux ids. Every call is an argv array; user text goes in as literal keys or a paste buffer.
 */
import {randomUUID} from 'node:crypto'
import {existsSync} from 'node:fs'
import {rm} from 'node:fs/promises'
import path from 'node:path'

import type {TabRef} from '../../domain/state.js'
import {CcmcpError} from '../../domain/errors.js'
import type {Clock, Exec, ExecResult, FocusResult, OpenTabRequest, SendTextOptions, TabInfo, TerminalBackend} from '../../ports.js'
import {
  PANE_FORMAT,
  stripTerminal,
  withoutDeadPaneNote,
  isMissingTargetError,
  isNoServerError,
  lastLines,
  parsePaneList,
  tmuxFormatLiteral,
  tmuxLiteral,
  tmuxSessionName,
} from './args.js'
import {shellQuote} from '../../domain/shell-quote.js'
import {launchDataPath, writeLaunchFiles} from './launcher.js'
import type {TmuxControl} from './control-client.js'
import {recordServerPid, reviveSocket} from './server-pid.js'
import {tmuxFailure, writeServerConfig} from './server-config.js'

// Unix socket paths are limited to ~104 bytes (macOS) / 108 (Linux).
const MAX_SOCKET_PATH = 100
const PASTE_THRESHOLD = 512

export interface TmuxBackendOptions {
  exec: Exec
  clock: Clock
  socketPath: string
  home: string
  /** Environment for tmux itself; the server is started with the creator's environment. */
  env: Record<string, string>
  submitDelayMs: number
  tmuxBin?: string
  /**
   * Long-lived processes: makes the persistent control-mode client that answers the reads
   * (given how to reach this server); every other call, and every read it cannot answer, spawns a tmux.
   */
  control?: (globalArgs: () => Promise<string[]>) => TmuxControl
}

type TmuxRef = Extract<TabRef, {backend: 'tmux'}>
/** A tmux command separator of ours; every string argument is kept literal (tmuxLiteral). */
const THEN = Symbol('tmux ;')
type TmuxArg = string | typeof THEN

export class TmuxBackend implements TerminalBackend {
  readonly name = 'tmux' as const
  private config: Promise<string> | undefined
  private readonly launcher = {written: false}
  private readonly control: TmuxControl | undefined

  constructor(private readonly options: TmuxBackendOptions) {
    this.control = options.control?.(async () => ['-u', ...this.globalArgs(await this.ensureConfig())])
  }

  get socketPath(): string {
    return this.options.socketPath
  }

  async openTab(request: OpenTabRequest): Promise<TabRef> {
    // The environment travels in a 0600 file the window's launcher reads and deletes: never argv.
    const data = await writeLaunchFiles(this.options.home, request, this.launcher)
    // The window is named after the launch id until it is tagged, all in ONE tmux command list:
    // the server runs it whole, so no window exists without the identity (even if we are killed).
    const launch = request.launchId
    const sessionName = tmuxSessionName(request.group)
    const window = `=${sessionName}:=${launch}`
    const common: TmuxArg[] = [
      '-n', launch,
      '-c', tmuxFormatLiteral(request.cwd),
      '-P', '-F', '#{session_id} #{window_id} #{pane_id} #{pid}',
      '--', '/bin/sh', data.script, data.file,
      THEN, 'set-option', '-p', '-t', window, '@ccmcp_agent', request.agentKey,
      THEN, 'set-option', '-p', '-t', window, '@ccmcp_launch', launch,
      THEN, 'rename-window', '-t', window, request.title,
    ]
    let result: ExecResult | undefined
    try {
      result = await this.tmux(['new-window', '-d', '-t', `=${sessionName}:`, ...common])
      if (result.exitCode !== 0) {
        // No server yet or no tmux session for this group: create it (tmux refuses duplicates
        // atomically, so two racing creators fall back to new-window). The server gets ccmcp's
        // own environment, never an agent's: the launcher gives each agent exactly its own.
        result = await this.tmux(['new-session', '-d', '-s', sessionName, ...common], {env: stripTerminal(this.options.env)})
        if (result.exitCode !== 0 && /duplicate session/.test(result.stderr)) {
          result = await this.tmux(['new-window', '-d', '-t', `=${sessionName}:`, ...common])
        }
      }
    } finally {
      // Without its data the launcher stops, so nothing runs from a window that failed to open.
      if (result?.exitCode !== 0) await rm(data.file, {force: true})
    }
    if (result.exitCode !== 0) throw this.failure('open a tab', result)
    const [sessionId, windowId, paneId, serverPid] = result.stdout.trim().split(' ')
    if (!sessionId || !windowId || !paneId) throw this.failure('read the new tab id', result)
    if (serverPid) await recordServerPid(this.pidFile, serverPid)
    return {backend: 'tmux', sessionId, windowId, paneId, launchId: launch}
  }

  async sendText(tab: TabRef, text: string, options: SendTextOptions): Promise<void> {
    const {paneId} = await this.ours(tab)
    // A typed tab would be a key (completion in a shell, dropped by Claude Code); pasted it stays text.
    if (text.includes('\n') || text.includes('\t') || Buffer.byteLength(text) > PASTE_THRESHOLD) {
      const buffer = `ccmcp-${randomUUID()}`
      await this.check(await this.tmux(['load-buffer', '-b', buffer, '-'], {input: text}), 'load the message')
      // -p: bracketed paste when the program asked for it, so newlines do not submit early;
      // -r: keep LF as LF (tmux would turn it into CR, which is not what the sender wrote).
      await this.check(await this.tmux(['paste-buffer', '-p', '-r', '-d', '-b', buffer, '-t', paneId]), 'paste the message')
    } else if (text.length > 0) {
      await this.check(await this.tmux(['send-keys', '-t', paneId, '-l', '--', text]), 'type the message')
    }
    if (options.submit) {
      await this.options.clock.sleep(this.submitDelay(text))
      await this.pressEnter(tab)
    }
  }

  async pressEnter(tab: TabRef): Promise<void> {
    await this.check(await this.tmux(['send-keys', '-t', (await this.ours(tab)).paneId, 'Enter']), 'press Enter')
  }

  async readScreen(tab: TabRef, lines: number): Promise<string> {
    const result = await this.tmux(['capture-pane', '-p', '-J', '-t', (await this.ours(tab)).paneId, '-S', String(-lines)])
    await this.check(result, 'read the screen')
    return lastLines(withoutDeadPaneNote(result.stdout), lines)
  }

  async listTabs(): Promise<TabInfo[]> {
    const result = await this.tmux(['list-panes', '-a', '-F', PANE_FORMAT])
    if (result.exitCode !== 0 && isNoServerError(result.stderr)) return []
    await this.check(result, 'list tabs')
    return parsePaneList(result.stdout)
  }

  async closeTab(tab: TabRef): Promise<void> {
    const ref = await this.ours(tab).catch((error: unknown) => {
      if (error instanceof CcmcpError && error.code === 'AGENT_NOT_RUNNING') return null
      throw error
    })
    // The tab this ref named is gone; whatever has its id now belongs to someone else.
    if (!ref) return
    const result = await this.tmux(['kill-window', '-t', ref.windowId])
    if (result.exitCode !== 0 && (isMissingTargetError(result.stderr) || isNoServerError(result.stderr))) return
    await this.check(result, 'close the tab')
  }

  async handedOver(tab: TabRef): Promise<boolean> {
    // The launcher deletes its data file right before it execs the agent.
    return tab.launchId === undefined || !existsSync(launchDataPath(this.options.home, tab.launchId))
  }

  async focusTab(tab: TabRef): Promise<FocusResult> {
    const ref = await this.ours(tab)
    await this.check(await this.tmux(['select-window', '-t', ref.windowId]), 'select the window')
    // Control-mode clients (a watch or serve reading this server) have no screen to switch.
    const clients = await this.tmux(['list-clients', '-F', '#{client_control_mode} #{client_name}'])
    const client = clients.exitCode === 0 ? clients.stdout.split('\n').find((line) => line.startsWith('0 '))?.slice(2) : undefined
    const attach = ['tmux', '-S', this.options.socketPath, 'attach', '-t', ref.sessionId]
    if (client) {
      await this.check(await this.tmux(['switch-client', '-c', client, '-t', ref.paneId]), 'switch the client')
      return {focused: true, hint: null, attach}
    }
    return {focused: false, hint: `tmux -S ${shellQuote(this.options.socketPath)} attach -t '${ref.sessionId}'`, attach}
  }

  private get pidFile(): string {
    return path.join(this.options.home, 'tmux.pid')
  }

  /**
   * The ref, once the pane it names still carries the ref's launch id: tmux ids restart at
   * %0 with a new server, so an old ref may name another agent's pane. Refs stored before
   * launch ids were recorded on tabs are taken as they are.
   */
  private async ours(tab: TabRef): Promise<TmuxRef> {
    const ref = asTmux(tab)
    if (ref.launchId === undefined) return ref
    const result = await this.tmux(['display-message', '-p', '-t', ref.paneId, '#{@ccmcp_launch}'])
    await this.check(result, 'find the agent\'s pane')
    if (result.stdout.trim() !== ref.launchId) {
      throw new CcmcpError('AGENT_NOT_RUNNING', `The agent's tmux window is gone (pane ${ref.paneId} now belongs to another program).`, {
        hint: 'Check `ccmcp session status`; a lost agent can be started again with `ccmcp agent restart` or `ccmcp session recover`.',
      })
    }
    return ref
  }

  private submitDelay(text: string): number {
    // Longer text (and pastes) take the program longer to take in before Enter counts as submit.
    return this.options.submitDelayMs + Math.min(1000, Math.floor(Buffer.byteLength(text) / 40))
  }

  private async tmux(args: TmuxArg[], extra: {input?: string; env?: Record<string, string>} = {}): Promise<ExecResult> {
    if (Buffer.byteLength(this.options.socketPath) > MAX_SOCKET_PATH) {
      throw new CcmcpError('BACKEND_UNAVAILABLE', `The tmux socket path is too long for a Unix socket: ${this.options.socketPath}`, {
        hint: 'Set CCMCP_HOME to a shorter directory.',
      })
    }
    const configPath = await this.ensureConfig()
    await reviveSocket({socketPath: this.options.socketPath, pidFile: this.pidFile, exec: this.options.exec, clock: this.options.clock})
    const {control} = this
    if (control && extra.input === undefined && extra.env === undefined && args.every((arg) => arg !== THEN)) {
      // Raw arguments: the control client quotes each one itself (control-line.ts), and refuses all but reads.
      const answered = await control.run(args as string[])
      if (answered) return answered
    }
    const result = await this.options.exec(
      this.options.tmuxBin ?? 'tmux',
      // Every argument, ours or the user's, goes through tmuxLiteral: tmux splits on a trailing ";".
      ['-u', ...this.globalArgs(configPath), ...args.map((arg) => (arg === THEN ? ';' : tmuxLiteral(arg)))],
      {input: extra.input, env: extra.env ?? this.options.env, timeoutMs: 10_000},
    )
    if (result.notFound) {
      throw new CcmcpError('BACKEND_UNAVAILABLE', 'tmux is not installed (or not on PATH).', {
        hint: 'Install tmux (Debian/Ubuntu: apt-get install tmux; macOS: brew install tmux), or use --backend iterm2 on macOS.',
      })
    }
    return result
  }

  /** The socket and config every tmux we run (spawned or control-mode) is given. */
  private globalArgs(configPath: string): string[] {
    return ['-S', this.options.socketPath, '-f', configPath]
  }

  private ensureConfig(): Promise<string> {
    return (this.config ??= writeServerConfig(this.options.home).catch((error: unknown) => {
      this.config = undefined
      throw error
    }))
  }

  private async check(result: ExecResult, action: string): Promise<void> {
    if (result.exitCode !== 0) throw this.failure(action, result)
  }

  private failure(action: string, result: ExecResult): CcmcpError {
    return tmuxFailure(action, result)
  }
}

function asTmux(tab: TabRef): TmuxRef {
  if (tab.backend !== 'tmux') throw new CcmcpError('UNEXPECTED', `A ${tab.backend} tab was given to the tmux backend.`)
  return tab
}
