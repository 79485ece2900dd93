/**
 * Two hosts, each a REAL sshd in a network namespace of its own (joined by a veth pair), with its
 * own ccmcp home and private tmux server. Host A is cut off the network mid-test (its link goes
 * down: packets vanish, nothing is refused, as when a VM or VPN drops) while the CLI, an MCP
 * client against `ccmcp serve` and the `watch` TUI look at both hosts; then A comes back.
 * Skipped, with the reason, where namespaces cannot be made (not root, no CAP_NET_ADMIN).
 */
import {execFile} from 'node:child_process'
import {chmod, mkdtemp, readFile, readdir, rm, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {promisify} from 'node:util'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {type Sandbox, binPath, createSandbox, eventually, fakeAgent, hookScript} from '../helpers/cli.js'
import {type StdioServer, startStdioServer} from '../helpers/serve.js'
import {type TestNetns, createNetns, netnsUnavailable} from '../helpers/netns.js'
import {type TestSshd, startSshd} from '../helpers/sshd.js'

const run = promisify(execFile)
type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

const unavailable = await netnsUnavailable()

interface Host {
  netns: TestNetns
  sshd: TestSshd
  home: string
  root: string
  session: string
}

let box: Sandbox
let hosts: {a: Host; b: Host}
let calls: string
let cliCalls: string
let sshConfig: string
let server: StdioServer | undefined
let viewSocket: string

const records = (host: Host) => path.join(host.home, 'records')
const agentCommand = (host: Host) => [process.execPath, fakeAgent, records(host), hookScript].map((part) => JSON.stringify(part)).join(' ')

async function prompts(host: Host, agent: string): Promise<string[]> {
  const text = await readFile(path.join(records(host), `${agent}.prompts.jsonl`), 'utf8').catch(() => '')
  return text.split('\n').filter(Boolean).map((line) => JSON.parse(line).prompt)
}

/** ssh runs started by the commands given `env` (serve and watch log theirs elsewhere), by host alias. */
async function sshCalls(host: Host): Promise<number> {
  return (await readFile(cliCalls, 'utf8').catch(() => '')).split('\n').filter((line) => line.includes(` -- ${host.sshd.alias} `)).length
}

/** A CLI run whose ssh runs are logged apart from the long-lived processes'. */
const counted = () => ({CCMCP_SSH: `${path.join(box.home, 'cli-ssh')} -F ${sshConfig}`})

async function startHost(index: number, alias: string, session: string): Promise<Host> {
  const netns = await createNetns(index)
  const sshd = await startSshd(alias, {address: netns.address, exec: netns.exec}).catch(async (error: unknown) => {
    await netns.cleanup()
    throw error
  })
  const home = await mkdtemp(path.join(os.tmpdir(), 'ccrh-'))
  const root = await mkdtemp(path.join(os.tmpdir(), 'ccrr-'))
  // The host's `ccmcp` on its PATH (the default remote command), with the host's own home.
  await writeFile(path.join(sshd.binDir, 'ccmcp'), `#!/bin/sh\nexec env CCMCP_HOME=${home} NO_COLOR=1 ${process.execPath} ${binPath} "$@"\n`)
  await chmod(path.join(sshd.binDir, 'ccmcp'), 0o755)
  return {netns, sshd, home, root, session}
}

/** Every step runs whatever an earlier one did: a namespace, a veth or an sshd is never left behind. */
async function stopHost(host: Host | undefined): Promise<void> {
  if (!host) return
  const steps = [
    () => host.netns.reconnect(),
    () => run('tmux', ['-S', path.join(host.home, 'tmux.sock'), 'kill-server']),
    () => host.sshd.cleanup(),
    () => host.netns.cleanup(),
    () => rm(host.home, {recursive: true, force: true, maxRetries: 10, retryDelay: 100}),
    () => rm(host.root, {recursive: true, force: true}),
  ]
  for (const step of steps) await step().catch((error: unknown) => console.error(`cleanup of ${host.sshd.alias}:`, error))
}

/** tmux on the viewer server: the terminal the user runs `ccmcp watch` in. */
async function view(args: string[]): Promise<string> {
  return (await run('tmux', ['-u', '-S', viewSocket, ...args])).stdout
}

async function screenShows(test: (screen: string) => boolean, timeoutMs: number): Promise<string> {
  let last = ''
  try {
    return await eventually(async () => {
      last = await view(['capture-pane', '-p', '-J', '-t', 'view:0'])
      return test(last) ? last : undefined
    }, timeoutMs)
  } catch {
    throw new Error(`the watch screen never showed what was expected; it showed:\n${last}`)
  }
}

/** The agent lines under a session's header line in the watch screen. */
function sessionBlock(screen: string, session: string): string {
  const lines = screen.split('\n')
  const start = lines.findIndex((line) => line.startsWith(`${session} `) || line.startsWith(`${session}  `))
  if (start < 0) return ''
  const end = lines.findIndex((line, index) => index > start && !/^[ ›]/.test(line))
  return lines.slice(start, end < 0 ? undefined : end).join('\n')
}

async function listAgents(env: Record<string, string> = {}): Promise<Json[]> {
  const listed = await box.run(['agent', 'list', '--json'], {env})
  expect(listed.exitCode, listed.stdout + listed.stderr).toBe(0)
  return (listed.json as Json).agents as Json[]
}

const of = (agents: Json[], session: string) => agents.filter((agent) => agent.session === session)
const identity = (agents: Json[]) => agents.map((agent) => `${agent.session}/${agent.name} ${agent.tab?.paneId} ${agent.tab?.launchId}`)

describe.skipIf(unavailable !== null)(`two hosts in separate network namespaces${unavailable ? ` — skipped: ${unavailable}` : ''}`, () => {
  beforeAll(async () => {
    box = await createSandbox()
    // Assigned one by one, so afterAll stops the first host even when the second cannot start.
    hosts = {} as typeof hosts
    hosts.a = await startHost(0, 'ccmcp-host-a', 'alpha')
    hosts.b = await startHost(1, 'ccmcp-host-b', 'beta')
    // One ssh_config naming both hosts, and an ssh that logs each run before it is the user's own.
    sshConfig = path.join(box.home, 'ssh_config')
    await writeFile(sshConfig, (await Promise.all([hosts.a, hosts.b].map((host) => readFile(path.join(host.sshd.dir, 'ssh_config'), 'utf8')))).join(''))
    calls = path.join(box.home, 'ssh-calls')
    const wrapper = path.join(box.home, 'counting-ssh')
    await writeFile(wrapper, `#!/bin/sh\necho "$*" >> '${calls}'\nexec ssh "$@"\n`)
    await chmod(wrapper, 0o755)
    cliCalls = path.join(box.home, 'cli-ssh-calls')
    await writeFile(path.join(box.home, 'cli-ssh'), `#!/bin/sh\necho "$*" >> '${cliCalls}'\nexec ssh "$@"\n`)
    await chmod(path.join(box.home, 'cli-ssh'), 0o755)
    box.env.CCMCP_SSH = `${wrapper} -F ${sshConfig}`
    viewSocket = path.join(box.home, 'view.sock')
  }, 120_000)

  afterAll(async () => {
    await server?.close().catch(() => undefined)
    if (viewSocket) await run('tmux', ['-S', viewSocket, 'kill-server']).catch(() => undefined)
    // Masters persist (ControlPersist): end each so no ssh outlives the test.
    for (const socket of await readdir(path.join(box?.home ?? '/nonexistent', 'ssh')).catch(() => [])) {
      for (const host of [hosts?.a, hosts?.b]) {
        if (host) await run('ssh', ['-F', sshConfig, '-o', `ControlPath=${path.join(box.home, 'ssh', socket)}`, '-O', 'exit', host.sshd.alias]).catch(() => undefined)
      }
    }
    await stopHost(hosts?.a)
    await stopHost(hosts?.b)
    await box?.cleanup()
  }, 120_000)

  it('puts a session on each host and runs agents there, each reached through its own namespace', async () => {
    for (const host of [hosts.a, hosts.b]) {
      const created = await box.run(['session', 'create', host.session, '--host', host.sshd.alias, '--root', host.root, '--json'])
      expect(created.exitCode, created.stdout + created.stderr).toBe(0)
      for (let index = 0; index < 2; index++) {
        const agent = await box.run(['agent', 'create', host.session, '--command', agentCommand(host), '--json'])
        expect(agent.exitCode, agent.stdout + agent.stderr).toBe(0)
      }
      const sent = await box.run(['agent', 'send', '--json', `${host.session}/Agent_1`, '--', `hello ${host.session}`])
      expect(sent.exitCode, sent.stdout + sent.stderr).toBe(0)
      expect(await eventually(async () => ((await prompts(host, 'Agent_1')).length === 1 ? prompts(host, 'Agent_1') : undefined), 60_000)).toEqual([`hello ${host.session}`])
    }
    // The hosts really are apart: each sshd listens only inside its own namespace.
    expect(hosts.a.sshd.dir).not.toBe(hosts.b.sshd.dir)
    expect((await run('ip', ['netns', 'exec', hosts.a.netns.name, 'ss', '-ltn'])).stdout).toContain(`${hosts.a.netns.address}:${hosts.a.sshd.port}`)
    const agents = await listAgents()
    expect(agents.map((agent) => `${agent.session}/${agent.name}`).sort()).toEqual(['alpha/Agent_1', 'alpha/Agent_2', 'beta/Agent_1', 'beta/Agent_2'])
    await eventually(async () => ((await listAgents()).every((agent) => agent.status === 'idle') ? true : undefined), 60_000)
  }, 240_000)

  it('MCP and the watch TUI see both hosts', async () => {
    server = await startStdioServer(box)
    const listed = await server.call('list_agents', {})
    expect(listed.isError, JSON.stringify(listed.content)).toBeFalsy()
    expect(((listed.structuredContent as Json).agents as Json[]).map((agent) => `${agent.session}/${agent.name}`).sort()).toEqual(['alpha/Agent_1', 'alpha/Agent_2', 'beta/Agent_1', 'beta/Agent_2'])

    const env = {PATH: process.env.PATH ?? '', HOME: box.home, TERM: 'xterm-256color', LANG: 'C.UTF-8', ...box.env}
    await run('tmux', ['-u', '-S', viewSocket, '-f', '/dev/null', 'new-session', '-d', '-x', '160', '-y', '40', '-s', 'view', 'sh'], {env})
    await view(['send-keys', '-t', 'view:0', '-l', `node ${binPath} watch --interval 0.5`])
    await view(['send-keys', '-t', 'view:0', 'Enter'])
    const screen = await screenShows((text) => /Agent_2 idle/.test(sessionBlock(text, 'alpha')) && /Agent_2 idle/.test(sessionBlock(text, 'beta')), 60_000)
    expect(sessionBlock(screen, 'alpha')).toContain(hosts.a.sshd.alias)
    expect(sessionBlock(screen, 'beta')).toContain(hosts.b.sshd.alias)
    // The selected agent (the first, on host A) has its screen read on its host for the preview.
    await screenShows((text) => text.includes('── alpha/Agent_1 · screen') && text.includes('fake agent Agent_1 ready'), 60_000)
  }, 120_000)

  it('host A cut off the network: its agents are unknown with the reason (never lost), host B is untouched', async () => {
    const before = identity(await listAgents())
    await hosts.a.netns.cut()

    // The CLI: A's agents as last seen, unknown, with why; B's as they are. The first read may wait
    // for ssh's keep-alive to give up on A's ControlMaster (about 45 s), never longer.
    const agents = await eventually(async () => {
      const now = await listAgents()
      return of(now, 'alpha').every((agent) => agent.status === 'unknown') ? now : undefined
    }, 120_000)
    expect(of(agents, 'alpha').map((agent) => agent.lastError)).toEqual([expect.stringContaining(`Cannot reach ${hosts.a.sshd.alias}`), expect.stringContaining(`Cannot reach ${hosts.a.sshd.alias}`)])
    expect(of(agents, 'beta').map((agent) => agent.status)).toEqual(['idle', 'idle'])
    expect(identity(agents)).toEqual(before)
    const status = await box.run(['session', 'status', 'alpha', '--json'])
    expect(status.exitCode, status.stdout + status.stderr).toBe(0)
    expect((status.json as Json).agents.map((agent: Json) => agent.status)).toEqual(['unknown', 'unknown'])
    const sessions = ((await box.run(['session', 'list', '--json'])).json as Json).sessions as Json[]
    expect(sessions.find((session) => session.name === 'alpha')?.hostError).toContain(hosts.a.sshd.alias)
    expect(sessions.find((session) => session.name === 'beta')).toMatchObject({hostError: null, agents: 2})
    // Nothing is restarted for a host that is only out of reach: recovering it is refused, naming the host.
    const recover = await box.run(['session', 'recover', 'alpha', '--json'])
    expect(recover.exitCode).toBe(4)
    expect((recover.json as Json).error.message).toContain(hosts.a.sshd.alias)
    // Work on B goes on while A is away.
    const sent = await box.run(['agent', 'send', '--json', 'beta/Agent_2', '--', 'while A is away'])
    expect(sent.exitCode, sent.stdout + sent.stderr).toBe(0)
    await eventually(async () => ((await prompts(hosts.b, 'Agent_2')).includes('while A is away') ? true : undefined), 60_000)

    // MCP: the same answers through a real client against `ccmcp serve` (its stream for A drops too).
    const client = server as StdioServer
    const overMcp = await eventually(async () => {
      const listed = (await client.call('list_agents', {})).structuredContent as Json
      // B's Agent_2 may still be finishing the turn sent above.
      return of(listed.agents, 'alpha').every((agent) => agent.status === 'unknown') && of(listed.agents, 'beta').every((agent) => agent.status === 'idle') ? (listed.agents as Json[]) : undefined
    }, 120_000)
    expect(of(overMcp, 'alpha')[0]?.lastError).toContain(`Cannot reach ${hosts.a.sshd.alias}`)
    expect(of(overMcp, 'beta').map((agent) => agent.status)).toEqual(['idle', 'idle'])
    const refused = await client.call('send_message_to_agent', {agent: 'alpha/Agent_1', message: 'never delivered'})
    expect(refused.isError).toBe(true)
    expect(JSON.stringify(refused.content)).toContain(hosts.a.sshd.alias)

    // The TUI: A's agents unknown, with the reason on their line; B's idle.
    const screen = await screenShows((text) => /Agent_1 unknown/.test(sessionBlock(text, 'alpha')) && /Agent_2 unknown/.test(sessionBlock(text, 'alpha')), 120_000)
    expect(sessionBlock(screen, 'alpha')).toContain(`Cannot reach ${hosts.a.sshd.alias}`)
    expect(sessionBlock(screen, 'beta')).toMatch(/Agent_1 idle/)
    expect(sessionBlock(screen, 'beta')).not.toContain('unknown')
    expect(screen).not.toContain(' lost ')
    // Moving the selection redraws from the state file alone: A's agents stay, still unknown.
    await view(['send-keys', '-t', 'view:0', 'j'])
    await screenShows((text) => text.includes('› ') && /Agent_2 unknown/.test(sessionBlock(text, 'alpha')) && /Agent_2 idle/.test(sessionBlock(text, 'beta')), 30_000)
  }, 420_000)

  it('host A back: one list call brings its agents back as they are, the same processes, never restarted', async () => {
    const prompted = await prompts(hosts.a, 'Agent_1')
    await hosts.a.netns.reconnect()
    const agents = await listAgents(counted())
    expect(await sshCalls(hosts.a)).toBe(1)
    expect(await sshCalls(hosts.b)).toBe(1)
    expect(agents.map((agent) => `${agent.session}/${agent.name} ${agent.status}`).sort()).toEqual(['alpha/Agent_1 idle', 'alpha/Agent_2 idle', 'beta/Agent_1 idle', 'beta/Agent_2 idle'])
    expect(of(agents, 'alpha').map((agent) => agent.lastError)).toEqual([null, null])
    // Same panes, same launches: nothing was started again, and the refused message never arrived.
    const there = await run('tmux', ['-S', path.join(hosts.a.home, 'tmux.sock'), 'list-panes', '-a', '-F', '#{pane_id}'])
    expect(of(agents, 'alpha').map((agent) => agent.tab.paneId).sort()).toEqual(there.stdout.trim().split('\n').sort())
    expect(await prompts(hosts.a, 'Agent_1')).toEqual(prompted)

    const client = server as StdioServer
    await eventually(async () => {
      const listed = (await client.call('list_agents', {})).structuredContent as Json
      return (listed.agents as Json[]).every((agent) => agent.status === 'idle') ? true : undefined
    }, 120_000)
    const sent = await client.call('send_message_to_agent', {agent: 'alpha/Agent_2', message: 'welcome back'})
    expect(sent.isError, JSON.stringify(sent.content)).toBeFalsy()
    await eventually(async () => ((await prompts(hosts.a, 'Agent_2')).includes('welcome back') ? true : undefined), 60_000)

    const screen = await screenShows((text) => /Agent_1 idle/.test(sessionBlock(text, 'alpha')) && !sessionBlock(text, 'alpha').includes('unknown'), 120_000)
    expect(sessionBlock(screen, 'alpha')).not.toContain('Cannot reach')
  }, 360_000)
})
