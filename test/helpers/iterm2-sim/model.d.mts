/** Types for model.mjs (the simulator stays plain JS so the fake osascript starts fast). */
export interface SimSession {
  name: string
  tty: string | null
  vars: Record<string, string>
  rows: number
  columns: number
  command: string | null
  argv?: string[]
  contents: string
  written: string[]
  ended: {status: number} | null
}
export interface SimTab {
  currentSession: number
  sessions: string[]
}
export interface SimWindow {
  id: number
  hotkey: boolean
  miniaturized: boolean
  lockedLayout: boolean
  currentTab: number
  tabs: SimTab[]
}
export interface Fault {
  type: 'stdout' | 'stderr' | 'delay' | 'quit' | 'error' | 'vanish'
  /** Only the next run of this driver op takes the fault. */
  op?: string
  text?: string
  code?: number
  ms?: number
  number?: number
  message?: string
  atEvent?: number
  sessionId?: string
}
export interface SimState {
  installed: boolean
  running: boolean
  version: string
  launchOpensWindow: boolean
  closeOnEnd: boolean
  promptOnClose: boolean
  denyAutomation: boolean
  flatNestedGetters: boolean
  modal: string | null
  frontmost: boolean
  nextWindowId: number
  nextTty: number
  implicitLaunches: number
  windows: SimWindow[]
  sessions: Record<string, SimSession>
  faults: Fault[]
}
export interface CallFaults {
  errorAt?: {event: number; number: number; message: string}
  vanishAt?: {event: number; sessionId: string}
}
export const BUNDLE_ID: string
export function emptyState(overrides?: Partial<SimState>): SimState
export function jxaError(number: number, message: string): Error & {errorNumber: number}
export class SimulatedITerm {
  constructor(state: SimState, options?: {home?: string; callFaults?: CallFaults; block?: (why: string) => void})
  readonly state: SimState
  events: number
  Application: (name: string) => unknown
  newWindow(command: string | null): SimWindow
  removeSession(guid: string): void
}
