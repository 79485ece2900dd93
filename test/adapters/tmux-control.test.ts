import {randomUUID} from 'node:crypto'
import {execa} from 'execa'
import {mkdtemp, rm} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {execaExec} from '../../src/core/adapters/exec.js'
import {TmuxBackend} from '../../src/core/adapters/tmux/backend.js'
import {type TmuxControl, createControlClient} from '../../src/core/adapters/tmux/control-client.js'
import {ControlReplyParser, controlCommandLine} from '../../src/core/adapters/tmux/control-line.js'
import type {Exec} from '../../src/core/ports.js'
import {systemClock} from '../../src/core/entry/runtime.js'
import {eventually} from '../helpers/cli.js'
import {HOSTILE_MESSAGES} from '../helpers/hostile.js'

const baseEnv = {PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: os.homedir(), LANG: 'C.UTF-8'}

describe('controlCommandLine (the one quoting function of control mode)', () => {
  it('single-quotes every word, a quote as \'\\\'\'', () => {
    expect(controlCommandLine(['display-message', '-p', "it's; kill-server"])).toBe(`'display-message' '-p' 'it'\\''s; kill-server'`)
  })

  it('refuses every command that is not a read, and any line break or control character', () => {
    for (const command of ['send-keys', 'kill-server', 'new-window', 'run-shell', 'set-option', 'load-buffer', 'paste-buffer', 'display-message;', '']) {
      expect(controlCommandLine([command, '-t', '%1']), command).toBeNull()
    }
    for (const arg of ['a\nkill-server', 'a\rb', 'a\u0000b', 'a\u001Bb', 'a\u007Fb']) expect(controlCommandLine(['display-message', '-p', arg])).toBeNull()
    expect(controlCommandLine([])).toBeNull()
  })
})

describe('ControlReplyParser', () => {
  it('ends a reply only at the %end with its own time, number and flags; tells %exit', () => {
    const replies: {lines: string[]; ok: boolean; fromClient: boolean}[] = []
    let exited = false
    const parser = new ControlReplyParser({reply: (reply) => replies.push(reply), exit: () => (exited = true)})
    parser.push('%begin 1 10 0\n%end 1 10 0\n%session-changed $0 x\n%begin 1 11 1\nsome %end 1 11 1\n%end 1 12 1\n%end 1 11')
    expect(replies).toEqual([{lines: [], ok: true, fromClient: false}])
    parser.push(' 1\n%begin 2 12 1\ncan\'t find pane: %9\n%error 2 12 1\n%exit\n')
    expect(replies.slice(1)).toEqual([{lines: ['some %end 1 11 1', '%end 1 12 1'], ok: true, fromClient: true}, {lines: ["can't find pane: %9"], ok: false, fromClient: true}])
    expect(exited).toBe(true)
  })
})

