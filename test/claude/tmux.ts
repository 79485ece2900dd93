/**
 * Raw tmux on a private socket, for driving the real Claude Code TUI in the harness test
 * without going through ccmcp (so the harness proves Claude Code's behaviour, not ours).
 * Every call is an argv array; text goes in as literal keys or a paste buffer.
 */
import {execa} from 'execa'
import {writeFile} from 'node:fs/promises'
import path from 'node:path'

export interface LaunchOptions {
  /** Directory for the socket and config (keep it short: socket paths are limited to ~100 bytes). */
  dir: string
  cwd: string
  /** Environment for the tmux server itself (e.g. `baseEnv()`); the pane inherits it. */
  serverEnv: Record<string, string>
  /** Set on the pane with `-e` (e.g. `ClaudeHome.env`). */
  env: Record<string, string>
  argv: string[]
  width?: number
  height?: number
}

// remain-on-exit: a Claude Code that exits keeps its last screen (errors) readable.
const CONFIG = `set -g remain-on-exit on
set -g history-limit 5000
set -s escape-time 10
`

/** tmux treats an argument ending in ";" as a command separator; "\;" keeps it literal. */
function literal(arg: string): string {
  return arg.endsWith(';') ? `${arg.slice(0, -1)}\\;` : arg
}

export class PrivateTmux {
  private constructor(
    readonly socket: string,
    private readonly config: string,
    private readonly serverEnv: Record<string, string>,
  ) {}

  /** Starts a server with one session running `argv` in `cwd`. */
  static async launch(options: LaunchOptions): Promise<PrivateTmux> {
    const config = path.join(options.dir, 'tmux.conf')
    await writeFile(config, CONFIG)
    const tmux = new PrivateTmux(path.join(options.dir, 's'), config, options.serverEnv)
    await tmux.relaunch(options)
    return tmux
  }

  /** Starts a new server on the same socket (after `kill()`), as a terminal restart would. */
  async relaunch(options: Omit<LaunchOptions, 'dir' | 'serverEnv'>): Promise<void> {
    const env = Object.entries(options.env).flatMap(([key, value]) => ['-e', `${key}=${value}`])
    await this.run([
      'new-session', '-d', '-s', 'main',
      '-x', String(options.width ?? 200), '-y', String(options.height ?? 50),
      '-c', literal(options.cwd.replaceAll('#', '##')),
      ...env.map(literal),
      '--', ...options.argv.map(literal),
    ])
  }

  async run(args: string[], input?: string): Promise<string> {
    const result = await execa('tmux', ['-S', this.socket, '-f', this.config, ...args], {
      env: this.serverEnv,
      extendEnv: false,
      input,
      reject: false,
      timeout: 10_000,
    })
    if (result.exitCode !== 0) throw new Error(`tmux ${args[0]} failed (${result.exitCode}): ${result.stderr}`)
    return result.stdout
  }

  /** The visible screen, trailing blank lines dropped. */
  async screen(): Promise<string> {
    const text = await this.run(['capture-pane', '-p', '-t', 'main'])
    return text.replace(/\s+$/, '')
  }

  /** Screen plus scrollback: a program that printed an error and exited may have scrolled it away. */
  async history(): Promise<string> {
    return (await this.run(['capture-pane', '-p', '-S', '-', '-t', 'main'])).replace(/\s+$/, '')
  }

  /** Polls the screen until `pattern` matches; rejects with the screen after `timeoutMs`. */
  async waitForScreen(pattern: RegExp, timeoutMs = 60_000): Promise<{screen: string; at: number}> {
    const deadline = Date.now() + timeoutMs
    let screen = ''
    for (;;) {
      screen = await this.screen().catch((error: unknown) => `(no screen: ${String(error)})`)
      if (pattern.test(screen)) return {screen, at: Date.now()}
      if (Date.now() > deadline) throw new Error(`screen never matched ${pattern} within ${timeoutMs} ms:\n${screen}`)
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
  }

  async typeText(text: string): Promise<void> {
    await this.run(['send-keys', '-t', 'main', '-l', '--', literal(text)])
  }

  async pressKey(key: 'Enter' | 'Down' | 'Up' | 'Escape'): Promise<void> {
    await this.run(['send-keys', '-t', 'main', key])
  }

  /** Bracketed paste (-p) keeping LF as LF (-r), so a multi-line text stays one unsent prompt. */
  async paste(text: string): Promise<void> {
    await this.run(['load-buffer', '-b', 'harness', '-'], text)
    await this.run(['paste-buffer', '-p', '-r', '-d', '-b', 'harness', '-t', 'main'])
  }

  /** Whether the pane's program has exited (remain-on-exit keeps the pane). */
  async paneDead(): Promise<boolean> {
    return (await this.run(['display-message', '-p', '-t', 'main', '#{pane_dead}'])).trim() === '1'
  }

  /**
   * Kills the whole server, as a crashed terminal would, then waits (bounded) until the programs
   * in its panes have exited: Claude Code still runs its SessionEnd hook and writes its transcript
   * after SIGHUP, and a resume or a cleanup racing that sees a half-written state.
   */
  async kill(timeoutMs = 10_000): Promise<void> {
    const pids = await this.run(['list-panes', '-a', '-F', '#{pane_pid}'])
      .then((out) => out.split('\n').map(Number).filter((pid) => pid > 0))
      .catch(() => [])
    await this.run(['kill-server']).catch(() => undefined)
    const deadline = Date.now() + timeoutMs
    while (pids.some(isAlive) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it exists but is not ours, so it is alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
