/**
 * The ports core depends on. Adapters (tmux, iTerm2, the JSON store, execa) implement them; tests use
 * small fakes of the same interfaces. Nothing here imports an adapter.
 */
import type {Caller} from './pipeline/caller.js'
import type {BackendName, TabRef} from './domain/state.js'
import type {ErrorCode} from './domain/errors.js'
import type {AuditSnapshot} from './audit/verify.js'

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

export interface FileInfo {
  kind: 'file' | 'directory' | 'other'
  /** Permission bits only (mode & 0o777). */
  mode: number
}

export interface FileMode {
  /** Permission bits the file gets, whatever the umask (default 0o600). */
  mode?: number
}

/**
 * The machine ccmcp runs on: its files and its user. Every byte core reads or writes outside the
 * stores goes through here, so encryption at rest and other hosts have one place to hook in.
 * Programs run through Exec. Paths are absolute.
 */
export interface Host {
  /** The user's home directory as the OS records it (used when HOME is not set). */
  homeDir(): string
  /** null when nothing is there. */
  stat(file: string): Promise<FileInfo | null>
  realpath(file: string): Promise<string>
  /** The file's text (UTF-8), or null when it does not exist; any other failure rejects. */
  readText(file: string): Promise<string | null>
  /** Up to `length` bytes of the file from byte `offset`, and its size now; null when it does not exist. */
  readBytes(file: string, offset: number, length: number): Promise<{bytes: Uint8Array; size: number} | null>
  /** Replaces the file in one step (temporary file + rename next to it): readers never see half of it. */
  writeAtomic(file: string, text: string, options?: FileMode): Promise<void>
  /** Appends, creating the file (with `mode`) when it is missing. */
  append(file: string, text: string, options?: FileMode): Promise<void>
  copy(from: string, to: string): Promise<void>
  /** Creates the directory and its parents; an existing one is fine. Default mode 0o700. */
  mkdir(dir: string, options?: FileMode): Promise<void>
  /** Removes a file or a whole directory tree; a missing one is fine. */
  remove(target: string): Promise<void>
  /** Names in the directory; rejects when it cannot be read. */
  readdir(dir: string): Promise<string[]>
  /** A regular file this user may execute. */
  isExecutable(file: string): Promise<boolean>
  /** This process's id: delivery claims and launches are held in its name. */
  readonly pid: number
  /** Whether a process of this machine still runs (a dead holder's claim is free at once). */
  processAlive(pid: number): boolean
  /**
   * Runs `work`; if the process is told to stop meanwhile (Ctrl-C, SIGTERM, SIGHUP), runs
   * `cleanup` first and then ends as the signal would have.
   */
  releasedOnSignal<T>(cleanup: () => Promise<void>, work: () => Promise<T>): Promise<T>
}

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
  /** The argv that attaches a terminal to the tab (tmux), when there is one to run. */
  attach?: string[]
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
  /**
   * True once the tab's launcher has read its launch data and is running the agent's program
   * (so "ended within a second of starting" counts from the program, not from a launcher that a
   * loaded machine kept waiting). Backends that cannot tell leave it out.
   */
  handedOver?(tab: TabRef): Promise<boolean>
}

export interface Store<T> {
  /** The file this store keeps, for messages. */
  readonly path: string
  /** The current value, validated. Never waits for the write lock. */
  read(): Promise<T>
  /**
   * The only write path: `fn` gets the current value read under a cross-process lock and
   * returns the next one (or throws to write nothing). Returns what `fn` returned. `fn` may run
   * more than once (when this process was paused long enough to lose the lock, it reads again
   * and re-applies `fn`), so it must not have side effects. `through`: the values the change
   * passed on its way to `value`, oldest first, when it is several changes in one write (a fold of
   * spooled hook events), so that each step's status change is seen (notify/transitions.ts).
   */
  update<R>(fn: (value: T) => {value: T; result: R; through?: readonly T[]}): Promise<R>
  /**
   * Calls `listener` (debounced) after every write of the store, by this or any other process.
   * Returns the function that stops watching.
   */
  watch(listener: () => void): () => void
}