describe('tmux control mode (real tmux, private server)', () => {
  let home: string
  let socketPath: string
  let spawns: string[][]
  let controls: TmuxControl[]
  const countingExec: Exec = (file, args, options) => {
    if (file === 'tmux') spawns.push([...args])
    return execaExec(file, args, options)
  }
  const makeBackend = (retryMs = 5000) =>
    new TmuxBackend({
      exec: countingExec, clock: systemClock, socketPath, home, env: baseEnv, submitDelayMs: 50,
      control: (globalArgs) => {
        const control = createControlClient({tmuxBin: 'tmux', globalArgs, env: baseEnv, retryMs})
        controls.push(control)
        return control
      },
    })
  const open = (backend: TmuxBackend, argv: string[], group = 'g') =>
    backend.openTab({group, title: 'A', agentKey: `${group}/A`, launchId: randomUUID(), cwd: home, argv, env: baseEnv})
  const reads = () => spawns.filter((args) => ['list-panes', 'capture-pane', 'display-message'].some((command) => args.includes(command))).length

  beforeEach(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'cctc-'))
    socketPath = path.join(home, 'tmux.sock')
    spawns = []
    controls = []
  })
  afterEach(async () => {
    for (const control of controls) control.close()
    await execa('tmux', ['-S', socketPath, 'kill-server'], {reject: false})
    await rm(home, {recursive: true, force: true})
  })

  it('answers the reads without spawning tmux, the same as the spawn path, output framed between %begin/%end', async () => {
    const backend = makeBackend()
    // A program that prints control-mode framing itself and quotes of every kind.
    const script = `printf '%s\\n' "%end 1 2 1" "%begin 1 2 1" "it's \\"quoted\\" \\\\ ;" 'héllo' ready; sleep 60`
    const tab = await open(backend, ['sh', '-c', script])
    const spawned = new TmuxBackend({exec: execaExec, clock: systemClock, socketPath, home, env: baseEnv, submitDelayMs: 50})
    const screen = await eventually(async () => {
      const text = await backend.readScreen(tab, 6)
      return text.endsWith('ready') ? text : undefined
    })
    expect(screen).toBe(await spawned.readScreen(tab, 6))
    expect(screen).toContain('%end 1 2 1\n%begin 1 2 1\nit\'s "quoted" \\ ;\nhéllo\nready')
    expect(await backend.listTabs()).toEqual(await spawned.listTabs())
    const before = spawns.length
    for (let index = 0; index < 5; index++) await backend.listTabs()
    expect(spawns.length).toBe(before)
    // A tmux error arrives as the spawn path's: a missing pane is AGENT_NOT_RUNNING.
    await backend.closeTab(tab)
    await expect(backend.readScreen(tab, 5)).rejects.toMatchObject({code: 'AGENT_NOT_RUNNING'})
  })

  it('matches concurrent commands to their own replies', async () => {
    const backend = makeBackend()
    await open(backend, ['sleep', '60'])
    const [control] = controls
    // eslint-disable-next-line no-control-regex -- texts with control characters take the spawn path
    const texts = HOSTILE_MESSAGES.filter((text) => !/[\u0000-\u001F\u007F]/.test(text)).map((text, index) => `${index}:${text}`)
    const replies = await Promise.all(texts.map((text) => control!.run(['display-message', '-p', text.replaceAll('#', '##')])))
    expect(replies.map((reply) => reply?.stdout)).toEqual(texts.map((text) => `${text}\n`))
  })

  it('passes hostile user text as data: no text becomes a tmux command', async () => {
    const backend = makeBackend()
    await open(backend, ['sleep', '60'])
    const [control] = controls
    const marker = path.join(home, 'ran')
    for (const text of [`'; run-shell 'touch ${marker}'; '`, `\\'; kill-server; \\'`, `"; kill-server; "`, '} ; kill-server ; {', '~ $HOME ${HOME} #{pane_id};', '%if 1\nkill-server\n%endif', 'x\\\nkill-server']) {
      const reply = await control!.run(['display-message', '-p', text.replaceAll('#', '##')])
      // A text no line can carry goes the spawn path (null); any other arrives as one literal argument.
      if (/\n/.test(text)) expect(reply).toBeNull()
      else expect(reply?.stdout).toBe(`${text}\n`)
    }
    expect((await backend.listTabs()).length).toBe(1)
    expect((await execa('test', ['-e', marker], {reject: false})).exitCode).toBe(1)
  })

  it('falls back to spawning when the server is killed, and reconnects once it runs again', async () => {
    const backend = makeBackend(200)
    await open(backend, ['sleep', '60'])
    expect(await backend.listTabs()).toHaveLength(1)
    const spawnedReads = reads()
    await execa('tmux', ['-S', socketPath, 'kill-server'])
    // The dead client answers nothing: the spawn path says "no server", which is no tabs.
    expect(await backend.listTabs()).toEqual([])
    expect(reads()).toBeGreaterThan(spawnedReads)
    await open(backend, ['sleep', '60'], 'h')
    // Within a few retries a new control client answers again without spawning.
    await eventually(async () => {
      const before = reads()
      const tabs = await backend.listTabs()
      return tabs.length === 1 && reads() === before ? true : undefined
    })
  })

  it('a control client is no screen to focus; closing it leaves no client behind', async () => {
    const backend = makeBackend()
    const tab = await open(backend, ['sleep', '60'])
    await backend.listTabs()
    const clients = async () => (await execa('tmux', ['-S', socketPath, 'list-clients', '-F', '#{client_control_mode}'], {reject: false})).stdout.split('\n').filter(Boolean)
    expect(await clients()).toEqual(['1'])
    expect((await backend.focusTab(tab)).focused).toBe(false)
    for (const control of controls) control.close()
    await eventually(async () => ((await clients()).length === 0 ? true : undefined))
  })
})
