/**
 * A simulated iTerm2 as JXA sees it: Application('com.googlecode.iterm2') → windows → tabs →
 * sessions (the JXA shapes are in jxa.mjs). Property reads, commands and property writes are
 * Apple events: each is counted and can be made to fail; a stopped iTerm2 is launched by any
 * event, as the real one is; a modal dialog blocks every event.
 *
 * `state` is plain JSON (persisted between osascript runs by the caller); `processes` runs real
 * programs for sessions with a command (null: sessions only record what was written to them).
 */
import {randomUUID} from 'node:crypto'

import {jxaError} from './errors.mjs'
import {makeSpecifier, resolveOne} from './jxa.mjs'
import {renderScreen} from './terminal.mjs'
import {ParameterPrompt, componentsInShellCommand} from './tokenize.mjs'

export const BUNDLE_ID = 'com.googlecode.iterm2'

export {jxaError}

export function emptyState(overrides = {}) {
  return {
    installed: true,
    running: true,
    version: '3.5.14',
    launchOpensWindow: true,
    closeOnEnd: false,
    promptOnClose: false,
    denyAutomation: false,
    flatNestedGetters: false,
    modal: null,
    frontmost: false,
    nextWindowId: 40_000,
    nextTty: 1,
    implicitLaunches: 0,
    windows: [],
    sessions: {},
    faults: [],
    ...overrides,
  }
}

export class SimulatedITerm {
  /** callFaults: {errorAt: {event, number, message}, vanishAt: {event, sessionId}} for this run. */
  constructor(state, {processes = null, home = '/Users/sim', callFaults = {}, block = () => {}} = {}) {
    this.state = state
    this.processes = processes
    this.home = home
    this.callFaults = callFaults
    this.block = block
    this.events = 0
    this.specs = new WeakMap()
  }

  /** The global JXA gives scripts. */
  Application = (name) => {
    if (name !== BUNDLE_ID || !this.state.installed) throw jxaError(-2700, "Application can't be found.")
    return this.specifier('app', [], false)
  }

  /** Session programs that ended since the last run: kept, or closed when the profile says so. */
  refresh() {
    if (!this.processes) return
    for (const [guid, session] of Object.entries(this.state.sessions)) {
      if (session.ended || !session.command) continue
      const status = this.processes.exitStatus(guid)
      if (status === null) continue
      session.ended = {status}
      if (this.state.closeOnEnd) this.removeSession(guid)
    }
  }

  event() {
    this.events++
    if (this.state.denyAutomation) throw jxaError(-1743, 'Not authorized to send Apple events to iTerm2.')
    if (this.state.modal) this.block(this.state.modal)
    // Any Apple event to a stopped iTerm2 launches it (iterm2.md P2); counted so tests can forbid it.
    if (!this.state.running) {
      this.state.implicitLaunches++
      this.launch()
    }
    const {errorAt, vanishAt} = this.callFaults
    if (errorAt && errorAt.event === this.events) throw jxaError(errorAt.number, errorAt.message)
    if (vanishAt && vanishAt.event === this.events && this.state.sessions[vanishAt.sessionId]) this.removeSession(vanishAt.sessionId)
  }

  launch() {
    this.state.running = true
    if (this.state.launchOpensWindow && this.state.windows.length === 0) this.newWindow(null)
  }

  specifier(kind, steps, isCollection) {
    return makeSpecifier(this, kind, steps, isCollection)
  }

  resolveOne(steps) {
    return resolveOne(this.state, steps)
  }

