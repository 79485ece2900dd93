import {randomUUID} from 'node:crypto'
/**
 * ITerm2Backend as ccmcp runs it: execa → the fake `osascript` on PATH → the real driver in
 * node:vm → the simulated iTerm2, whose sessions run real programs on real ptys.
 */
import {createHash} from 'node:crypto'
import {existsSync, statSync} from 'node:fs'
import {mkdtemp, readFile, readdir, rm} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {execaExec} from '../../src/core/adapters/exec.js'
import {ITerm2Backend, type ITerm2BackendOptions} from '../../src/core/adapters/iterm2/backend.js'
import {DRIVER_SCRIPT} from '../../src/core/adapters/iterm2/driver.js'
import type {TabRef} from '../../src/core/domain/state.js'
import {systemClock} from '../../src/core/entry/runtime.js'
import {pidAlive, receivedBy, submittedBytes} from '../helpers/agent-records.js'
import {eventually, fakeAgent} from '../helpers/cli.js'
import {HOSTILE_MESSAGES} from '../helpers/hostile.js'
import {type Sim, addShellWindow, createSim} from '../helpers/iterm2-sim/sim.js'

let sim: Sim
let home: string
let cwd: string
let warnings: string[]
const baseEnv = {HOME: os.homedir(), LANG: 'C.UTF-8'}

function makeBackend(overrides: Partial<ITerm2BackendOptions> = {}) {
  return new ITerm2Backend({
    exec: execaExec,
    clock: systemClock,
    logger: {debug() {}, warn: (message) => void warnings.push(message)},
    home,
    env: {...baseEnv, ...sim.env},
    submitDelayMs: 0,
    ...overrides,
  })
}

const agentEnv = () => ({...baseEnv, PATH: process.env.PATH ?? '/usr/bin:/bin', CCMCP_AGENT: 'Agent_1'})
const open = (backend: ITerm2Backend, argv: string[], extra: Record<string, string> = {}) =>
  backend.openTab({group: 'proj', title: 'Agent_1 · proj', agentKey: 'proj/Agent_1', launchId: randomUUID(), cwd, argv, env: {...agentEnv(), ...extra}})
const openFakeAgent = (backend: ITerm2Backend) => open(backend, [process.execPath, fakeAgent, path.join(home, 'records'), ''])

/** A listed tab's ref: listing reports the launch id beside the ref, not in it. */
const bare = ({launchId: _launch, ...ref}: TabRef) => ref

async function ready(backend: ITerm2Backend, tab: TabRef): Promise<void> {
  await eventually(async () => ((await backend.readScreen(tab, 5)).includes('ready') ? true : undefined))
}

beforeEach(async () => {
  sim = await createSim()
  home = await mkdtemp(path.join(os.tmpdir(), 'cci-'))
  cwd = await mkdtemp(path.join(os.tmpdir(), `cc root 'q' $X é-`))
  warnings = []
})
afterEach(async () => {
  await sim.cleanup()
  await rm(home, {recursive: true, force: true})
  await rm(cwd, {recursive: true, force: true})
})

