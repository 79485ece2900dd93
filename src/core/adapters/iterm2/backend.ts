/**
 * TerminalBackend on iTerm2 through osascript: one run of the fixed JXA driver per operation
 * (listing every agent included), data only as one ASCII JSON argv. Agents start through the
 * fixed launcher (launcher.ts); sessions are known by GUID and recorded in the tab registry.
 */
import {randomUUID} from 'node:crypto'
import {mkdir, readFile, rename, rm, writeFile} from 'node:fs/promises'
import path from 'node:path'

import type {TabRef} from '../../domain/state.js'
import {type LockError, withFileLock} from '../file-lock.js'
import {CcmcpError} from '../../domain/errors.js'
import type {Clock, Exec, FocusResult, Logger, OpenTabRequest, SendTextOptions, Store, StoreCodec, TabInfo, TerminalBackend} from '../../ports.js'
import {DRIVER_SCRIPT} from './driver.js'
import {LAUNCHER_SCRIPT, agentEnvironment, iTermCommand, launchDataText} from './launcher.js'
import {type DriverOutcome, type DriverRequest, encodeRequest, failureToError, hasLoneSurrogate, interpretRun, planWrite, shouldPaste, tabGoneError} from './protocol.js'
import {type TabRegistry, agentsAlive, createTabRegistry, launchFiles} from './tab-registry.js'

export interface ITerm2BackendOptions {
  exec: Exec
  clock: Clock
  logger: Logger
  /** The ccmcp home; the backend keeps its files in <home>/iterm2. */
  home: string
  /** Environment for osascript and ps. */
  env: Record<string, string>
  submitDelayMs: number
  /** GUID of the iTerm2 session ccmcp runs in, if any: new tabs go to its window. */
  callerSessionId?: string | null
  /** How tabs.json is kept on disk (the runtime's encrypting codec; plain JSON unless given). */
  codec?: StoreCodec
  osascript?: string
  timeoutMs?: number
  /** Creating may launch iTerm2 and, the first time, wait for the user to allow Automation. */
  createTimeoutMs?: number
}

type ITermRef = Extract<TabRef, {backend: 'iterm2'}>

// iterm2.md §6: 150–300 ms between the text and Enter; the config's delay may only add to it.
const MIN_ENTER_DELAY_MS = 150

export class ITerm2Backend implements TerminalBackend {
  readonly name = 'iterm2' as const
  private readonly dir: string
  private readonly registry: Store<TabRegistry>
  private launcherReady = false

  constructor(private readonly options: ITerm2BackendOptions) {
    this.dir = path.join(options.home, 'iterm2')
    this.registry = createTabRegistry(this.dir, options.logger, options.codec)
  }

  async openTab(request: OpenTabRequest): Promise<TabRef> {
    const launcher = await this.ensureLauncher()
    const launch = randomUUID()
    const files = launchFiles(this.dir, launch)
    const command = iTermCommand(['/bin/sh', launcher, files.data])
    await writeFile(files.data, launchDataText({cwd: request.cwd, env: agentEnvironment(request.env), argv: request.argv}), {mode: 0o600, flag: 'wx'})
    try {
      const created = await this.withCreateLock(async () => {
        const {tabs} = await this.registry.read()
        const near = Object.entries(tabs).filter(([, record]) => record.group === request.group).map(([sessionId]) => sessionId)
        if (this.options.callerSessionId) near.push(this.options.callerSessionId)
        const result = await this.call({op: 'create', command, title: request.title, agentKey: request.agentKey, near, launch: true}, 'open a tab', this.options.createTimeoutMs ?? 90_000)
        if (result.created !== true || typeof result.sessionId !== 'string' || result.sessionId === '') {
          throw new CcmcpError('BACKEND_UNAVAILABLE', 'iTerm2 did not open a tab.', {hint: 'Check that iTerm2 is running and can open windows, then retry.'})
        }
        return result
      })
      for (const warning of Array.isArray(created.warnings) ? created.warnings : []) this.options.logger.warn(`iTerm2: ${String(warning)}`, {agent: request.agentKey})
      const sessionId = created.sessionId as string
      await this.registry.update((registry) => ({
        value: {
          ...registry,
          tabs: {
            ...registry.tabs,
            [sessionId]: {
              agentKey: request.agentKey,
              launchId: request.launchId,
              group: request.group,
              launch,
              tty: typeof created.tty === 'string' ? created.tty : null,
              windowId: typeof created.windowId === 'number' ? created.windowId : null,
              createdAt: this.options.clock.now().toISOString(),
            },
          },
        },
        result: undefined,
      }))
      return {backend: 'iterm2', sessionId, launchId: request.launchId}
    } catch (error) {
      // Without its data the launcher stops, so a tab opened despite the failure runs nothing.
      await rm(files.data, {force: true})
      throw error
    }
  }

