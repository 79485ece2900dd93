/**
 * Test-side handle on the simulated iTerm2: a temp dir holding its state, a bin dir whose
 * `osascript` is the fake (put first on PATH), fault injection, the call log, and cleanup of the
 * session processes. Also runs the driver in-process against a state (no osascript, no
 * processes) for fast scenario tests.
 */
import {randomUUID} from 'node:crypto'
import {existsSync, readFileSync, readdirSync} from 'node:fs'
import {mkdir, mkdtemp, rm, symlink} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import vm from 'node:vm'

import {DRIVER_SCRIPT} from '../../../src/core/adapters/iterm2/driver.js'
import {type DriverRequest, encodeRequest} from '../../../src/core/adapters/iterm2/protocol.js'
import {type CallFaults, type Fault, type SimState, SimulatedITerm, emptyState} from './model.mjs'
import {loadState, withState} from './store.mjs'

const FAKE_OSASCRIPT = fileURLToPath(new URL('./osascript.mjs', import.meta.url))

export interface CallRecord {
  argv: string[]
  scriptSha256: string
  lang: string | null
  op: string | null
  exit: number
  events: number
  ms: number
}

export interface Sim {
  dir: string
  /** The home directory sessions start in (iTerm2's default working directory). */
  home: string
  /** PATH with the fake osascript first, and where it finds the simulator. */
  env: Record<string, string>
  state(): SimState
  change(fn: (state: SimState) => void): void
  fault(fault: Fault): void
  calls(): CallRecord[]
  /** Sessions in window/tab order, with their GUIDs. */
  sessions(): Array<{id: string; windowId: number; tabIndex: number} & SimState['sessions'][string]>
  cleanup(): Promise<void>
}

export async function createSim(initial: Partial<SimState> = {}): Promise<Sim> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ccit-'))
  const bin = path.join(dir, 'bin')
  const home = path.join(dir, 'home')
  await mkdir(bin)
  await mkdir(home)
  await symlink(FAKE_OSASCRIPT, path.join(bin, 'osascript'))
  const sim: Sim = {
    dir,
    home,
    env: {PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`, ITERM2_SIM_DIR: dir, ITERM2_SIM_HOME: home},
    state: () => loadState(dir),
    change: (fn) => withState(dir, fn),
    fault: (fault) => withState(dir, (state) => void state.faults.push(fault)),
    calls() {
      const file = path.join(dir, 'calls.jsonl')
      return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as CallRecord) : []
    },
    sessions() {
      const state = loadState(dir)
      return state.windows.flatMap((win) =>
        win.tabs.flatMap((tab, tabIndex) => tab.sessions.map((id) => ({id, windowId: win.id, tabIndex, ...(state.sessions[id] as SimState['sessions'][string])}))),
      )
    },
    async cleanup() {
      const sessionsDir = path.join(dir, 'sessions')
      for (const guid of existsSync(sessionsDir) ? readdirSync(sessionsDir) : []) {
        const info = path.join(sessionsDir, guid, 'info.json')
        if (!existsSync(info)) continue
        const {hostPid, scriptPid, childPid} = JSON.parse(readFileSync(info, 'utf8')) as Record<string, number | null>
        for (const pid of [childPid && -childPid, scriptPid, hostPid]) {
          try {
            if (pid) process.kill(pid, 'SIGKILL')
          } catch {
            // already gone
          }
        }
      }
      await rm(dir, {recursive: true, force: true})
    },
  }
  withState(dir, (state) => Object.assign(state, emptyState(initial)))
  return sim
}

export interface InProcessRun {
  reply: {protocol: number; ok: boolean; result?: Record<string, unknown>; error?: {kind?: string; message: string; number: number | null}}
  events: number
  delays: number[]
  /** The raw string run() returned. */
  raw: string
}

/** Runs the real driver once, in this process, against `state` (changed in place). */
export function runDriver(state: SimState, request: DriverRequest | Record<string, unknown>, callFaults: CallFaults = {}): InProcessRun {
  const sim = new SimulatedITerm(state, {callFaults, block: (why) => {
    throw new Error(`blocked by a dialog: ${why}`)
  }})
  const delays: number[] = []
  const context = vm.createContext({Application: sim.Application, delay: (seconds: number) => void delays.push(seconds)})
  new vm.Script(DRIVER_SCRIPT).runInContext(context)
  const argv = 'op' in request && typeof request.op === 'string' ? [encodeRequest(request as DriverRequest)] : [JSON.stringify(request)]
  const raw = (context.run as (argv: string[]) => string)(argv)
  return {reply: JSON.parse(raw), events: sim.events, delays, raw}
}

/** A state with windows (front first) of plain sessions (no programs): [[panes per tab] per window]. */
export function stateWith(layout: number[][], overrides: Partial<SimState> = {}): {state: SimState; ids: string[][][]} {
  const state = emptyState({launchOpensWindow: false, ...overrides})
  const ids = layout.map((tabs) => tabs.map((panes) => Array.from({length: panes}, () => randomUUID().toUpperCase())))
  state.windows = ids.map((tabs) => ({
    id: state.nextWindowId++,
    hotkey: false,
    miniaturized: false,
    lockedLayout: false,
    currentTab: 0,
    tabs: tabs.map((sessions) => ({currentSession: 0, sessions})),
  }))
  for (const id of ids.flat(2)) addShellSession(state, id)
  return {state, ids}
}

/** A user's own shell session (no program behind it): ccmcp must leave it alone. */
function addShellSession(state: SimState, id: string): void {
  state.sessions[id] = {name: 'Default (-zsh)', tty: `/dev/ttys${String(state.nextTty++).padStart(3, '0')}`, vars: {}, rows: 50, columns: 200, command: null, contents: 'user@mac ~ % ', written: [], ended: null}
}

/** Puts a window with one shell tab in front. */
export function addShellWindow(state: SimState): void {
  const id = randomUUID().toUpperCase()
  addShellSession(state, id)
  state.windows.unshift({id: state.nextWindowId++, hotkey: false, miniaturized: false, lockedLayout: false, currentTab: 0, tabs: [{currentSession: 0, sessions: [id]}]})
}
