/**
 * The ports core depends on. Adapters (tmux, iTerm2, conf, execa) implement them; tests use
 * small fakes of the same interfaces. Nothing here imports an adapter.
 */
import type {BackendName, TabRef} from './domain.js'

export interface ExecOptions {
  input?: string
  timeoutMs?: number
  env?: Record<string, string>
  cwd?: string
}

export interface ExecResult {
  stdout: string
  stderr: string
  /** undefined when the program could not be started or was killed. */
  exitCode: number | undefined
  /** The program was not found (ENOENT). */
  notFound: boolean
  timedOut: boolean
}

/** Runs one program with an argv array; never through a shell. Never rejects for a failed run. */
export type Exec = (file: string, args: readonly string[], options?: ExecOptions) => Promise<ExecResult>

export interface OpenTabRequest {
  /** The ccmcp session the tab belongs to (backends group tabs by it). */
  group: string
  /** Shown on the tab: `Agent_1 · session`. */
  title: string
  /** Stable identity of the agent (`session/Agent_1`), stored on the tab so tabs can be adopted. */
  agentKey: string
  /** The launch this tab is for (Agent.launchId): stored on the tab and in the returned TabRef. */
  launchId: string
  cwd: string
  /** Program and arguments; run directly, never through a shell. */
  argv: readonly string[]
  /** The complete environment for the program. */
  env: Record<string, string>
}

export interface TabInfo {
  tab: TabRef
  /** The agent key stored on the tab when it was opened, if the backend can keep one. */
  agentKey: string | null
  /** The launch id stored on the tab; a tab is an agent's only while it carries the agent's launch id. */
  launchId: string | null
  /** false when the program in the tab has ended but the tab is kept to show its last screen. */
  alive: boolean
  exitStatus: number | null
}

export interface SendTextOptions {
  /** Press Enter (a separate keystroke, after a short delay) once the text is in. */
  submit: boolean
}

export interface FocusResult {
  focused: boolean
  /** When nothing could be focused: what the user can run to see the tab. */
  hint: string | null
}

/**
 * Every method taking a TabRef that carries a launchId acts only if the tab still carries that
 * launch id: sendText, pressEnter, readScreen and focusTab fail with AGENT_NOT_RUNNING, closeTab
 * does nothing (the tab it meant is gone).
 */
export interface TerminalBackend {
  readonly name: BackendName
  openTab(request: OpenTabRequest): Promise<TabRef>
  sendText(tab: TabRef, text: string, options: SendTextOptions): Promise<void>
  pressEnter(tab: TabRef): Promise<void>
  /** The last `lines` lines of the tab's screen and scrollback, trailing blank lines removed. */
  readScreen(tab: TabRef, lines: number): Promise<string>
  /** Every tab this backend owns, in ONE call. Reconciliation never asks per agent. */
  listTabs(): Promise<TabInfo[]>
  /** Closes the tab; a tab that is already gone is not an error. */
  closeTab(tab: TabRef): Promise<void>
  focusTab(tab: TabRef): Promise<FocusResult>
}

export interface Store<T> {
  /** The file this store keeps, for messages. */
  readonly path: string
  read(): Promise<T>
  /**
   * The only write path: `fn` gets the current value read under a cross-process lock and
   * returns the next one (or throws to write nothing). Returns what `fn` returned.
   */
  update<R>(fn: (value: T) => {value: T; result: R}): Promise<R>
}

export interface Clock {
  now(): Date
  sleep(ms: number): Promise<void>
}

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void
  warn(message: string, fields?: Record<string, unknown>): void
}
