/**
 * The built `ccmcp watch` as a user meets it: in a real terminal (a tmux pane on a viewer server
 * of its own, with a shell), with real agents (the fake-agent fixture in ccmcp's own tmux),
 * driven by keystrokes and judged by what the screen shows and what the agents received.
 * The steps run in order and share one watch.
 */
import {execa} from 'execa'
import {readFile} from 'node:fs/promises'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {type Sandbox, binPath, createSandbox, eventually, hookScript} from '../helpers/cli.js'
import {agentEnvFromPane} from '../helpers/agent-env.js'

let sandbox: Sandbox
const BROWSE_HELP_START = '↑↓ select · ⏎ focus'
let viewSocket: string

/** tmux on the viewer server (not ccmcp's): the terminal the user looks at. */
async function view(args: string[]): Promise<string> {
  const result = await execa('tmux', ['-u', '-S', viewSocket, ...args], {reject: false})
  if (result.exitCode !== 0) throw new Error(`tmux ${args.join(' ')}: ${result.stderr}`)
  return result.stdout
}

const screen = () => view(['capture-pane', '-p', '-t', 'view:0'])
const type = (text: string) => view(['send-keys', '-t', 'view:0', '-l', text])
const press = (...keys: string[]) => view(['send-keys', '-t', 'view:0', ...keys])

/** Waits until the screen shows `text` (a string or a pattern); returns the screen. */
async function shows(text: string | RegExp, timeoutMs = 10_000): Promise<string> {
  let last = ''
  try {
    return await eventually(async () => {
      last = await screen()
      return (typeof text === 'string' ? last.includes(text) : text.test(last)) ? last : undefined
    }, timeoutMs)
  } catch {
    throw new Error(`the screen never showed ${String(text)}; it showed:\n${last}`)
  }
}

function lineOf(current: string, text: string): string {
  return current.split('\n').find((line) => line.includes(text)) ?? ''
}

async function agents(): Promise<Array<{name: string; status: string; tab: {windowId: string} | null}>> {
  const result = await sandbox.run(['agent', 'list', '--json'])
  return (result.json as {agents: Array<{name: string; status: string; tab: {windowId: string} | null}>}).agents
}

async function prompts(agent: string): Promise<string[]> {
  const text = await readFile(path.join(sandbox.records, `${agent}.prompts.jsonl`), 'utf8').catch(() => '')
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as {prompt: string}).prompt)
}

beforeAll(async () => {
  sandbox = await createSandbox()
  viewSocket = path.join(sandbox.home, 'view.sock')
  expect((await sandbox.run(['session', 'create', 'demo', '--root', sandbox.root])).exitCode).toBe(0)
  expect((await sandbox.run(['agent', 'create', 'demo', '--command', sandbox.fakeAgentCommand()])).exitCode).toBe(0)
  await eventually(async () => ((await agents())[0]?.status === 'idle' ? true : undefined))
  // The user's terminal: a shell in a 120×40 pane. No CI variables (Ink would draw nothing until
  // exit), colours on (NO_COLOR unset), ccmcp's home pointing at the sandbox.
  const env = {PATH: process.env.PATH ?? '', HOME: sandbox.home, TERM: 'xterm-256color', LANG: 'C.UTF-8', CCMCP_HOME: sandbox.home}
  await execa('tmux', ['-u', '-S', viewSocket, '-f', '/dev/null', 'new-session', '-d', '-x', '120', '-y', '40', '-s', 'view', 'sh'], {env, extendEnv: false})
  await type(`echo before-watch; node ${binPath} watch --interval 0.5; echo "exit=$?"`)
  await press('Enter')
}, 60_000)

afterAll(async () => {
  await execa('tmux', ['-S', viewSocket, 'kill-server'], {reject: false})
  await sandbox?.cleanup()
})