  async sendText(tab: TabRef, text: string, options: SendTextOptions): Promise<void> {
    const {sessionId} = await this.ours(tab)
    if (hasLoneSurrogate(text)) {
      throw new CcmcpError('INVALID_INPUT', 'The message contains a lone UTF-16 surrogate, which no terminal can receive.', {hint: 'Send valid Unicode text.'})
    }
    const enterDelayMs = Math.max(MIN_ENTER_DELAY_MS, this.options.submitDelayMs) + Math.min(1000, Math.floor(Buffer.byteLength(text) / 40))
    for (const request of planWrite(sessionId, text, {paste: shouldPaste(text), submit: options.submit, enterDelayMs})) {
      this.expectFound(await this.call(request, 'type the message'), 'type the message')
    }
  }

  async pressEnter(tab: TabRef): Promise<void> {
    const request: DriverRequest = {op: 'write', sessionId: (await this.ours(tab)).sessionId, chunks: [], enter: true, enterDelayMs: 0}
    this.expectFound(await this.call(request, 'press Enter'), 'press Enter')
  }

  async readScreen(tab: TabRef, lines: number): Promise<string> {
    const result = this.expectFound(await this.call({op: 'read', sessionId: (await this.ours(tab)).sessionId, lines}, 'read the screen'), 'read the screen')
    return typeof result.text === 'string' ? result.text : ''
  }

  async listTabs(): Promise<TabInfo[]> {
    const result = await this.call({op: 'list'}, 'list tabs')
    if (result.running !== true || !Array.isArray(result.sessions)) return []
    const {tabs} = await this.registry.read()
    const ours = result.sessions
      .map((session: unknown) => String((session as {id?: unknown}).id))
      .filter((sessionId) => Object.hasOwn(tabs, sessionId))
      .map((sessionId) => [sessionId, tabs[sessionId]] as [string, NonNullable<(typeof tabs)[string]>])
    const alive = await agentsAlive(this.options.exec, this.dir, ours, this.options.logger)
    return ours.map(([sessionId, record]) => ({
      tab: {backend: 'iterm2', sessionId},
      agentKey: record.agentKey,
      launchId: record.launchId,
      alive: alive.get(sessionId) ?? true,
      // Only the terminal's parent process learns the status; a closed-on-exit tab keeps nothing.
      exitStatus: null,
    }))
  }

  async closeTab(tab: TabRef): Promise<void> {
    const ref = await this.ours(tab).catch((error: unknown) => {
      if (error instanceof CcmcpError && error.code === 'AGENT_NOT_RUNNING') return null
      throw error
    })
    // The tab this ref named is gone (or is no longer this launch's): nothing of ours to close.
    if (!ref) return
    const {sessionId} = ref
    const outcome = await this.run({op: 'close', sessionId}, this.timeoutMs())
    if (!outcome.ok && outcome.failure.kind !== 'gone' && outcome.failure.kind !== 'not-running') {
      throw failureToError(outcome.failure, 'close the tab', this.timeoutMs())
    }
    if (outcome.ok && outcome.result.found === true && outcome.result.gone !== true) {
      this.options.logger.warn('iTerm2 still shows the tab 1 s after closing it', {sessionId})
    }
    const record = await this.registry.update((registry) => {
      const {[sessionId]: removed, ...rest} = registry.tabs
      return {value: {...registry, tabs: rest}, result: removed}
    })
    if (record) await rm(launchFiles(this.dir, record.launch).pid, {force: true})
  }

