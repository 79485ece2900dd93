/**
 * The real JXA driver, run in node:vm against the simulated iTerm2 object model (no osascript,
 * no processes): window choice, identity by GUID, races, error paths, event budgets.
 */
import vm from 'node:vm'
import {describe, expect, it} from 'vitest'

import {DRIVER_SCRIPT} from '../../src/core/adapters/iterm2/driver.js'
import {runDriver, stateWith} from '../helpers/iterm2-sim/sim.js'

const COMMAND = '"/bin/sh" "/h/iterm2/launch.sh" "/h/iterm2/launch/launch-1.data"'
const create = (near: string[] = [], launch = true) => ({op: 'create' as const, command: COMMAND, title: 'Agent_1 · proj', agentKey: 'proj/Agent_1', near, launch})

describe('the driver source', () => {
  it('compiles as a script and defines run(argv)', () => {
    const context = vm.createContext({})
    new vm.Script(DRIVER_SCRIPT).runInContext(context)
    expect(typeof context.run).toBe('function')
  })

  it('uses only iTerm2 dictionary terms and plain JavaScript: a typo would fail here, not on a Mac', () => {
    const iterm = ['windows', 'id', 'byId', 'tabs', 'sessions', 'currentWindow', 'currentTab', 'currentSession', 'createTabWithDefaultProfile', 'createWindowWithDefaultProfile', 'write', 'text', 'tty', 'name', 'select', 'close', 'activate', 'launch', 'running', 'setVariable', 'isHotkeyWindow', 'miniaturized', 'length']
    const javascript = ['stringify', 'replace', 'toString', 'slice', 'charCodeAt', 'push', 'indexOf', 'hasOwnProperty', 'split', 'join', 'parse', 'max', 'errorNumber', 'message']
    // Member names, outside strings and comments, except on the request and on local records.
    const code = DRIVER_SCRIPT.replaceAll(/'(?:[^'\\]|\\.)*'/g, "''").replaceAll(/\/\/.*$/gm, '')
    const used = new Set([...code.matchAll(/(?<!\b(?:request|where|found|outcome|JSON|Math|OPS))\.([A-Za-z_]\w*)/g)].map((match) => match[1]))
    expect(used).toContain('createTabWithDefaultProfile')
    expect([...used].filter((term) => !iterm.includes(term as string) && !javascript.includes(term as string))).toEqual([])
  })

  it('never evaluates or shells out', () => {
    expect(DRIVER_SCRIPT).not.toMatch(/\beval\b|\bFunction\(|doShellScript|ObjC|\$\.|includeStandardAdditions/)
  })
})

describe('list', () => {
  it('lists every session of every window with one event per window, GUIDs not indexes', () => {
    const {state, ids} = stateWith([[1, 2], [1]])
    const {reply, events} = runDriver(state, {op: 'list'})
    expect(reply.ok).toBe(true)
    const [[a], [b, c]] = ids[0] as [[string], [string, string]]
    const [[d]] = ids[1] as [[string]]
    expect(reply.result?.sessions).toEqual([
      {id: a, windowId: state.windows[0]?.id, tabIndex: 0, panes: 1},
      {id: b, windowId: state.windows[0]?.id, tabIndex: 1, panes: 2},
      {id: c, windowId: state.windows[0]?.id, tabIndex: 1, panes: 2},
      {id: d, windowId: state.windows[1]?.id, tabIndex: 0, panes: 1},
    ])
    expect(events).toBe(1 + 2)
  })

  it('falls back to one event per tab where the nested getter comes back flat', () => {
    const {state, ids} = stateWith([[1, 2, 1]], {flatNestedGetters: true})
    const {reply, events} = runDriver(state, {op: 'list'})
    expect((reply.result?.sessions as Array<{id: string; panes: number}>).map((session) => [session.id, session.panes])).toEqual(
      (ids[0] as string[][]).flatMap((tab) => tab.map((id) => [id, tab.length])),
    )
    expect(events).toBe(1 + 1 + 1 + 3)
  })

  it('answers "not running" without launching iTerm2, for every operation but create', () => {
    const {state, ids} = stateWith([[1]], {running: false})
    const id = ids[0]?.[0]?.[0] as string
    expect(runDriver(state, {op: 'list'}).reply.result).toEqual({running: false, sessions: []})
    for (const request of [
      {op: 'read', sessionId: id, lines: 5},
      {op: 'write', sessionId: id, chunks: ['x'], enter: true, enterDelayMs: 1},
      {op: 'close', sessionId: id},
      {op: 'focus', sessionId: id},
    ] as const) {
      expect(runDriver(state, request).reply.result).toEqual({found: false, running: false})
    }
    expect(runDriver(state, create([], false)).reply.result).toEqual({created: false, running: false})
    expect(state.running).toBe(false)
    expect(state.implicitLaunches).toBe(0)
  })

  it('skips a window that cannot be read but not a permission error', () => {
    const {state} = stateWith([[1], [1]])
    expect(runDriver(state, {op: 'list'}, {errorAt: {event: 2, number: -1728, message: "Can't get window."}}).reply.result?.sessions).toHaveLength(1)
    const denied = runDriver(state, {op: 'list'}, {errorAt: {event: 2, number: -1743, message: 'Not authorized to send Apple events to iTerm2.'}}).reply
    expect(denied).toMatchObject({ok: false, error: {number: -1743, message: 'Not authorized to send Apple events to iTerm2.'}})
    state.denyAutomation = true
    expect(runDriver(state, {op: 'list'}).reply.error?.number).toBe(-1743)
  })
})