describe('ccmcp watch in a real terminal', () => {
  it("shows every agent with its status, and the selected agent's screen", async () => {
    const current = await shows('fake agent Agent_1 ready')
    expect(current.split('\n')[0]).toBe('ccmcp watch · 1 session · 1 agent')
    // The detail is the command line, cut to the width (how much shows depends on install paths).
    expect(lineOf(current, 'Agent_1 idle')).toMatch(/^› ○ Agent_1 idle +\d+s {2}\S*node\b/)
    expect(current).toContain('── demo/Agent_1 · screen')
    expect(current).toContain('1 idle   1/1')
  })

  it('a status change an agent reports appears at once (the state file is watched)', async () => {
    const report = async (event: Record<string, unknown>) =>
      execa(process.execPath, [hookScript], {
        input: JSON.stringify({session_id: '00000000-0000-4000-8000-000000000000', ...event}),
        // As the agent's own hooks do: with its identity and secret (an event without them proves nothing).
        env: {CCMCP_HOME: sandbox.home, ...(await agentEnvFromPane(sandbox.tmux, 'demo/Agent_1'))},
      })
    // The PermissionRequest hook blocks until the prompt is answered or closed: it returns after the Stop below.
    const asking = report({hook_event_name: 'PermissionRequest', tool_name: 'Bash'})
    const current = await shows('? Agent_1 waiting', 2_000)
    expect(lineOf(current, 'Agent_1 waiting')).toContain('waits for permission: Bash')
    expect(current).toContain('1 waiting')
    // The permission is answered and the turn ends: idle again (messages to a waiting agent are queued).
    await report({hook_event_name: 'Stop', last_assistant_message: 'done'})
    await shows('○ Agent_1 idle', 2_000)
    expect((await asking).stdout).toBe('')
  })

  it('s sends a message, new lines included, and the agent receives it verbatim', async () => {
    await press('s')
    await shows('message to demo/Agent_1')
    await type('hello from watch; $(not run)')
    await press('C-j')
    await type('second line')
    await press('Enter')
    await shows('✓ Message delivered to demo/Agent_1.')
    await eventually(async () => ((await prompts('Agent_1')).length === 1 ? true : undefined))
    expect(await prompts('Agent_1')).toEqual(['hello from watch; $(not run)\nsecond line'])
    const current = await shows('↳ echo: hello from watch; $(not run) second line')
    expect(lineOf(current, 'Agent_1')).toContain('○ Agent_1 idle')
  })

  it('a adds an agent to the selected session', async () => {
    await press('a')
    await shows('new agent in demo')
    await type(sandbox.fakeAgentCommand())
    await press('Enter')
    await shows(/✓ Added demo\/Agent_2/)
    await shows(/› . Agent_2 idle/)
    expect((await agents()).map((agent) => agent.name)).toEqual(['Agent_1', 'Agent_2'])
    await shows('fake agent Agent_2 ready')
  })

  it('a failing action shows its error in the footer, and the TUI keeps running', async () => {
    await press('a')
    await type('"unclosed')
    await press('Enter')
    const current = await shows('✗ The command has an unclosed double quote: "unclosed')
    expect(current).toContain('Close the quote;')
    await press('k')
    await shows(/› . Agent_1 idle/)
    await shows('1/2')
  })

  it('Enter shows the exact tmux attach command when no client is attached, and switches an attached one', async () => {
    await press('Enter')
    const current = await shows("No terminal shows demo/Agent_1's tab. To see it, run:")
    const [agent1] = await agents()
    const hint = lineOf(current, 'attach -t')
    expect(hint).toBe(`tmux -S ${path.join(sandbox.home, 'tmux.sock')} attach -t '${(agent1?.tab as unknown as {sessionId: string}).sessionId}'`)
    // Attach a client to ccmcp's tmux, in a second window of the user's terminal.
    await view(['new-window', '-d', '-t', 'view:1', 'sh', '-c', `TMUX= ${hint.replace(/ attach .*/, ' attach')}`])
    // watch's own control-mode client (it reads the server through one) is no terminal: count only the others.
    const screens = async (format: string) => (await sandbox.tmux(['list-clients', '-F', `#{client_control_mode} ${format}`])).stdout.split('\n').filter((line) => line.startsWith('0 ')).map((line) => line.slice(2))
    await eventually(async () => ((await screens('#{client_name}')).length > 0 ? true : undefined))
    await press('j', 'Enter')
    await shows("✓ Switched to demo/Agent_2's tab.")
    const [agent2] = (await agents()).slice(1)
    await eventually(async () => ((await screens('#{window_id}')).join('\n') === agent2?.tab?.windowId ? true : undefined))
    await view(['kill-window', '-t', 'view:1'])
  })

  it('d asks y/N: N keeps the agent, y deletes it', async () => {
    await press('d')
    await shows('Delete demo/Agent_2? Its tab is closed and the agent forgotten. [y/N]')
    await press('n')
    await shows('Cancelled; nothing was changed.')
    expect((await agents()).map((agent) => agent.name)).toEqual(['Agent_1', 'Agent_2'])
    await press('d', 'y')
    await shows('✓ Deleted demo/Agent_2.')
    expect((await agents()).map((agent) => agent.name)).toEqual(['Agent_1'])
  })

  it('a tab that vanishes shows as lost within the interval, and r restarts the agent', async () => {
    const [agent1] = await agents()
    await sandbox.tmux(['kill-window', '-t', agent1?.tab?.windowId ?? ''])
    await shows('! Agent_1 lost', 3_000)
    await press('r')
    await shows('Restart demo/Agent_1 in a new tab, continuing its conversation? [y/N]')
    await press('y')
    await shows('✓ Restarted demo/Agent_1.')
    await shows(/› ○ Agent_1 idle/)
    await shows('fake agent Agent_1 ready')
  })

  it('c clears the conversation, n starts a new one', async () => {
    await press('c', 'y')
    await shows('· Agent_1 closed')
    expect((await agents())[0]?.status).toBe('closed')
    await press('n')
    await shows('Start a new conversation for demo/Agent_1? The current one ends. [y/N]')
    await press('y')
    await shows('○ Agent_1 idle')
  })

  it('q quits and leaves the terminal as it was: shell back, screen restored, cooked mode, cursor shown', async () => {
    await press('q')
    const current = await shows('exit=0')
    expect(current).toContain('before-watch')
    expect(current).not.toContain('ccmcp watch ·')
    expect(await view(['display-message', '-p', '-t', 'view:0', '#{alternate_on} #{cursor_flag}'])).toBe('0 1')
    // A line typed now is echoed and run by the shell: the tty is out of raw mode.
    await type('echo done-$((40 + 2))')
    await press('Enter')
    await shows('done-42')
  })

  it('without a terminal on stdin it only watches, and Ctrl-C ends it cleanly (status 130, interrupted)', async () => {
    await type(`node ${binPath} watch < /dev/null; echo "exit=$?"`)
    await press('Enter')
    await shows('read-only: stdin is not a terminal · Ctrl-C quits')
    await press('d')
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(await screen()).not.toContain('Delete demo/Agent_1?')
    await press('C-c')
    await shows('exit=130')
    expect(await view(['display-message', '-p', '-t', 'view:0', '#{alternate_on} #{cursor_flag}'])).toBe('0 1')
  })

  it('a SIGTERM to the interactive TUI restores the terminal too (status 143)', async () => {
    await type('clear')
    await press('Enter')
    await type(`node ${binPath} watch; echo "exit=$?"`)
    await press('Enter')
    await shows(BROWSE_HELP_START)
    const shell = (await view(['display-message', '-p', '-t', 'view:0', '#{pane_pid}'])).trim()
    const watch = (await execa('pgrep', ['-P', shell])).stdout.trim()
    process.kill(Number(watch), 'SIGTERM')
    await shows('exit=143')
    expect(await view(['display-message', '-p', '-t', 'view:0', '#{alternate_on} #{cursor_flag}'])).toBe('0 1')
    await type('echo raw-mode-$((6 * 7))-off')
    await press('Enter')
    await shows('raw-mode-42-off')
  })
})