  read(leaf, key) {
    const {state} = this
    const ref = (kind, steps) => (steps ? this.specifier(kind, steps, false) : null)
    switch (`${leaf.kind}.${key}`) {
      case 'app.version':
        return state.version
      case 'app.name':
        return 'iTerm2'
      case 'app.frontmost':
        return state.frontmost
      case 'app.currentWindow':
        return ref('window', state.windows[0] && [{name: 'windows', by: 'id', key: state.windows[0].id}])
      case 'window.id':
        return leaf.obj.id
      case 'window.index':
        return state.windows.indexOf(leaf.obj) + 1
      case 'window.isHotkeyWindow':
        return Boolean(leaf.obj.hotkey)
      case 'window.currentTab':
        return ref('tab', leaf.obj.tabs[leaf.obj.currentTab] && [...leaf.canon, {name: 'tabs', by: 'index', key: leaf.obj.currentTab}])
      case 'window.name':
      case 'window.currentSession': {
        const tab = leaf.obj.tabs[leaf.obj.currentTab]
        const guid = tab?.sessions[tab.currentSession]
        if (key === 'window.name') return guid ? state.sessions[guid].name : ''
        return ref('session', guid && [...leaf.canon, {name: 'tabs', by: 'index', key: leaf.obj.currentTab}, {name: 'sessions', by: 'id', key: guid}])
      }
      case 'tab.index':
        return leaf.win.tabs.indexOf(leaf.obj) + 1
      case 'tab.currentSession': {
        const guid = leaf.obj.sessions[leaf.obj.currentSession]
        return ref('session', guid && [...leaf.canon, {name: 'sessions', by: 'id', key: guid}])
      }
      case 'session.id':
      case 'session.uniqueID':
        return leaf.id
      case 'session.text':
      case 'session.contents':
        return this.contents(leaf.id)
      case 'session.isProcessing':
      case 'session.isAtShellPrompt':
        return false
      case 'session.profileName':
        return 'Default'
      default:
        return leaf.obj[key]
    }
  }

  command(leaf, name, args) {
    const params = (index) => args[index] ?? {}
    switch (`${leaf.kind}.${name}`) {
      case 'app.activate':
        this.state.frontmost = true
        return undefined
      case 'app.createWindowWithDefaultProfile':
        return this.specifier('window', [{name: 'windows', by: 'id', key: this.newWindow(commandOf(params(0))).id}], false)
      case 'app.variable':
      case 'app.setVariable': {
        const target = this.specs.get(args[0])
        if (target?.kind !== 'session') throw jxaError(-1703, 'The direct parameter must be a session.')
        return this.variable(this.resolveOne(target.steps), name, params(1))
      }
      case 'window.select':
        this.state.windows = [leaf.obj, ...this.state.windows.filter((win) => win !== leaf.obj)]
        return undefined
      case 'window.close':
        for (const tab of [...leaf.obj.tabs]) for (const guid of [...tab.sessions]) this.removeSession(guid)
        return undefined
      case 'window.createTabWithDefaultProfile': {
        // A window whose layout is locked makes createTab return nil (iterm2.md P16).
        if (leaf.obj.lockedLayout) return null
        const tab = {currentSession: 0, sessions: [this.newSession(commandOf(params(0)), this.state.windows.indexOf(leaf.obj), leaf.obj.tabs.length)]}
        leaf.obj.tabs.push(tab)
        leaf.obj.currentTab = leaf.obj.tabs.length - 1
        return this.specifier('tab', [...leaf.canon, {name: 'tabs', by: 'index', key: leaf.obj.currentTab}], false)
      }
      case 'tab.select':
        leaf.win.currentTab = leaf.win.tabs.indexOf(leaf.obj)
        return undefined
      case 'tab.close':
        for (const guid of [...leaf.obj.sessions]) this.removeSession(guid)
        return undefined
      case 'session.select':
        leaf.tab.currentSession = leaf.tab.sessions.indexOf(leaf.id)
        return undefined
      case 'session.close':
        // "Prompt before closing" shows a dialog that blocks every later event (iterm2.md §8).
        if (this.state.promptOnClose) {
          this.state.modal = 'Close this session?'
          this.block(this.state.modal)
        }
        this.removeSession(leaf.id)
        return undefined
      case 'session.write':
        return this.write(leaf, params(0))
      case 'session.variable':
      case 'session.setVariable':
        return this.variable(leaf, name, params(0))
      default:
        throw new TypeError(`${leaf.kind} does not understand ${name}`)
    }
  }

  variable(leaf, name, {named, to}) {
    if (typeof named !== 'string') throw jxaError(-1701, 'Missing named parameter.')
    if (name === 'variable') return leaf.obj.vars[named] ?? ''
    if (!named.startsWith('user.')) throw jxaError(3, 'Only user variables may be set.')
    leaf.obj.vars[named] = String(to)
    return String(to)
  }