describe('create', () => {
  it('opens a tab in the current window, named and tagged, and reports its GUID, tty and window', () => {
    const {state} = stateWith([[1], [1]])
    const front = state.windows[0]
    const {reply} = runDriver(state, create())
    const result = reply.result as Record<string, unknown>
    expect(result).toMatchObject({created: true, newWindow: false, windowId: front?.id, warnings: []})
    expect(front?.tabs).toHaveLength(2)
    expect(front?.tabs[1]?.sessions).toEqual([result.sessionId])
    const session = state.sessions[result.sessionId as string]
    expect(session).toMatchObject({name: 'Agent_1 · proj', vars: {'user.ccmcpAgent': 'proj/Agent_1'}, command: COMMAND, tty: result.tty})
    expect(session?.argv).toEqual(['/bin/sh', '/h/iterm2/launch.sh', '/h/iterm2/launch/launch-1.data'])
  })

  it('prefers the window holding the group (or the caller), whatever window is in front', () => {
    const {state, ids} = stateWith([[1], [1], [1]])
    const back = ids[2]?.[0]?.[0] as string
    const middle = ids[1]?.[0]?.[0] as string
    const {reply} = runDriver(state, create(['NOT-THERE', back, middle]))
    expect(reply.result?.windowId).toBe(state.windows[2]?.id)
    expect(state.windows[2]?.tabs).toHaveLength(2)
  })

  it('opens a new window when there is none, when the front one is a hotkey window, or when its layout is locked', () => {
    const none = stateWith([])
    expect(runDriver(none.state, create()).reply.result).toMatchObject({created: true, newWindow: true})
    expect(none.state.windows).toHaveLength(1)

    const hotkey = stateWith([[1]])
    hotkey.state.windows.unshift({id: 1, hotkey: true, miniaturized: false, lockedLayout: false, currentTab: 0, tabs: []})
    expect(runDriver(hotkey.state, create()).reply.result).toMatchObject({newWindow: true})

    const locked = stateWith([[1]])
    const lockedWindow = locked.state.windows[0]
    if (lockedWindow) lockedWindow.lockedLayout = true
    expect(runDriver(locked.state, create()).reply.result).toMatchObject({newWindow: true})
    expect(lockedWindow?.tabs).toHaveLength(1)
  })

  it('launches a stopped iTerm2 and uses the window it opens instead of adding a second', () => {
    const {state} = stateWith([], {running: false, launchOpensWindow: true})
    const {reply} = runDriver(state, create())
    expect(reply.result).toMatchObject({created: true, newWindow: false})
    expect(state.windows).toHaveLength(1)
    expect(state.windows[0]?.tabs).toHaveLength(2)
    expect(state.implicitLaunches).toBe(0)
  })
})

