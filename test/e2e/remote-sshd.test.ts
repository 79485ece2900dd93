/**
 * Sessions on another host over a REAL OpenSSH server (loopback, throwaway keys): the local ccmcp
 * runs `ssh -F <config> <alias> -- <remote ccmcp> call …` and the ccmcp "there" (this repo's
 * built binary with its own home and private tmux server) runs the agents.
 */
import {execFile, spawn} from 'node:child_process'
import {once} from 'node:events'
import {createInterface} from 'node:readline'
import {chmod, mkdtemp, readFile, readdir, rm, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {promisify} from 'node:util'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {type Sandbox, binPath, createSandbox, eventually, fakeAgent, hookScript} from '../helpers/cli.js'
import {HOSTILE_MESSAGES} from '../helpers/hostile.js'
import {readStoreFile} from '../helpers/at-rest.js'
import {startStdioServer} from '../helpers/serve.js'
import {processExec} from '../../src/core/adapters/exec.js'
import {sshRemote} from '../../src/core/adapters/ssh/ssh-remote.js'
import {withStatusStreams} from '../../src/core/adapters/ssh/status-streams.js'
import {type TestSshd, startSshd} from '../helpers/sshd.js'

const run = promisify(execFile)
type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

let box: Sandbox
let sshd: TestSshd
let remoteHome: string
let remoteRoot: string
let calls: string
let remoteCcmcp: string

beforeAll(async () => {
  box = await createSandbox()
  sshd = await startSshd()
  remoteHome = await mkdtemp(path.join(os.tmpdir(), 'ccrh-'))
  remoteRoot = await mkdtemp(path.join(os.tmpdir(), 'ccrr-'))
  // Counts every ssh ccmcp starts, then is the user's own ssh with its own config.
  calls = path.join(box.home, 'ssh-calls')
  const wrapper = path.join(box.home, 'counting-ssh')
  await writeFile(wrapper, `#!/bin/sh\necho "$*" >> '${calls}'\nexec ssh "$@"\n`)
  await chmod(wrapper, 0o755)
  box.env.CCMCP_SSH = `${wrapper} -F ${path.join(sshd.dir, 'ssh_config')}`
  remoteCcmcp = `env CCMCP_HOME=${remoteHome} NO_COLOR=1 ${process.execPath} ${binPath}`
  // The host's `ccmcp` on its PATH, for the default remote command.
  await writeFile(path.join(sshd.binDir, 'ccmcp'), `#!/bin/sh\nexec ${remoteCcmcp} "$@"\n`)
  await chmod(path.join(sshd.binDir, 'ccmcp'), 0o755)
}, 60_000)

afterAll(async () => {
  await run('tmux', ['-S', path.join(remoteHome, 'tmux.sock'), 'kill-server']).catch(() => undefined)
  // Masters persist (ControlPersist): end each so no ssh outlives the test.
  for (const socket of await readdir(path.join(box.home, 'ssh')).catch(() => [])) {
    await run('ssh', ['-F', path.join(sshd.dir, 'ssh_config'), '-o', `ControlPath=${path.join(box.home, 'ssh', socket)}`, '-O', 'exit', sshd.alias]).catch(() => undefined)
  }
  await sshd.cleanup()
  await box.cleanup()
  await rm(remoteHome, {recursive: true, force: true, maxRetries: 10, retryDelay: 100})
  await rm(remoteRoot, {recursive: true, force: true})
})

async function sshCalls(): Promise<number> {
  return (await readFile(calls, 'utf8').catch(() => '')).split('\n').filter(Boolean).length
}

const records = () => path.join(remoteHome, 'records')
const agentCommand = () => `${JSON.stringify(process.execPath)} ${JSON.stringify(fakeAgent)} ${JSON.stringify(records())} ${JSON.stringify(hookScript)}`

async function prompts(agent: string): Promise<string[]> {
  const text = await readFile(path.join(records(), `${agent}.prompts.jsonl`), 'utf8').catch(() => '')
  return text.split('\n').filter(Boolean).map((line) => JSON.parse(line).prompt)
}

describe('a session on another host, over real sshd', () => {
  it('creates the session there, runs 3 agents, delivers hostile text byte-exact, and reads status in one round trip', async () => {
    const created = await box.run(['session', 'create', 'far', '--host', sshd.alias, '--root', remoteRoot, '--remote-ccmcp', remoteCcmcp, '--json'])
    expect(created.exitCode, created.stdout + created.stderr).toBe(0)
    expect((created.json as Json).session).toMatchObject({name: 'far', host: sshd.alias, root: remoteRoot, backend: 'tmux'})
    // The host's own ccmcp holds the session (and will hold its agents); this side only its host.
    const there = (await readStoreFile(remoteHome)) as Json
    expect(there.sessions.map((session: Json) => session.name)).toEqual(['far'])

    for (let index = 0; index < 3; index++) {
      const agent = await box.run(['agent', 'create', 'far', '--command', agentCommand(), '--json'])
      expect(agent.exitCode, agent.stdout + agent.stderr).toBe(0)
    }
    const name = 'far/Agent_1'
    // Sent back to back: a message that finds the agent mid-turn waits in the host's queue, in order.
    for (const message of HOSTILE_MESSAGES.slice(0, 6)) {
      const sent = await box.run(['agent', 'send', '--json', name, '--', message])
      expect(sent.exitCode, sent.stdout + sent.stderr).toBe(0)
    }
    expect(await eventually(async () => {
      const got = await prompts('Agent_1')
      return got.length === 6 ? got : undefined
    }, 60_000)).toEqual(HOSTILE_MESSAGES.slice(0, 6))
    // Nothing in them ran on either side.
    await expect(readFile('/tmp/ccmcp-pwned')).rejects.toThrow()

    const before = await sshCalls()
    const status = await box.run(['session', 'status', 'far', '--json'])
    expect(status.exitCode).toBe(0)
    expect((status.json as Json).agents.map((agent: Json) => agent.name)).toEqual(['Agent_1', 'Agent_2', 'Agent_3'])
    expect((status.json as Json).session.host).toBe(sshd.alias)
    expect(await sshCalls()).toBe(before + 1)

    const listed = await box.run(['session', 'list', '--json'])
    expect((listed.json as Json).sessions).toEqual([expect.objectContaining({name: 'far', host: sshd.alias, agents: 3, hostError: null})])
  }, 240_000)

  it('a remote tmux server killed → its agents lost → recover brings them back', async () => {
    await run('tmux', ['-S', path.join(remoteHome, 'tmux.sock'), 'kill-server'])
    const lost = await box.run(['session', 'status', 'far', '--json'])
    expect((lost.json as Json).agents.map((agent: Json) => agent.status)).toEqual(['lost', 'lost', 'lost'])
    const recovered = await box.run(['session', 'recover', 'far', '--json'])
    expect(recovered.exitCode, recovered.stdout + recovered.stderr).toBe(0)
    const after = await box.run(['session', 'status', 'far', '--json'])
    expect((after.json as Json).agents.every((agent: Json) => !['lost', 'closed', 'exited'].includes(agent.status))).toBe(true)
  }, 120_000)

  it('a host that goes down is named, its agents unknown (never lost); when it is back everything works again', async () => {
    await sshd.stop()
    const down = await box.run(['session', 'status', 'far', '--json'])
    expect(down.exitCode, down.stdout + down.stderr).toBe(0)
    const agents = (down.json as Json).agents as Json[]
    expect(agents.map((agent) => agent.status)).toEqual(['unknown', 'unknown', 'unknown'])
    expect(agents[0]?.lastError).toContain(`Cannot reach ${sshd.alias}`)
    const listed = await box.run(['session', 'list', '--json'])
    expect(listed.exitCode).toBe(0)
    expect((listed.json as Json).sessions[0].hostError).toContain(sshd.alias)
    // Changes need the host: refused with the reason, nothing queued here.
    const sent = await box.run(['agent', 'send', 'far/Agent_1', 'hello', '--json'])
    expect(sent.exitCode).toBe(4)
    const doctor = await box.run(['doctor', '--host', sshd.alias, '--json'])
    expect(doctor.exitCode).toBe(4)
    expect((doctor.json as Json).checks[0]).toMatchObject({name: `host ${sshd.alias}`, status: 'fail'})

    await sshd.start()
    const back = await box.run(['session', 'status', 'far', '--json'])
    expect(back.exitCode, back.stdout + back.stderr).toBe(0)
    expect((back.json as Json).agents.map((agent: Json) => agent.status)).not.toContain('unknown')
    // The host answers and runs tmux; it has no claude, which its own check says (exit 3, NOT_FOUND).
    const healthy = await box.run(['doctor', '--host', sshd.alias, '--json'])
    const checks = (healthy.json as Json).checks as Json[]
    expect(checks.map((check) => [check.name, check.status])).toEqual(expect.arrayContaining([[`host ${sshd.alias}`, 'ok'], [`${sshd.alias}: backend tmux`, 'ok'], [`${sshd.alias}: program claude`, 'fail']]))
    expect(healthy.exitCode).toBe(3)
  }, 120_000)

  it('focus prints the ssh -t line that attaches to the remote tab', async () => {
    const focus = await box.run(['agent', 'focus', 'far/Agent_2', '--json'])
    expect(focus.exitCode, focus.stdout + focus.stderr).toBe(0)
    const hint = (focus.json as Json).hint as string
    expect(hint).toMatch(new RegExp(`^\\S*counting-ssh -F \\S+ -t -- ${sshd.alias} 'tmux -S `))
    expect(hint).toContain(path.join(remoteHome, 'tmux.sock'))
  }, 60_000)

  it('a stale ControlMaster socket is removed instead of hanging ssh', async () => {
    const dir = path.join(box.home, 'ssh')
    const [socket] = await readdir(dir)
    expect(socket).toBeDefined()
    await run('ssh', ['-F', path.join(sshd.dir, 'ssh_config'), '-o', `ControlPath=${path.join(dir, socket as string)}`, '-O', 'exit', sshd.alias]).catch(() => undefined)
    // A master killed hard leaves its socket file behind with nothing listening.
    await run('python3', ['-c', `import socket; s = socket.socket(socket.AF_UNIX); s.bind(${JSON.stringify(path.join(dir, socket as string))})`])
    const status = await box.run(['session', 'status', 'far', '--json'])
    expect(status.exitCode, status.stdout + status.stderr).toBe(0)
  }, 60_000)

  it('deleting the remote session deletes it there and here', async () => {
    const deleted = await box.run(['session', 'delete', 'far', '--yes', '--json'])
    expect(deleted.exitCode, deleted.stdout + deleted.stderr).toBe(0)
    expect((deleted.json as Json).deleted.agents).toEqual(['Agent_1', 'Agent_2', 'Agent_3'])
    const there = (await readStoreFile(remoteHome)) as Json
    expect(there.sessions).toEqual([])
    expect(((await box.run(['session', 'list', '--json'])).json as Json).sessions).toEqual([])
  }, 60_000)
})

describe('the remote ccmcp itself', () => {
  it('is refused clearly when it is missing or is not ccmcp', async () => {
    const missing = await box.run(['session', 'create', 'nope', '--host', sshd.alias, '--root', remoteRoot, '--remote-ccmcp', '/nonexistent/ccmcp', '--json'])
    expect(missing.exitCode).toBe(17)
    expect((missing.json as Json).error.message).toContain(`ccmcp is not installed on ${sshd.alias}`)
    const stranger = await box.run(['session', 'create', 'nope', '--host', sshd.alias, '--root', remoteRoot, '--remote-ccmcp', 'echo', '--json'])
    expect(stranger.exitCode).toBe(17)
    expect((stranger.json as Json).error.message).toContain('wire protocol')
    expect(((await box.run(['session', 'list', '--json'])).json as Json).sessions.map((session: Json) => session.name)).not.toContain('nope')
  }, 60_000)

  it('serves MCP clients the same way: create, agents, status, delete through a real client', async () => {
    const server = await startStdioServer(box, ['--security-level', 'HIGH'])
    try {
      const created = await server.call('create_session', {name: 'mcpfar', root: remoteRoot, host: sshd.alias})
      expect(created.isError, JSON.stringify(created.content)).toBeFalsy()
      expect(created.structuredContent).toMatchObject({session: {name: 'mcpfar', host: sshd.alias}})
      const agent = await server.call('create_agent', {session: 'mcpfar', command: agentCommand()})
      expect(agent.isError, JSON.stringify(agent.content)).toBeFalsy()
      // The remote ccmcp's records are by agent name; the far session's Agent_1 is gone, so this one's file is new.
      await rm(path.join(records(), 'Agent_1.prompts.jsonl'), {force: true})
      const sent = await server.call('send_message_to_agent', {agent: 'mcpfar/Agent_1', message: HOSTILE_MESSAGES[0] as string})
      expect(sent.isError, JSON.stringify(sent.content)).toBeFalsy()
      expect(await eventually(async () => ((await prompts('Agent_1')).length > 0 ? prompts('Agent_1') : undefined), 60_000)).toEqual([HOSTILE_MESSAGES[0]])
      const status = await server.call('get_session_status', {name: 'mcpfar'})
      expect((status.structuredContent as Json).agents.map((one: Json) => one.name)).toEqual(['Agent_1'])
      expect((status.structuredContent as Json).session.host).toBe(sshd.alias)
      const deleted = await server.call('delete_session', {name: 'mcpfar'})
      expect(deleted.isError, JSON.stringify(deleted.content)).toBeFalsy()
    } finally {
      await server.close()
    }
  }, 120_000)
})

describe('live status from a host: one watch --json --follow stream, not a call per refresh', () => {
  it('watch --json --follow prints a line per change', async () => {
    const child = spawn(process.execPath, [binPath, 'watch', '--json', '--follow', '--interval', '5'], {env: {...process.env, ...box.env}, stdio: ['ignore', 'pipe', 'inherit']})
    const exited = once(child, 'exit')
    const lines: Json[] = []
    createInterface({input: child.stdout}).on('line', (line) => lines.push(JSON.parse(line)))
    try {
      await eventually(async () => (lines.length > 0 ? true : undefined), 60_000)
      expect(lines[0]).toHaveProperty('agents')
      const made = await box.run(['session', 'create', 'followed', '--root', box.root, '--json'])
      expect(made.exitCode).toBe(0)
      await eventually(async () => (lines.at(-1)?.sessions.some((session: Json) => session.name === 'followed') ? true : undefined), 60_000)
    } finally {
      child.kill('SIGTERM')
      await box.run(['session', 'delete', 'followed', '--yes'])
    }
    const [code] = (await exited) as [number | null]
    // Stopped by a signal, it ends well: exit 0 and nothing but JSON lines on stdout.
    expect(code).toBe(0)
  }, 180_000)

  it('serves lists from the stream while it runs, falls back while the host is down, and resumes', async () => {
    expect((await box.run(['session', 'create', 'streamed', '--host', sshd.alias, '--root', remoteRoot, '--json'])).exitCode).toBe(0)
    expect((await box.run(['agent', 'create', 'streamed', '--command', agentCommand(), '--json'])).exitCode).toBe(0)
    const ssh = sshRemote({exec: processExec, ssh: ['ssh', '-F', path.join(sshd.dir, 'ssh_config')], controlDir: path.join(box.home, 'ssh'), env: {PATH: process.env.PATH ?? ''}})
    let plainCalls = 0
    const counted = {...ssh, call: (...args: Parameters<typeof ssh.call>) => (plainCalls++, ssh.call(...args))}
    const remote = withStatusStreams(counted, {argvFor: ssh.argvFor, env: {PATH: process.env.PATH ?? ''}, backoffMs: 200, maxBackoffMs: 500})
    const target = {host: sshd.alias, remoteCcmcp: 'ccmcp'}
    try {
      const first = (await remote.call(target, 'list_agents', {})) as {agents: Json[]}
      expect(first.agents.map((agent) => `${agent.session}/${agent.name}`)).toEqual(['streamed/Agent_1'])
      // Once the stream's first line is in, lists cost no call at all.
      await eventually(async () => {
        const before = plainCalls
        await remote.call(target, 'list_agents', {})
        return plainCalls === before ? true : undefined
      }, 60_000)
      await sshd.stop()
      await eventually(async () => {
        const result = await remote.call(target, 'list_agents', {}).then(() => 'answered', (error: Error) => error.message)
        return result.includes('Cannot reach') ? true : undefined
      }, 60_000)
      await sshd.start()
      await eventually(async () => {
        const before = plainCalls
        const answer = (await remote.call(target, 'list_agents', {}).catch(() => null)) as {agents: Json[]} | null
        return answer && plainCalls === before ? true : undefined
      }, 60_000)
    } finally {
      remote.close()
      await box.run(['session', 'delete', 'streamed', '--yes'])
    }
  }, 240_000)
})

describe('hosts that are refused before ssh runs', () => {
  it('a host starting with "-" or holding whitespace is refused, and ssh never starts', async () => {
    for (const host of ['-oProxyCommand=touch /tmp/ccmcp-pwned-ssh', 'a b', '']) {
      const result = await box.run(['session', 'create', 'bad', '--host', host, '--root', '/tmp', '--json'])
      expect(result.exitCode).toBe(2)
      expect((result.json as Json).error.message).toMatch(/cannot be used/)
    }
    await expect(readFile('/tmp/ccmcp-pwned-ssh')).rejects.toThrow()
  })
})
