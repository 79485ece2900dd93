/**
 * Issue 6's "done when": the built binary with CCMCP_BACKEND=iterm2 and the simulated iTerm2 on
 * PATH runs the whole flow of issue 2 (session, agents, hostile messages, status in one call,
 * clear, new conversation, delete) with real agent processes reporting through the hook; a
 * denied Automation permission gives the documented error and remedy.
 */
import {createHash} from 'node:crypto'
import {existsSync, readFileSync} from 'node:fs'
import {readFile} from 'node:fs/promises'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {DRIVER_SCRIPT} from '../../src/core/adapters/iterm2/driver.js'
import {AUTOMATION_HINT} from '../../src/core/adapters/iterm2/protocol.js'
import {EXIT_CODES} from '../../src/core/domain/errors.js'
import {pidAlive, receivedBy, submittedBytes} from '../helpers/agent-records.js'
import {type CliResult, type Sandbox, createSandbox, eventually} from '../helpers/cli.js'
import {HOSTILE_MESSAGES} from '../helpers/hostile.js'
import {type Sim, createSim} from '../helpers/iterm2-sim/sim.js'
import {readStoreFile} from '../helpers/at-rest.js'

let box: Sandbox
let sim: Sim
beforeAll(async () => {
  box = await createSandbox()
  sim = await createSim()
})
afterAll(async () => {
  await sim.cleanup()
  await box.cleanup()
})

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

const run = (args: string[], options: {input?: string; env?: Record<string, string>} = {}): Promise<CliResult> =>
  box.run(args, {...options, env: {...sim.env, CCMCP_BACKEND: 'iterm2', ...options.env}})

const agentTabs = () => sim.sessions().filter((session) => session.vars['user.ccmcpAgent'])
const statuses = async (session: string) => ((await run(['agent', 'list', '--session', session, '--json'])).json as Json).agents.map((agent: Json) => agent.status)