/**
 * How a store's value is kept on disk: `encode` turns plain JSON data into the file's bytes,
 * `decode` turns them back (throwing with the reason when it cannot). Plain JSON today; an
 * encrypting codec implements the same two functions. `file` names the file (e.g. for the
 * authenticated data of an encryption, or for an error).
 */
export interface StoreCodec {
  /** The format, for messages: "not valid JSON", "not valid encrypted JSON". */
  readonly name: string
  decode(bytes: Uint8Array, file: string): unknown | Promise<unknown>
  encode(value: unknown, file: string): string | Uint8Array | Promise<string | Uint8Array>
}

/** How one record of an append-only log (an agent's event log) is kept: a JSON line, or sealed like the stores. */
export interface LineCodec {
  /** One line, without its newline. */
  encodeLine(value: unknown, file: string): string | Promise<string>
}

export interface Clock {
  now(): Date
  sleep(ms: number): Promise<void>
}

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void
  warn(message: string, fields?: Record<string, unknown>): void
}

/** One operation as the pipeline saw it: who asked for what, and how it ended. */
export interface OperationRecord {
  operation: string
  caller: Caller
  /** The input as given (validated when outcome is not refused); a recorder digests it, never stores message text. */
  input: unknown
  /** refused: the authorize step (or the handler, with FORBIDDEN) said no; failed: it ran (or failed validation) and threw. */
  outcome: 'ok' | 'refused' | 'failed'
  error: {code: ErrorCode; reason: string | null} | null
  /** When the call started (ISO) and how long it took. */
  at: string
  ms: number
}

/** The pipeline's record step (the audit log plugs in here); ccmcp records nothing by default. */
export interface Recorder {
  record(entry: OperationRecord): void | Promise<void>
}

export const noRecorder: Recorder = {record() {}}

/**
 * ccmcp's master key (encryption at rest, audit checkpoints): from CCMCP_KEY, the OS keychain or
 * a 0600 key file, in that order. Each use derives its own key from it (HKDF with a purpose
 * label), so one secret is kept and rotated.
 */
export interface KeySource {
  /** The 32-byte master key; created and stored on first use where the source allows it. */
  masterKey(): Promise<Uint8Array>
  /** Which source gives the key and where it lives, for doctor and error messages. */
  describe(): Promise<{source: 'env' | 'keychain' | 'file'; where: string; note?: string; keyId?: string}>
}

/** `ccmcp key rotate`: every encrypted file under the ccmcp home re-encrypted with a new master key. */
export interface KeyRotation {
  rotate(): Promise<{previousKeyId: string; keyId: string; files: string[]; resumed: boolean}>
}

/** A session on another host: which host, and the ccmcp there as the remote shell runs it. */
export interface RemoteTarget {
  host: string
  remoteCcmcp: string
}

/** The ccmcp on other hosts, over the user's own OpenSSH (remote/wire.ts is the protocol). */
export interface RemoteHosts {
  /** Runs one operation on the host's ccmcp as its operator; its output, or its error as a CcmcpError. */
  call(target: RemoteTarget, operation: string, input: unknown): Promise<unknown>
  /** The argv a person runs to use `remoteLine` interactively on the host (ssh -t, their options). */
  interactiveArgv(target: RemoteTarget, remoteLine: string): string[]
}

/** The audit log as `audit verify` and `audit show` read it (adapters/audit-log-read.ts). */
export interface AuditReader {
  location(): {dir: string; anchorDir: string}
  /** Every log file, the checkpoints and the mirror, read under the log's lock, and (unless key is false) the key to check them with. */
  snapshot(options?: {key?: boolean}): Promise<AuditSnapshot>
}