  async focusTab(tab: TabRef): Promise<FocusResult> {
    this.expectFound(await this.call({op: 'focus', sessionId: (await this.ours(tab)).sessionId}, 'focus the tab'), 'focus the tab')
    return {focused: true, hint: null}
  }

  /** The ref, once ccmcp's record of its session still names the ref's launch (never another agent's tab). */
  private async ours(tab: TabRef): Promise<ITermRef> {
    const ref = asITerm(tab)
    if (ref.launchId === undefined) return ref
    const record = (await this.registry.read()).tabs[ref.sessionId]
    if (record?.launchId !== ref.launchId) throw tabGoneError('reach the tab', true)
    return ref
  }

  /** One osascript run; a "not running" answer is retried once (iTerm2 quit or was starting). */
  private async run(request: DriverRequest, timeoutMs: number): Promise<DriverOutcome> {
    const argv = ['-l', 'JavaScript', '-', encodeRequest(request)]
    // GUI-started processes may lack a locale; osascript then mis-decodes (iterm2.md §4).
    const env = {...this.options.env, LANG: this.options.env.LANG || 'en_US.UTF-8'}
    for (let attempt = 0; ; attempt++) {
      const started = Date.now()
      const outcome = interpretRun(await this.options.exec(this.options.osascript ?? 'osascript', argv, {input: DRIVER_SCRIPT, timeoutMs, env}))
      this.options.logger.debug('iterm2', {op: request.op, durationMs: Date.now() - started, ok: outcome.ok, ...(outcome.ok ? {} : outcome.failure)})
      if (outcome.ok || outcome.failure.kind !== 'not-running' || attempt > 0) return outcome
    }
  }

  private async call(request: DriverRequest, action: string, timeoutMs = this.timeoutMs()): Promise<Record<string, unknown>> {
    const outcome = await this.run(request, timeoutMs)
    if (!outcome.ok) throw failureToError(outcome.failure, action, timeoutMs)
    return outcome.result
  }

  private expectFound(result: Record<string, unknown>, action: string): Record<string, unknown> {
    if (result.found === true) return result
    throw tabGoneError(action, result.running !== false)
  }

  private timeoutMs(): number {
    return this.options.timeoutMs ?? 20_000
  }

  /** Writes the fixed launcher once per process (atomically, 0600) and returns its path. */
  private async ensureLauncher(): Promise<string> {
    const file = path.join(this.dir, 'launch.sh')
    if (this.launcherReady) return file
    await mkdir(path.join(this.dir, 'launch'), {recursive: true, mode: 0o700})
    const current = await readFile(file, 'utf8').catch(() => null)
    if (current !== LAUNCHER_SCRIPT) {
      const temp = `${file}.${randomUUID()}.tmp`
      await writeFile(temp, LAUNCHER_SCRIPT, {mode: 0o600})
      await rename(temp, file)
    }
    this.launcherReady = true
    return file
  }

  /**
   * A new tab is addressed by index until its session id is read, so creators must not overlap
   * (iterm2.md §3). The lock file serialises processes and, by its retries, this process too.
   */
  private async withCreateLock<T>(fn: () => Promise<T>): Promise<T> {
    const target = path.join(this.dir, 'create')
    const lockError = (error: LockError) =>
      error.reason === 'unwritable'
        ? new CcmcpError('BACKEND_UNAVAILABLE', `Cannot open an iTerm2 tab: ${error.message}.`, {hint: 'Make the ccmcp home writable, or point CCMCP_HOME at a writable directory.', cause: error})
        : new CcmcpError('TIMEOUT', `Another ccmcp process has been opening an iTerm2 tab for too long: ${error.message}.`, {
            hint: error.owner ? `Wait for it, or stop it (kill ${error.owner.pid}) if it hangs.` : 'Wait for it to finish.',
            cause: error,
          })
    return withFileLock(target, {staleMs: 30_000, waitMs: 150_000, retryMs: {min: 100, max: 100}, lockError}, fn)
  }
}

function asITerm(tab: TabRef): ITermRef {
  if (tab.backend !== 'iterm2') throw new CcmcpError('UNEXPECTED', `A ${tab.backend} tab was given to the iTerm2 backend.`)
  return tab
}
