/**
 * Launches the real Claude Code in its own private tmux server with recording hooks, the way
 * ccmcp will (sized window, cwd, env via -e, --session-id, --settings), but without ccmcp.
 */
import {randomUUID} from 'node:crypto'
import {mkdir} from 'node:fs/promises'
import path from 'node:path'

import {baseEnv} from './claude-home.js'
import {CLAUDE_SCREEN, type ClaudeTestEnv, promptBoxHolds} from './env.js'
import {type HookEvent, HookLog, type SeenHookEvent, writeHookFiles} from './hooks.js'
import {PrivateTmux} from './tmux.js'

export interface ClaudeLaunch {
  /** Folder to run in; default the env's trusted root. */
  cwd?: string
  /** Default `acceptEdits` (no classifier, no prompts for in-cwd edits). */
  permissionMode?: 'acceptEdits' | 'manual' | 'auto' | 'bypassPermissions' | 'plan' | 'dontAsk'
  /** Resume this conversation (`--resume <id>`) instead of starting one with `--session-id`. */
  resume?: string
  /** Extra Claude Code arguments, e.g. ['--append-system-prompt', '…']. */
  args?: string[]
}

export interface RunningClaude {
  sessionId: string
  tmux: PrivateTmux
  hooks: HookLog
  argv: string[]
  /** Epoch ms just before tmux was asked to start the agent. */
  launchedAt: number
  /** Waits for SessionStart and the ready footer (SessionStart alone comes slightly early). */
  ready(timeoutMs?: number): Promise<{sessionStart: SeenHookEvent; footerAt: number; screen: string}>
  /** HookLog.waitFor, with the screen added to the error so a failure shows where Claude Code was. */
  waitHook(name: string, options?: Parameters<HookLog['waitFor']>[1]): Promise<SeenHookEvent>
  /** Types `text` literally, then presses Enter as a separate keystroke. */
  send(text: string): Promise<void>
  /**
   * Delivers a prompt the way ccmcp must: type (or paste, if multi-line), pause, Enter, then
   * confirm by the UserPromptSubmit hook; if it does not come and the text is still in the prompt
   * box, the Enter was lost, so press it once more. Never presses Enter on anything else (a dialog).
   * The pause matters: an Enter right behind typed text is dropped now and then (FINDINGS.md).
   */
  submit(text: string, options?: SubmitOptions): Promise<Submitted>
  /**
   * Relaunches in a fresh tmux server on the same socket: `--resume <sessionId>` by default, or
   * `--session-id <sessionId>` again (the fallback for a conversation that has no turn yet).
   */
  relaunchResumed(how?: 'resume' | 'session-id'): Promise<void>
  kill(): Promise<void>
}

export interface SubmitOptions {
  /** Pause between the text and Enter; default 100 ms (0 reproduces the lost Enter). */
  enterDelayMs?: number
  /** How long to wait for UserPromptSubmit before checking for a lost Enter; default 3 s. */
  graceMs?: number
  /** The text is already in the prompt box (typed or pasted by the caller). */
  alreadyTyped?: boolean
}

export interface Submitted {
  event: SeenHookEvent
  /** Epoch ms before the text was typed. */
  sentAt: number
  /** The screen when the first Enter had not been taken, if that happened. */
  retriedAfter?: string
}

let counter = 0

export async function launchClaude(cc: ClaudeTestEnv, options: ClaudeLaunch = {}): Promise<RunningClaude> {
  counter += 1
  const dir = path.join(cc.dir, `a${counter}`)
  await mkdir(dir)
  const files = await writeHookFiles(dir)
  const hooks = new HookLog(files.eventsPath)
  const sessionId = options.resume ?? randomUUID()
  const cwd = options.cwd ?? cc.root
  const common = ['--permission-mode', options.permissionMode ?? 'acceptEdits', '--settings', files.settingsPath, ...(options.args ?? [])]
  const argvFor = (resume: boolean): string[] => [cc.bin, ...(resume ? ['--resume', sessionId] : ['--session-id', sessionId]), ...common]
  const argv = argvFor(options.resume !== undefined)
  const launchedAt = Date.now()
  const tmux = await PrivateTmux.launch({dir, cwd, serverEnv: baseEnv(), env: cc.home.env, argv})
  cc.defer(() => tmux.kill())
  // Hook-log index from which ready() looks for SessionStart: after a relaunch, only the new process counts.
  let readyFrom = 0

  const running: RunningClaude = {
    sessionId,
    tmux,
    hooks,
    argv,
    launchedAt,
    async ready(timeoutMs = 60_000) {
      const sessionStart = await running.waitHook('SessionStart', {from: readyFrom, timeoutMs})
      const {at, screen} = await tmux.waitForScreen(CLAUDE_SCREEN.ready, timeoutMs)
      return {sessionStart, footerAt: at, screen}
    },
    async waitHook(name, waitOptions) {
      try {
        return await hooks.waitFor(name, waitOptions)
      } catch (error) {
        const screen = await tmux.screen().catch(() => '(no screen)')
        throw new Error(`${(error as Error).message}\n--- screen ---\n${screen}`)
      }
    },
    async send(text) {
      await tmux.typeText(text)
      await tmux.pressKey('Enter')
    },
    async submit(text, {enterDelayMs = 100, graceMs = 3000, alreadyTyped = false} = {}) {
      const from = await hooks.mark()
      const sentAt = Date.now()
      if (alreadyTyped) {
        // The caller typed or pasted it already.
      } else if (text.includes('\n')) await tmux.paste(text)
      else await tmux.typeText(text)
      await new Promise((resolve) => setTimeout(resolve, enterDelayMs))
      await tmux.pressKey('Enter')
      const isMine = (e: HookEvent): boolean => e.prompt === text
      try {
        return {event: await hooks.waitFor('UserPromptSubmit', {from, timeoutMs: graceMs, match: isMine}), sentAt}
      } catch {
        const screen = await tmux.screen()
        if (!promptBoxHolds(screen, text)) throw new Error(`prompt not submitted and not in the prompt box:\n${screen}`)
        await tmux.pressKey('Enter')
        return {event: await running.waitHook('UserPromptSubmit', {from, match: isMine}), sentAt, retriedAfter: screen}
      }
    },
    async relaunchResumed(how = 'resume') {
      readyFrom = await hooks.mark()
      running.launchedAt = Date.now()
      await tmux.relaunch({cwd, env: cc.home.env, argv: argvFor(how === 'resume')})
    },
    kill: () => tmux.kill(),
  }
  return running
}