describe('ITerm2Backend over the simulated iTerm2', () => {
  it('opens a named, tagged tab whose program runs in cwd with exactly the given environment, as the tab process', async () => {
    const backend = makeBackend()
    const out = path.join(home, 'seen.json')
    const dump = `require('fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify({cwd: process.cwd(), env: process.env, argv: process.argv.slice(1), pid: process.pid})); setInterval(() => {}, 1000)`
    const tab = await open(backend, [process.execPath, '-e', dump, '--', 'arg;', '$(x)', '', 'é🎉'], {TRICKY: 'a\nb $HOME `id`'})
    expect(tab).toEqual({backend: 'iterm2', sessionId: expect.stringMatching(/^[0-9A-F-]{36}$/), launchId: expect.any(String)})
    const seen = await eventually(async () => (existsSync(out) ? JSON.parse(await readFile(out, 'utf8')) : undefined))
    expect(seen.cwd).toBe(cwd)
    expect(seen.argv).toEqual(['arg;', '$(x)', '', 'é🎉'])
    const {TERM, ITERM_SESSION_ID, TERM_PROGRAM, __CFBundleIdentifier, ...rest} = seen.env
    expect({TERM, TERM_PROGRAM, __CFBundleIdentifier}).toEqual({TERM: 'xterm-256color', TERM_PROGRAM: 'iTerm.app', __CFBundleIdentifier: undefined})
    expect(ITERM_SESSION_ID).toMatch(new RegExp(`:${tab.sessionId}$`))
    expect(rest).toMatchObject({...agentEnv(), TRICKY: 'a\nb $HOME `id`', CLAUDE_CODE_DISABLE_TERMINAL_TITLE: '1'})
    const session = sim.sessions().find((candidate) => candidate.id === tab.sessionId)
    expect(session).toMatchObject({name: 'Agent_1 · proj', vars: {'user.ccmcpAgent': 'proj/Agent_1'}})
    // The launcher is the fixed one, 0600 (run by /bin/sh, never executed itself); the one-shot data file is gone; the pid is the program's.
    expect(statSync(path.join(home, 'iterm2', 'launch.sh')).mode & 0o777).toBe(0o600)
    const files = await readdir(path.join(home, 'iterm2', 'launch'))
    expect(files.filter((file) => file.endsWith('.data'))).toEqual([])
    const [pidFile] = files.filter((file) => file.endsWith('.pid'))
    expect(Number(await readFile(path.join(home, 'iterm2', 'launch', pidFile as string), 'utf8'))).toBe(seen.pid)
    await backend.closeTab(tab)
    await eventually(async () => (pidAlive(seen.pid) ? undefined : true))
  })

  it('delivers hostile text byte-exact; user text reaches osascript only as ASCII argv data to one fixed script', async () => {
    const backend = makeBackend()
    const tab = await openFakeAgent(backend)
    await ready(backend, tab)
    for (const message of HOSTILE_MESSAGES) await backend.sendText(tab, message, {submit: true})
    const received = await receivedBy(path.join(home, 'records'), 'Agent_1', HOSTILE_MESSAGES)
    expect(received.prompts).toEqual(HOSTILE_MESSAGES)
    expect(received.bytes.equals(submittedBytes(HOSTILE_MESSAGES))).toBe(true)

    const calls = sim.calls()
    const driverHash = createHash('sha256').update(DRIVER_SCRIPT).digest('hex')
    expect(new Set(calls.map((call) => call.scriptSha256))).toEqual(new Set([driverHash]))
    for (const call of calls) {
      expect(call.argv.slice(0, 3)).toEqual(['-l', 'JavaScript', '-'])
      expect(call.argv).toHaveLength(4)
      expect(call.argv[3]).toMatch(/^[\x20-\x7e]*$/)
      expect(call.lang).toBe('C.UTF-8')
    }
    const writes = calls.filter((call) => call.op === 'write').map((call) => JSON.parse(call.argv[3] as string).chunks.join(''))
    expect(writes).toEqual(HOSTILE_MESSAGES.map((message) => (message.includes('\n') ? `\u001B[200~${message}\u001B[201~` : message)))
    for (const message of HOSTILE_MESSAGES.filter((candidate) => candidate.length > 8)) expect(DRIVER_SCRIPT).not.toContain(message)
  })

  it('lists only its own tabs in one call, tells exited from running, and forgets closed ones', async () => {
    const backend = makeBackend()
    sim.change(addShellWindow)
    const first = await openFakeAgent(backend)
    const second = await open(backend, ['sleep', '600'])
    await ready(backend, first)
    const before = sim.calls().length
    const tabs = await backend.listTabs()
    expect(sim.calls().slice(before).map((call) => call.op)).toEqual(['list'])
    expect(tabs).toEqual([
      {tab: bare(first), agentKey: 'proj/Agent_1', launchId: first.launchId, alive: true, exitStatus: null},
      {tab: bare(second), agentKey: 'proj/Agent_1', launchId: second.launchId, alive: true, exitStatus: null},
    ])
    // Both went to the window in front, next to the user's own shell, which is not listed.
    expect(sim.sessions().map((session) => [session.windowId, session.name])).toEqual([
      [sim.state().windows[0]?.id, 'Default (-zsh)'],
      [sim.state().windows[0]?.id, 'Agent_1 · proj'],
      [sim.state().windows[0]?.id, 'Agent_1 · proj'],
    ])

    // Ctrl-D ends the fake agent; iTerm2 keeps the tab (the profile's default), ccmcp sees it ended.
    await backend.sendText(first, '\u0004', {submit: false})
    await eventually(async () => ((await backend.listTabs()).find((info) => info.tab.sessionId === first.sessionId)?.alive === false ? true : undefined))

    await backend.closeTab(second)
    await backend.closeTab(second)
    expect((await backend.listTabs()).map((info) => info.tab)).toEqual([bare(first)])
    expect(sim.sessions().map((session) => session.name)).toEqual(['Default (-zsh)', 'Agent_1 · proj'])
  })

  it('a tab closed with its program (Close Sessions On End) is simply not listed', async () => {
    sim.change((state) => void (state.closeOnEnd = true))
    const backend = makeBackend()
    const tab = await open(backend, ['sh', '-c', 'exit 3'])
    await eventually(async () => ((await backend.listTabs()).length === 0 ? true : undefined))
    await expect(backend.sendText(tab, 'hello', {submit: true})).rejects.toMatchObject({code: 'AGENT_NOT_RUNNING'})
  })

  it('creates from two ccmcp processes at once without mixing up tabs', async () => {
    const tabs = await Promise.all([makeBackend(), makeBackend(), makeBackend()].map((backend, index) =>
      backend.openTab({group: 'proj', title: `Agent_${index} · proj`, agentKey: `proj/Agent_${index}`, launchId: randomUUID(), cwd, argv: ['sleep', '600'], env: agentEnv()}),
    ))
    expect(new Set(tabs.map((tab) => tab.sessionId)).size).toBe(3)
    const byId = new Map(sim.sessions().map((session) => [session.id, session]))
    tabs.forEach((tab, index) => expect(byId.get(tab.sessionId)?.vars['user.ccmcpAgent']).toBe(`proj/Agent_${index}`))
    expect((await makeBackend().listTabs()).map((info) => info.agentKey).sort()).toEqual(['proj/Agent_0', 'proj/Agent_1', 'proj/Agent_2'])
  })

  it('reads the last lines of the screen and focuses the tab', async () => {
    const backend = makeBackend()
    const tab = await openFakeAgent(backend)
    await ready(backend, tab)
    await backend.sendText(tab, 'one', {submit: true})
    await eventually(async () => ((await backend.readScreen(tab, 2)) === '● echo: one\n>' ? true : undefined))
    sim.change(addShellWindow)
    expect(await backend.focusTab(tab)).toEqual({focused: true, hint: null})
    expect(sim.state().frontmost).toBe(true)
  })
})

