/**
 * Issue 9 items 1, 9, 10, 11 with the built binary and a real private tmux server: a tab is an
 * agent's only while it carries the agent's launch id; a deleted socket, a killed `agent create`
 * and a program that dies at once never leave duplicates, phantoms or other agents harmed.
 */
import {execa} from 'execa'
import {existsSync} from 'node:fs'
import {chmod, rm, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {type Sandbox, binPath, createSandbox, eventually} from '../helpers/cli.js'
import {startStdioServer} from '../helpers/serve.js'

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

let box: Sandbox
beforeEach(async () => {
  box = await createSandbox()
})
afterEach(async () => {
  await box.cleanup()
})

const SHELL = 'bash --norc --noprofile -i'

async function ok(args: string[], options: {env?: Record<string, string>} = {}): Promise<Json> {
  const result = await box.run([...args, '--json'], options)
  expect(result.exitCode, `${args.join(' ')}: ${result.stderr}`).toBe(0)
  return result.json as Json
}

/** Every pane of the private server: its launch id tag and whether its program still runs. */
async function panes(): Promise<Array<{pane: string; launch: string; agent: string; dead: boolean; pid: string}>> {
  const listed = await box.tmux(['list-panes', '-a', '-F', '#{pane_id} #{pane_dead} #{pane_pid} #{@ccmcp_launch} #{@ccmcp_agent}'])
  if (listed.exitCode !== 0) return []
  return listed.stdout.split('\n').filter(Boolean).map((line) => {
    const [pane = '', dead, pid = '', launch = '', agent = ''] = line.split(' ')
    return {pane, launch, agent, dead: dead === '1', pid}
  })
}

async function agents(session?: string): Promise<Json[]> {
  return session === undefined ? (await ok(['agent', 'list'])).agents : (await ok(['session', 'status', session])).agents
}

/** Each agent of the sessions runs in exactly one live pane, which carries its launch id. */
async function expectEachAgentInItsOwnPane(sessions: string[]): Promise<void> {
  const live = (await panes()).filter((pane) => !pane.dead)
  const all = (await agents()).filter((agent) => sessions.includes(agent.session))
  for (const agent of all) {
    expect(agent.status, `${agent.session}/${agent.name}`).toBe('unknown')
    const own = live.filter((pane) => pane.agent === `${agent.session}/${agent.name}`)
    expect(own.map((pane) => pane.launch), `${agent.session}/${agent.name}`).toEqual([agent.launchId])
    expect(agent.tab.paneId).toBe(own[0]?.pane)
  }
  expect(live).toHaveLength(all.length)
}

describe('tab identity after a tmux server restart (item 1)', () => {
  it("recovering two sessions never harms one session's agents by the other's commands", async () => {
    await ok(['session', 'create', 'p', '--root', box.root])
    await ok(['session', 'create', 'q', '--root', box.root])
    for (const session of ['p', 'p', 'q']) await ok(['agent', 'create', session, '--command', SHELL])
    await expectEachAgentInItsOwnPane(['p', 'q'])

    await box.tmux(['kill-server'])
    expect((await agents('p')).map((agent) => agent.status)).toEqual(['lost', 'lost'])
    // Q comes back first and takes the new server's first ids (@0/%0, @1/%1): P's stale ones.
    expect((await ok(['session', 'recover', 'q'])).restarted).toEqual(['Agent_1'])
    await ok(['agent', 'create', 'q', '--command', SHELL])
    await expectEachAgentInItsOwnPane(['q'])

    // Every command on P's lost agents, whose stored ids now name Q's tabs.
    expect((await box.run(['agent', 'read', 'p/Agent_1'])).exitCode).toBe(11)
    expect((await box.run(['agent', 'send', 'p/Agent_2', 'echo hi'])).exitCode).not.toBe(0)
    await ok(['agent', 'clear', 'p/Agent_2'])
    await expectEachAgentInItsOwnPane(['q'])
    expect((await ok(['session', 'recover', 'p'])).restarted).toEqual(['Agent_1'])
    await ok(['agent', 'new-conversation', 'p/Agent_2'])
    await expectEachAgentInItsOwnPane(['p', 'q'])

    // Once more, the other way round: restart the server, recover P first, delete Q.
    await box.tmux(['kill-server'])
    await ok(['session', 'recover', 'p'])
    await ok(['agent', 'delete', 'q/Agent_1', '--yes'])
    await ok(['session', 'delete', 'q', '--yes'])
    await expectEachAgentInItsOwnPane(['p'])
  }, 400_000)
})

describe('a deleted tmux socket (item 9)', () => {
  it('is recreated: agents stay alive, recover starts nothing twice', async () => {
    await ok(['session', 'create', 's', '--root', box.root])
    await ok(['agent', 'create', 's', '--command', SHELL])
    await ok(['agent', 'create', 's', '--command', SHELL])
    const before = await panes()
    await rm(path.join(box.home, 'tmux.sock'))

    expect((await agents('s')).map((agent) => agent.status)).toEqual(['unknown', 'unknown'])
    expect(existsSync(path.join(box.home, 'tmux.sock'))).toBe(true)
    await rm(path.join(box.home, 'tmux.sock'))
    const recovered = await ok(['session', 'recover', 's'])
    expect([recovered.restarted, recovered.adopted]).toEqual([[], []])
    expect(await panes()).toEqual(before)
    await expectEachAgentInItsOwnPane(['s'])
  }, 180_000)
})

/**
 * A `tmux` on PATH that runs the real one, then, for the command that opens a window, signals
 * the test and hangs (once a window really opened): the creator is then killed with its tab open but not yet recorded.
 * With `before`, it hangs before the window is opened instead.
 */
async function hangingTmux(when: 'before' | 'after'): Promise<{env: Record<string, string>; reached: string; release: string}> {
  const dir = path.join(box.home, 'shim')
  const reached = path.join(dir, 'reached')
  const release = path.join(dir, 'release')
  const realTmux = (await execa('sh', ['-c', 'command -v tmux'])).stdout.trim()
  const hang = `case "$*" in *new-window*|*new-session*) : > '${reached}'; while [ ! -e '${release}' ]; do sleep 0.05; done;; esac`
  // Released (its creator long dead), a `before` shim must not open the window after all.
  const script = when === 'after' ? `'${realTmux}' "$@"; rc=$?\n[ $rc -eq 0 ] && ${hang}\nexit $rc\n` : `${hang.replace(';; esac', '; exit 1;; esac')}\nexec '${realTmux}' "$@"\n`
  await execa('mkdir', ['-p', dir])
  await writeFile(path.join(dir, 'tmux'), `#!/bin/sh\n${script}`)
  await chmod(path.join(dir, 'tmux'), 0o755)
  return {env: {PATH: `${dir}:${process.env.PATH ?? '/usr/bin:/bin'}`}, reached, release}
}

async function killCreateMidway(when: 'before' | 'after'): Promise<void> {
  const shim = await hangingTmux(when)
  const creator = execa(process.execPath, [binPath, 'agent', 'create', 's', '--command', SHELL, '--json'], {env: {...box.env, ...shim.env}, reject: false})
  await eventually(async () => (existsSync(shim.reached) ? true : undefined), 30_000)
  creator.kill('SIGKILL')
  await creator
  await writeFile(shim.release, '')
}

describe('kill -9 of `agent create` mid-way (item 10)', () => {
  it('after its tab opened: the tab is adopted, and new-conversation and delete leave no orphan', async () => {
    await ok(['session', 'create', 's', '--root', box.root])
    await killCreateMidway('after')
    expect((await panes()).filter((pane) => !pane.dead)).toHaveLength(1)
    await expectEachAgentInItsOwnPane(['s'])

    await ok(['agent', 'new-conversation', 's/Agent_1'])
    await expectEachAgentInItsOwnPane(['s'])
    await ok(['agent', 'delete', 's/Agent_1', '--yes'])
    expect(await panes()).toEqual([])
  }, 180_000)

  it('after it was killed, delete closes the orphan tab even before anything reconciled it', async () => {
    await ok(['session', 'create', 's', '--root', box.root])
    await killCreateMidway('after')
    await ok(['agent', 'delete', 's/Agent_1', '--yes'])
    expect(await panes()).toEqual([])
  }, 180_000)

  it('before its tab opened: the agent is lost, and restart and recover bring it back once', async () => {
    await ok(['session', 'create', 's', '--root', box.root])
    await ok(['agent', 'create', 's', '--command', SHELL])
    await killCreateMidway('before')
    expect((await agents('s')).map((agent) => [agent.name, agent.status])).toEqual([['Agent_1', 'unknown'], ['Agent_2', 'lost']])
    await ok(['agent', 'restart', 's/Agent_2'])
    await expectEachAgentInItsOwnPane(['s'])
    const recovered = await ok(['session', 'recover', 's'])
    expect([recovered.restarted, recovered.adopted]).toEqual([[], []])
    await expectEachAgentInItsOwnPane(['s'])
  }, 180_000)
})

describe('a program agent that ends at once (item 11)', () => {
  it('is a failed create (exit 6, its last screen lines) that leaves nothing behind, from the CLI and over MCP', async () => {
    await ok(['session', 'create', 's', '--root', box.root])
    const missing = await box.run(['agent', 'create', 's', '--command', 'no-such-program --flag'])
    expect(missing.exitCode, missing.stderr).toBe(6)
    // 127 when tmux recorded it; tmux sometimes records no status for a program that ends within milliseconds.
    expect(missing.stderr).toMatch(/exited with status (127|unknown)/)
    expect(missing.stderr).toMatch(/no-such-program.*(No such file or directory|not found)/)

    expect(await agents('s')).toEqual([])
    expect(await panes()).toEqual([])

    const server = await startStdioServer(box)
    try {
      const result = await server.call('create_agent', {session: 's', command: 'no-such-program'})
      expect(result.isError).toBe(true)
      expect(JSON.stringify(result.content)).toMatch(/AGENT_START_FAILED: .*exited with status (127|unknown)/)
    } finally {
      await server.close()
    }
    expect(await agents('s')).toEqual([])
    // A program that keeps running is created as before.
    await ok(['agent', 'create', 's', '--command', SHELL])
    await expectEachAgentInItsOwnPane(['s'])
  }, 180_000)
})