  write(leaf, {text, newline}) {
    if (typeof text !== 'string') throw jxaError(-1701, 'write needs text.')
    const bytes = newline === false ? text : `${text}\r`
    const session = leaf.obj
    session.written.push(bytes)
    if (session.written.length > 200) session.written.shift()
    // A write to a session whose program ended is dropped silently (iterm2.md §2).
    if (session.ended || !session.command || !this.processes) return undefined
    this.processes.write(leaf.id, bytes)
    return undefined
  }

  contents(guid) {
    const session = this.state.sessions[guid]
    return this.processes && session.command ? renderScreen(this.processes.output(guid)) : session.contents
  }

  newWindow(command) {
    const win = {id: this.state.nextWindowId++, hotkey: false, miniaturized: false, lockedLayout: false, currentTab: 0, tabs: []}
    this.state.windows.unshift(win)
    win.tabs.push({currentSession: 0, sessions: [this.newSession(command, 0, 0)]})
    return win
  }

  newSession(command, windowIndex, tabIndex) {
    const guid = randomUUID().toUpperCase()
    const session = {name: command ? 'Default (sh)' : 'Default (-zsh)', tty: null, vars: {}, rows: 50, columns: 200, command, contents: '', written: [], ended: null}
    if (!command) {
      session.contents = 'Last login: Mon Jan  1 09:00:00 on ttys000\nuser@mac ~ % '
      session.tty = `/dev/ttys${String(this.state.nextTty++).padStart(3, '0')}`
    } else {
      let argv
      try {
        argv = componentsInShellCommand(command, this.home)
      } catch (error) {
        if (!(error instanceof ParameterPrompt)) throw error
        this.state.modal = `Parameters for ${command}`
        this.block(this.state.modal)
      }
      session.argv = argv
      if (this.processes) {
        session.tty = this.processes.start(guid, {argv, env: this.sessionEnv(guid, windowIndex, tabIndex), cwd: this.home, rows: session.rows, columns: session.columns}).tty
      } else {
        session.tty = `/dev/ttys${String(this.state.nextTty++).padStart(3, '0')}`
      }
    }
    this.state.sessions[guid] = session
    return guid
  }

  /** What iTerm2 gives a custom command: launchd's environment plus its own variables. */
  sessionEnv(guid, windowIndex, tabIndex) {
    const termId = `w${windowIndex}t${tabIndex}p0`
    return {
      PATH: '/usr/bin:/bin:/usr/sbin:/sbin',
      HOME: this.home,
      SHELL: '/bin/sh',
      __CFBundleIdentifier: BUNDLE_ID,
      XPC_SERVICE_NAME: '0',
      TERM: 'xterm-256color',
      COLORTERM: 'truecolor',
      TERM_PROGRAM: 'iTerm.app',
      TERM_PROGRAM_VERSION: this.state.version,
      ITERM_SESSION_ID: `${termId}:${guid}`,
      TERM_SESSION_ID: `${termId}:${guid}`,
      ITERM_PROFILE: 'Default',
      LC_TERMINAL: 'iTerm2',
      LC_TERMINAL_VERSION: this.state.version,
    }
  }

  /** A session leaves: its pty hangs up; an emptied tab and window close too. */
  removeSession(guid) {
    this.processes?.hangUp(guid)
    delete this.state.sessions[guid]
    for (const win of this.state.windows) {
      for (const tab of win.tabs) {
        const index = tab.sessions.indexOf(guid)
        if (index >= 0) {
          tab.sessions.splice(index, 1)
          tab.currentSession = Math.min(tab.currentSession, Math.max(0, tab.sessions.length - 1))
        }
      }
      win.tabs = win.tabs.filter((tab) => tab.sessions.length > 0)
      win.currentTab = Math.min(win.currentTab, Math.max(0, win.tabs.length - 1))
    }
    this.state.windows = this.state.windows.filter((win) => win.tabs.length > 0 || win.hotkey)
  }
}

function commandOf(params) {
  return typeof params.command === 'string' ? params.command : null
}