describe('failures, each with the documented error', () => {
  it('Automation denied: BACKEND_UNAVAILABLE with the System Settings remedy, from the driver or from osascript itself', async () => {
    sim.change((state) => void (state.denyAutomation = true))
    const backend = makeBackend()
    const denied = {code: 'BACKEND_UNAVAILABLE', exitCode: 4, hint: expect.stringMatching(/System Settings → Privacy & Security → Automation/)}
    await expect(backend.listTabs()).rejects.toMatchObject({...denied, message: expect.stringMatching(/-1743/)})
    await expect(openFakeAgent(backend)).rejects.toMatchObject(denied)
    expect((await readdir(path.join(home, 'iterm2', 'launch'))).filter((file) => file.endsWith('.data'))).toEqual([])
    sim.change((state) => void (state.denyAutomation = false))
    sim.fault({type: 'stderr', text: '0:12: execution error: Error: Error: Not authorized to send Apple events to iTerm2. (-1743)', code: 1})
    await expect(backend.listTabs()).rejects.toMatchObject(denied)
  })

  it('-600 (iTerm2 quit meanwhile) is retried once; twice is "not running"', async () => {
    const backend = makeBackend()
    sim.fault({type: 'error', number: -600, message: "Application isn't running."})
    expect(await backend.listTabs()).toEqual([])
    expect(sim.calls().map((call) => [call.op, call.exit])).toEqual([['list', 0], ['list', 0]])
    // Creating retries too, and the retry launches iTerm2 if it is really gone.
    sim.fault({type: 'error', op: 'create', number: -600})
    await open(backend, ['sleep', '600'])
    expect(sim.calls().filter((call) => call.op === 'create').map((call) => call.exit)).toEqual([0, 0])
    expect(sim.sessions().filter((session) => session.vars['user.ccmcpAgent'])).toHaveLength(1)
    sim.fault({type: 'error', number: -600})
    sim.fault({type: 'error', number: -609})
    await expect(backend.listTabs()).rejects.toMatchObject({code: 'BACKEND_UNAVAILABLE', message: expect.stringMatching(/not running/), hint: 'Start iTerm2 and retry.'})
  })

  it('iTerm2 not running: listing does not launch it, agents are gone, creating launches it', async () => {
    const backend = makeBackend()
    const tab = await open(backend, ['sleep', '600'])
    sim.change((state) => {
      for (const guid of Object.keys(state.sessions)) delete state.sessions[guid]
      state.windows = []
      state.running = false
    })
    expect(await backend.listTabs()).toEqual([])
    await expect(backend.sendText(tab, 'x', {submit: true})).rejects.toMatchObject({code: 'AGENT_NOT_RUNNING', message: expect.stringMatching(/not running/)})
    await expect(backend.readScreen(tab, 5)).rejects.toMatchObject({code: 'AGENT_NOT_RUNNING'})
    await backend.closeTab(tab)
    expect(sim.state()).toMatchObject({running: false, implicitLaunches: 0})
    await open(backend, ['sleep', '600'])
    expect(sim.state()).toMatchObject({running: true, implicitLaunches: 0})
    // The window iTerm2 opened on launch got the tab: one window.
    expect(sim.state().windows).toHaveLength(1)
  })

  it('a tab closed by the user: the agent is not running; a tab that moved mid-call is found again', async () => {
    const backend = makeBackend()
    const tab = await open(backend, ['sleep', '600'])
    // Events of a read in one window: windows.id, the id matrix, then text().
    sim.fault({type: 'error', op: 'read', number: -1728, message: "Can't get session.", atEvent: 3})
    expect(typeof (await backend.readScreen(tab, 5))).toBe('string')
    sim.fault({type: 'vanish', op: 'write', sessionId: tab.sessionId, atEvent: 3})
    await expect(backend.sendText(tab, 'hello', {submit: true})).rejects.toMatchObject({code: 'AGENT_NOT_RUNNING', hint: expect.stringMatching(/agent restart/)})
    await expect(backend.focusTab(tab)).rejects.toMatchObject({code: 'AGENT_NOT_RUNNING'})
    await expect(backend.readScreen(tab, 5)).rejects.toMatchObject({code: 'AGENT_NOT_RUNNING'})
    expect(await backend.listTabs()).toEqual([])
  })

  it('a slow or blocked iTerm2 times out with TIMEOUT, and the next call works', async () => {
    const backend = makeBackend({timeoutMs: 700})
    sim.fault({type: 'delay', ms: 5000})
    await expect(backend.listTabs()).rejects.toMatchObject({code: 'TIMEOUT', exitCode: 12, hint: expect.stringMatching(/dialog/)})
    // The checks that need an answer get the default time: a loaded machine can take longer than
    // 0.7 s to start the simulated osascript.
    const patient = makeBackend()
    expect(await patient.listTabs()).toEqual([])
    // A "$$NAME$$" command or a close confirmation is a modal dialog: every event waits.
    sim.change((state) => void (state.modal = 'Close this session?'))
    await expect(backend.listTabs()).rejects.toMatchObject({code: 'TIMEOUT'})
    sim.change((state) => void (state.modal = null))
    sim.fault({type: 'error', number: -1712, message: 'AppleEvent timed out.'})
    await expect(patient.listTabs()).rejects.toMatchObject({code: 'TIMEOUT', message: expect.stringMatching(/blocked by a dialog/)})
  }, 20_000)

  it('unreadable output, a missing iTerm2 and a missing osascript are named', async () => {
    const backend = makeBackend()
    sim.fault({type: 'stdout', text: 'Bus error: 10\n'})
    await expect(backend.listTabs()).rejects.toMatchObject({code: 'BACKEND_UNAVAILABLE', message: expect.stringMatching(/cannot read: Bus error/)})
    sim.change((state) => void (state.installed = false))
    await expect(backend.listTabs()).rejects.toMatchObject({code: 'BACKEND_UNAVAILABLE', message: expect.stringMatching(/not installed/)})
    const noMac = makeBackend({env: {...baseEnv, PATH: '/nonexistent'}})
    await expect(noMac.listTabs()).rejects.toMatchObject({code: 'BACKEND_UNAVAILABLE', message: expect.stringMatching(/needs macOS/)})
  })

  it('refuses lone surrogates before anything is typed', async () => {
    const backend = makeBackend()
    await expect(backend.sendText({backend: 'iterm2', sessionId: 'X'}, 'bad \ud83c', {submit: true})).rejects.toMatchObject({code: 'INVALID_INPUT'})
    expect(sim.calls()).toEqual([])
  })
})
