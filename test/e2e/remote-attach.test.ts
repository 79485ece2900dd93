/**
 * `agent focus --attach` on an agent of another host, over a REAL sshd: in a real terminal (a pty
 * from util-linux `script`) it runs `ssh -t host tmux … attach` and shows the agent's screen until
 * the client is detached, then exits with its code; without a terminal it is refused and runs
 * nothing; in iTerm2 (its variables) it uses `tmux -CC`, whose control-mode stream is what iTerm2
 * turns into native tabs.
 */
import {execFile, spawn} from 'node:child_process'
import {chmod, mkdtemp, readFile, readdir, rm, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {promisify} from 'node:util'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {shellQuote} from '../../src/core/domain/shell-quote.js'
import {type Sandbox, binPath, createSandbox, eventually, fakeAgent, hookScript} from '../helpers/cli.js'
import {type TestSshd, startSshd} from '../helpers/sshd.js'

const run = promisify(execFile)
type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

let box: Sandbox
let sshd: TestSshd
let remoteHome: string
let remoteRoot: string
let calls: string

const remoteTmux = (...args: string[]) => run('tmux', ['-S', path.join(remoteHome, 'tmux.sock'), ...args])
const sshRuns = async () => (await readFile(calls, 'utf8').catch(() => '')).split('\n').filter(Boolean)

beforeAll(async () => {
  box = await createSandbox()
  sshd = await startSshd()
  remoteHome = await mkdtemp(path.join(os.tmpdir(), 'ccrh-'))
  remoteRoot = await mkdtemp(path.join(os.tmpdir(), 'ccrr-'))
  calls = path.join(box.home, 'ssh-calls')
  const wrapper = path.join(box.home, 'counting-ssh')
  await writeFile(wrapper, `#!/bin/sh\necho "$*" >> '${calls}'\nexec ssh "$@"\n`)
  await chmod(wrapper, 0o755)
  box.env.CCMCP_SSH = `${wrapper} -F ${path.join(sshd.dir, 'ssh_config')}`
  await writeFile(path.join(sshd.binDir, 'ccmcp'), `#!/bin/sh\nexec env CCMCP_HOME=${remoteHome} NO_COLOR=1 ${process.execPath} ${binPath} "$@"\n`)
  await chmod(path.join(sshd.binDir, 'ccmcp'), 0o755)
  expect((await box.run(['session', 'create', 'far', '--host', sshd.alias, '--root', remoteRoot, '--json'])).exitCode).toBe(0)
  const records = path.join(remoteHome, 'records')
  const command = [process.execPath, fakeAgent, records, hookScript].map((part) => JSON.stringify(part)).join(' ')
  const agent = await box.run(['agent', 'create', 'far', '--command', command, '--json'])
  expect(agent.exitCode, agent.stdout + agent.stderr).toBe(0)
}, 120_000)

afterAll(async () => {
  await remoteTmux('kill-server').catch(() => undefined)
  for (const socket of await readdir(path.join(box.home, 'ssh')).catch(() => [])) {
    await run('ssh', ['-F', path.join(sshd.dir, 'ssh_config'), '-o', `ControlPath=${path.join(box.home, 'ssh', socket)}`, '-O', 'exit', sshd.alias]).catch(() => undefined)
  }
  await sshd.cleanup()
  await box.cleanup()
  await rm(remoteHome, {recursive: true, force: true, maxRetries: 10, retryDelay: 100})
  await rm(remoteRoot, {recursive: true, force: true})
})

/** `ccmcp <args>` in a pty of its own (80×24), its terminal output as it comes, and its exit code. */
function inTerminal(args: string[], env: Record<string, string> = {}) {
  const line = `stty cols 80 rows 24; exec ${[process.execPath, binPath, ...args].map(shellQuote).join(' ')}`
  const {TMUX: _tmux, ...outer} = process.env
  const child = spawn('script', ['-qfec', line, '/dev/null'], {env: {...outer, ...box.env, TERM: 'xterm-256color', ...env}, stdio: ['pipe', 'pipe', 'pipe']})
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  return {output: () => output, exited, kill: () => child.kill('SIGKILL')}
}

/** Detaches every client of the host's tmux (what Ctrl-b d does for the user). */
async function detachAll(): Promise<void> {
  const clients = (await remoteTmux('list-clients', '-F', '#{client_name}')).stdout.split('\n').filter(Boolean)
  for (const client of clients) await remoteTmux('detach-client', '-t', client)
}

describe('agent focus --attach on an agent of another host', () => {
  it('without a terminal is refused with exit 17 and runs nothing, not even ssh', async () => {
    const before = (await sshRuns()).length
    const refused = await box.spawn(['agent', 'focus', 'far/Agent_1', '--attach'])
    expect(refused.exitCode).toBe(17)
    expect(refused.stderr).toContain('agent focus --attach needs a terminal, and stdin and stdout are not one; nothing was run.')
    expect(refused.stdout).toBe('')
    expect((await sshRuns()).length).toBe(before)
    // The line it would run is still there for the asking.
    const printed = await box.run(['agent', 'focus', 'far/Agent_1', '--json'])
    expect((printed.json as Json).attach).toEqual([expect.stringMatching(/counting-ssh$/), '-F', path.join(sshd.dir, 'ssh_config'), '-t', '--', sshd.alias, expect.stringMatching(/^tmux -S \S+tmux\.sock attach -t /)])
  }, 60_000)

  it("in a terminal runs ssh -t host tmux attach: the agent's screen shows until the client detaches, and it exits 0", async () => {
    const terminal = inTerminal(['agent', 'focus', 'far/Agent_1', '--attach'])
    try {
      await eventually(async () => (terminal.output().includes('fake agent Agent_1 ready') ? true : undefined), 60_000).catch(() => {
        throw new Error(`the terminal never showed the agent; it showed:\n${terminal.output()}`)
      })
      expect((await sshRuns()).at(-1)).toMatch(new RegExp(`-t -- ${sshd.alias} tmux -S \\S+ attach -t `))
      await eventually(async () => ((await remoteTmux('list-clients', '-F', '#{client_name}')).stdout.trim() ? true : undefined), 30_000)
      await detachAll()
      expect(await terminal.exited).toBe(0)
    } finally {
      terminal.kill()
    }
  }, 120_000)

  it('in iTerm2 uses tmux -CC: the host sends the control-mode stream iTerm2 draws as native tabs', async () => {
    const terminal = inTerminal(['agent', 'focus', 'far/Agent_1', '--attach'], {LC_TERMINAL: 'iTerm2', TERM_PROGRAM: 'iTerm.app'})
    try {
      // tmux -CC opens with DCS 1000p, then %begin/%end blocks and notifications such as %session-changed.
      await eventually(async () => (terminal.output().includes('\u001BP1000p') && terminal.output().includes('%session-changed') ? true : undefined), 60_000).catch(() => {
        throw new Error(`no control-mode stream; the terminal showed:\n${JSON.stringify(terminal.output())}`)
      })
      expect((await sshRuns()).at(-1)).toMatch(new RegExp(`-t -- ${sshd.alias} tmux -CC -S \\S+ attach -t `))
      await eventually(async () => ((await remoteTmux('list-clients', '-F', '#{client_name}')).stdout.trim() ? true : undefined), 30_000)
      await detachAll()
      expect(await terminal.exited).toBe(0)
    } finally {
      terminal.kill()
    }
  }, 120_000)
})