describe('write', () => {
  it('types each chunk verbatim, waits, then sends a separate CR', () => {
    const {state, ids} = stateWith([[1]])
    const id = ids[0]?.[0]?.[0] as string
    const chunks = ['\u001B[200~line "one"\n$(two) 🎉', ' end\u001B[201~']
    const {reply, delays} = runDriver(state, {op: 'write', sessionId: id, chunks, enter: true, enterDelayMs: 180})
    expect(reply.result).toEqual({found: true, running: true})
    expect(state.sessions[id]?.written).toEqual([...chunks, '\r'])
    expect(delays).toEqual([0.18])
  })

  it('when the session vanished between events, looks again once and finishes without repeating a chunk', () => {
    const {state, ids} = stateWith([[1]])
    const id = ids[0]?.[0]?.[0] as string
    // Events: windows.id, matrix, then the first write fails with -1728.
    const {reply} = runDriver(state, {op: 'write', sessionId: id, chunks: ['a', 'b'], enter: true, enterDelayMs: 0}, {errorAt: {event: 3, number: -1728, message: "Can't get session."}})
    expect(reply.result).toEqual({found: true, running: true})
    expect(state.sessions[id]?.written).toEqual(['a', 'b', '\r'])
  })

  it('reports a session that is really gone', () => {
    const {state, ids} = stateWith([[1, 1]])
    const id = ids[0]?.[1]?.[0] as string
    expect(runDriver(state, {op: 'write', sessionId: id, chunks: ['a'], enter: false, enterDelayMs: 0}, {vanishAt: {event: 2, sessionId: id}}).reply.result).toEqual({found: false, running: true})
    expect(runDriver(state, {op: 'write', sessionId: 'NOPE', chunks: ['a'], enter: false, enterDelayMs: 0}).reply.result).toEqual({found: false, running: true})
  })
})

describe('read, close, focus', () => {
  it('reads only the last lines, trailing blank lines removed, as ASCII JSON that round-trips', () => {
    const {state, ids} = stateWith([[1]])
    const id = ids[0]?.[0]?.[0] as string
    const session = state.sessions[id]
    if (session) session.contents = `${Array.from({length: 10}, (_, index) => `line ${index} 日本 🎉`).join('\n')}\n\n   \n`
    const {reply, raw} = runDriver(state, {op: 'read', sessionId: id, lines: 3})
    expect(raw).toMatch(/^[\x20-\x7e]*$/)
    expect(reply.result?.text).toBe('line 7 日本 🎉\nline 8 日本 🎉\nline 9 日本 🎉')
  })

  it('closes the whole tab for a single pane, only the pane in a split tab', () => {
    const {state, ids} = stateWith([[1, 2]])
    const [[single], [left, right]] = ids[0] as [[string], [string, string]]
    expect(runDriver(state, {op: 'close', sessionId: single}).reply.result).toEqual({found: true, running: true, closed: 'tab', gone: true})
    expect(runDriver(state, {op: 'close', sessionId: left}).reply.result).toMatchObject({closed: 'session', gone: true})
    expect(state.windows[0]?.tabs).toEqual([{currentSession: 0, sessions: [right]}])
    expect(runDriver(state, {op: 'close', sessionId: 'GONE'}).reply.result).toEqual({found: false, running: true})
  })

  it('never closes another tab when tab indexes shift under it', () => {
    const {state, ids} = stateWith([[1, 1, 1]])
    const [[a], [b], [c]] = ids[0] as [[string], [string], [string]]
    // After locating b at index 1, tab a closes: index 1 is now c's tab.
    const {reply} = runDriver(state, {op: 'close', sessionId: b}, {vanishAt: {event: 3, sessionId: a}})
    expect(reply.result).toMatchObject({found: true, closed: 'tab', gone: true})
    expect(Object.keys(state.sessions)).toEqual([c])
  })

  it('focus brings window, tab and pane forward and activates iTerm2', () => {
    const {state, ids} = stateWith([[1], [1, 2]])
    const target = ids[1]?.[1]?.[1] as string
    const back = state.windows[1]
    if (back) back.miniaturized = true
    expect(runDriver(state, {op: 'focus', sessionId: target}).reply.result).toEqual({found: true, running: true})
    expect(state.windows[0]).toBe(back)
    expect(back).toMatchObject({miniaturized: false, currentTab: 1})
    expect(back?.tabs[1]?.currentSession).toBe(1)
    expect(state.frontmost).toBe(true)
  })
})

describe('requests it refuses', () => {
  it.each([['not json'], [JSON.stringify({v: 2, op: 'list'})], [JSON.stringify({v: 1, op: 'rm -rf'})], [JSON.stringify({v: 1, op: 'constructor'})]])('%s', (arg) => {
    const {state} = stateWith([[1]])
    const context = vm.createContext({Application: () => {
      throw new Error('must not be reached')
    }})
    new vm.Script(DRIVER_SCRIPT).runInContext(context)
    const reply = JSON.parse((context.run as (argv: string[]) => string)([arg]))
    expect(reply).toMatchObject({protocol: 1, ok: false, error: {kind: 'bad-request'}})
    expect(state.windows).toHaveLength(1)
  })
})