describe('ccmcp CLI on the iTerm2 backend (simulated iTerm2, real agent processes)', () => {
  it('session → 3 agents → hostile messages byte-exact → status in one call → clear → delete leaves nothing', async () => {
    const created = await run(['session', 'create', 'flow', '--root', box.root, '--json'])
    expect(created.exitCode, created.stderr).toBe(0)
    expect((created.json as Json).session).toMatchObject({name: 'flow', backend: 'iterm2'})

    const names: string[] = []
    for (let index = 0; index < 3; index++) {
      const agent = await run(['agent', 'create', 'flow', '--command', box.fakeAgentCommand(), '--json'])
      expect(agent.exitCode, agent.stderr).toBe(0)
      expect((agent.json as Json).agent.tab).toEqual({backend: 'iterm2', sessionId: expect.stringMatching(/^[0-9A-F-]{36}$/), launchId: expect.any(String)})
      names.push((agent.json as Json).agent.name)
    }
    expect(names).toEqual(['Agent_1', 'Agent_2', 'Agent_3'])
    // Three tabs in one window, titled and tagged.
    expect(agentTabs().map((tab) => [tab.name, tab.vars['user.ccmcpAgent']])).toEqual(names.map((name) => [`${name} · flow`, `flow/${name}`]))
    expect(new Set(agentTabs().map((tab) => tab.windowId)).size).toBe(1)
    await eventually(async () => ((await statuses('flow')).every((status: string) => status === 'idle') ? true : undefined), 20_000)

    // Agent_1 gets every hostile message, the others a few at the same time (one CLI process per
    // message, agents in parallel): light on CPU, still concurrent.
    const messagesFor = (name: string) => (name === 'Agent_1' ? HOSTILE_MESSAGES : HOSTILE_MESSAGES.slice(0, 4))
    await Promise.all(names.map(async (name) => {
      for (const message of messagesFor(name)) {
        const sent = await run(['agent', 'send', '--json', `flow/${name}`, '--', message])
        expect(sent.exitCode, sent.stderr).toBe(0)
        // The fake agent reports UserPromptSubmit: delivery is confirmed (or queued while it is mid-turn).
        expect(['delivered', 'queued']).toContain((sent.json as Json).delivery)
        // Let the turn end before the next message, except after the last: Agent_2's stdin message
        // below then finds it mid-turn and goes through its queue.
        if (message !== messagesFor(name).at(-1)) expect((await run(['agent', 'wait', `flow/${name}`, '--timeout', '120'])).exitCode).toBe(0)
      }
    }))
    expect((await run(['agent', 'send', 'Agent_2', '-'], {input: 'from stdin;\nsecond line\n'})).exitCode).toBe(0)

    for (const name of names) {
      const expected = name === 'Agent_2' ? [...messagesFor(name), 'from stdin;\nsecond line'] : messagesFor(name)
      const received = await receivedBy(box.records, name, expected)
      expect(received.prompts).toEqual(expected)
      expect(received.bytes.equals(submittedBytes(expected)), `${name} received exactly what was sent`).toBe(true)
    }
    expect(existsSync('/tmp/ccmcp-pwned') || existsSync('/tmp/ccmcp-redirect')).toBe(false)

    // The fake agent records a prompt before its hooks report the turn (busy, then idle with the reply).
    await eventually(async () => {
      const agents = ((await run(['agent', 'list', '--session', 'flow', '--json'])).json as Json).agents
      return agents.every((agent: Json) => agent.status === 'idle') && agents[1].lastReply === 'echo: from stdin;\nsecond line' ? true : undefined
    }, 60_000)
    // Status of every agent: exactly one osascript run.
    const before = sim.calls().length
    const status = await run(['session', 'status', 'flow', '--json'])
    expect(status.exitCode).toBe(0)
    expect(sim.calls().slice(before).map((call) => call.op)).toEqual(['list'])
    const json = status.json as Json
    expect(json.agents.map((agent: Json) => [agent.name, agent.status])).toEqual(names.map((name) => [name, 'idle']))
    expect(json.agents[1].lastReply).toBe('echo: from stdin;\nsecond line')

    const read = await run(['agent', 'read', 'flow/Agent_1', '--lines', '3', '--json'])
    expect(read.exitCode, read.stderr).toBe(0)
    const screen = (read.json as Json).screen as string
    expect(screen.split('\n').length).toBeLessThanOrEqual(3)
    expect(screen).toContain('echo: ')

    const focus = await run(['agent', 'focus', 'flow/Agent_2', '--json'])
    expect(focus.json).toMatchObject({focused: true, hint: null})

    const cleared = await run(['agent', 'clear', 'flow/Agent_3', '--json'])
    expect((cleared.json as Json).agent).toMatchObject({status: 'closed', tab: null})
    expect(agentTabs().map((tab) => tab.name)).toEqual(['Agent_1 · flow', 'Agent_2 · flow'])

    const refused = await run(['session', 'delete', 'flow'])
    expect(refused.exitCode).toBe(EXIT_CODES.CONFIRMATION_REQUIRED)
    const deleted = await run(['session', 'delete', 'flow', '--yes', '--json'])
    expect(deleted.exitCode, deleted.stderr).toBe(0)
    expect((deleted.json as Json).deleted.agents).toEqual(names)
    expect(agentTabs()).toEqual([])
    expect(await readStoreFile(box.home)).toEqual({schemaVersion: 1, sessions: [], agents: []})
    expect(JSON.parse(await readFile(path.join(box.home, 'iterm2', 'tabs.json'), 'utf8'))).toEqual({schemaVersion: 1, tabs: {}})
    expect(sim.state().implicitLaunches).toBe(0)
    // Every osascript run of the whole flow: the one fixed driver, data only as one ASCII argv.
    const driverHash = createHash('sha256').update(DRIVER_SCRIPT).digest('hex')
    for (const call of sim.calls()) {
      expect(call.scriptSha256).toBe(driverHash)
      expect(call.argv).toEqual(['-l', 'JavaScript', '-', expect.stringMatching(/^[\x20-\x7e]*$/)])
    }
  }, 240_000)

  it('new-conversation reopens a cleared agent; an ended agent is exited; after iTerm2 quits agents are lost, and restart and recover bring them back', async () => {
    expect((await run(['session', 'create', 'life', '--root', box.root])).exitCode).toBe(0)
    await run(['agent', 'create', 'life', '--command', box.fakeAgentCommand(), '--name', 'worker'])
    await run(['agent', 'clear', 'life/worker'])
    const fresh = await run(['agent', 'new-conversation', 'life/worker', '--json'])
    expect(fresh.exitCode, fresh.stderr).toBe(0)
    await eventually(async () => ((await statuses('life'))[0] === 'idle' ? true : undefined), 20_000)

    // The program in the second tab ends by itself; iTerm2 keeps the tab (its default).
    await run(['agent', 'create', 'life', '--command', 'sh -c "sleep 3; exit 4"'])
    await run(['agent', 'create', 'life', '--command', 'sleep 600'])
    await eventually(async () => ((await statuses('life'))[1] === 'exited' ? true : undefined), 20_000)

    // iTerm2 quits: its sessions and their processes are gone.
    const pids = Object.keys(sim.state().sessions).map((guid) => JSON.parse(readFileSyncSafe(path.join(sim.dir, 'sessions', guid, 'info.json'))).childPid as number)
    sim.change((state) => {
      state.running = false
      state.windows = []
      state.sessions = {}
    })
    for (const pid of pids) if (pid && pidAlive(pid)) process.kill(-pid, 'SIGHUP')
    await eventually(async () => (pids.some((pid) => pid && pidAlive(pid)) ? undefined : true))
    expect(await statuses('life')).toEqual(['lost', 'exited', 'lost'])
    expect(sim.state()).toMatchObject({running: false, implicitLaunches: 0})
    const send = await run(['agent', 'send', 'life/Agent_2', 'hello', '--json'])
    expect(send.exitCode).toBe(EXIT_CODES.AGENT_NOT_RUNNING)
    expect((send.json as Json).error).toMatchObject({code: 'AGENT_NOT_RUNNING', hint: expect.stringMatching(/agent restart/)})

    // restart launches iTerm2 again and reopens the agent in a new tab; recover brings back the rest.
    const restarted = await run(['agent', 'restart', 'life/worker', '--json'])
    expect(restarted.exitCode, restarted.stderr).toBe(0)
    expect(sim.state()).toMatchObject({running: true, implicitLaunches: 0})
    await eventually(async () => ((await statuses('life'))[0] === 'idle' ? true : undefined), 20_000)
    const recovered = await run(['session', 'recover', 'life', '--json'])
    expect(recovered.exitCode, recovered.stderr).toBe(0)
    expect(recovered.json).toMatchObject({restarted: ['Agent_2'], adopted: []})
    expect(await statuses('life')).toEqual(['idle', 'exited', 'unknown'])
    expect(agentTabs().map((tab) => tab.name).sort()).toEqual(['Agent_2 · life', 'worker · life'])
    expect((await run(['session', 'delete', 'life', '--yes'])).exitCode).toBe(0)
    expect(agentTabs()).toEqual([])
  }, 240_000)

  it('Automation denied: exit 4 with the System Settings remedy, on --json and for humans', async () => {
    expect((await run(['session', 'create', 'denied', '--root', box.root])).exitCode).toBe(0)
    sim.change((state) => void (state.denyAutomation = true))
    try {
      const created = await run(['agent', 'create', 'denied', '--command', 'sleep 600', '--json'])
      expect(created.exitCode).toBe(EXIT_CODES.BACKEND_UNAVAILABLE)
      expect((created.json as Json).error).toMatchObject({code: 'BACKEND_UNAVAILABLE', hint: AUTOMATION_HINT, message: expect.stringMatching(/Automation permission denied, error -1743/)})
      const human = await run(['agent', 'create', 'denied', '--command', 'sleep 600'])
      expect(human.exitCode).toBe(EXIT_CODES.BACKEND_UNAVAILABLE)
      expect(human.stdout).toBe('')
      expect(human.stderr).toMatch(/System Settings → Privacy & Security → Automation/)
      // doctor names the same failure and remedy for the iTerm2 backend.
      const doctor = await run(['doctor', '--json'])
      expect(doctor.exitCode).toBe(EXIT_CODES.BACKEND_UNAVAILABLE)
      expect((doctor.json as Json).checks).toContainEqual({name: 'backend iterm2', status: 'fail', code: 'BACKEND_UNAVAILABLE', hint: AUTOMATION_HINT, detail: expect.stringMatching(/-1743/)})
      // Nothing half-made: no agent recorded.
      const list = await run(['agent', 'list', '--session', 'denied', '--json'])
      expect(list.exitCode, list.stderr + list.stdout).toBe(0)
      expect((list.json as Json).agents).toEqual([])
    } finally {
      sim.change((state) => void (state.denyAutomation = false))
    }
    await run(['session', 'delete', 'denied', '--yes'])
  }, 60_000)

  it('a session remembers its backend; --backend beats CCMCP_BACKEND, which beats the config', async () => {
    const flag = await run(['session', 'create', 'viaflag', '--root', box.root, '--backend', 'tmux', '--json'])
    expect((flag.json as Json).session.backend).toBe('tmux')
    expect((await box.run(['config', 'set', 'backend', 'tmux'])).exitCode).toBe(0)
    const env = await run(['session', 'create', 'viaenv', '--root', box.root, '--json'])
    expect((env.json as Json).session.backend).toBe('iterm2')
    const config = await box.run(['session', 'create', 'viaconfig', '--root', box.root, '--json'])
    expect((config.json as Json).session.backend).toBe('tmux')
    const list = ((await box.run(['session', 'list', '--json'])).json as Json).sessions
    expect(list.map((session: Json) => [session.name, session.backend])).toEqual([['viaflag', 'tmux'], ['viaenv', 'iterm2'], ['viaconfig', 'tmux']])
    for (const name of ['viaflag', 'viaenv', 'viaconfig']) await box.run(['session', 'delete', name, '--yes'])
  }, 60_000)
})

function readFileSyncSafe(file: string): string {
  return existsSync(file) ? readFileSync(file, 'utf8') : '{}'
}
