/**
 * Builds a real core over a temp-dir store (the real conf + lock adapter) and a FakeBackend,
 * so operation tests exercise everything but the terminal.
 */
import {appendFile, mkdir, mkdtemp, rm} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

import {atRest} from '../../src/core/adapters/at-rest.js'
import {localHost} from '../../src/core/adapters/local-host.js'
import {createConfigStore, createMessageStore, createStateStore, createTaskStore, createTokenStore} from '../../src/core/adapters/stores.js'
import {processExec} from '../../src/core/adapters/exec.js'
import {type Core, createCore} from '../../src/core/pipeline/core.js'
import {pathsFor} from '../../src/core/platform/paths.js'
import type {Clock, Exec, RemoteHosts} from '../../src/core/ports.js'
import type {CoreDeps, Limits} from '../../src/core/pipeline/operation.js'
import {flushQueue} from '../../src/core/delivery/delivery.js'
import {type HookPayload, recordHookEvent} from '../../src/core/delivery/hook-events.js'
import {FakeBackend, type FakeTab} from './fake-backend.js'

export interface Harness {
  core: Core
  deps: CoreDeps
  backend: FakeBackend
  home: string
  /** A directory that exists, to use as a session root. */
  root: string
  cleanup(): Promise<void>
}

/**
 * Makes the FakeBackend behave like Claude Code at the hook level: SessionStart after a claude
 * tab opens, UserPromptSubmit + Stop for each submitted line. `dropFirstEnter` loses one Enter,
 * as Claude Code does for keys that arrive before its prompt is up.
 */
export function simulateClaude(harness: Harness, options: {ready?: boolean; dropFirstEnter?: boolean; reply?: (prompt: string) => string} = {}): void {
  let dropped = false
  // Like Claude Code: every hook names the transcript, which exists once a turn completed.
  const transcript = (tab: FakeTab) => path.join(harness.home, 'transcripts', `${tab.request.argv[tab.request.argv.findIndex((arg) => arg === '--session-id' || arg === '--resume') + 1]}.jsonl`)
  const record = (tab: FakeTab, event: HookPayload) => {
    const [session, agent] = tab.request.agentKey.split('/') as [string, string]
    return recordHookEvent({store: harness.deps.ports.state, host: harness.deps.ports.host, eventsDir: harness.deps.settings.paths.eventsDir, session, agent, launchId: tab.request.env.CCMCP_LAUNCH_ID ?? null, now: new Date()}, {transcript_path: transcript(tab), ...event})
  }
  const isClaude = (tab: FakeTab) => tab.request.argv.includes('--settings')
  harness.backend.onOpen = (tab) => {
    if (!isClaude(tab) || options.ready === false) return
    tab.screen = claudeScreen('')
    track(harness, async () => {
      await new Promise((resolve) => setTimeout(resolve, 20))
      await record(tab, {hook_event_name: 'SessionStart', source: tab.request.argv.includes('--resume') ? 'resume' : 'startup'})
    })
  }
  harness.backend.onSubmit = (tab, line) => {
    if (!isClaude(tab) || line === '') return
    if (options.dropFirstEnter && !dropped) {
      dropped = true
      tab.line = line
      tab.screen = claudeScreen(line)
      return
    }
    tab.screen = claudeScreen('')
    track(harness, async () => {
      await new Promise((resolve) => setTimeout(resolve, 20))
      await record(tab, {hook_event_name: 'UserPromptSubmit', prompt: line})
      await mkdir(path.dirname(transcript(tab)), {recursive: true})
      await appendFile(transcript(tab), `${JSON.stringify({type: 'user', prompt: line})}\n`)
      const recorded = await record(tab, {hook_event_name: 'Stop', last_assistant_message: options.reply ? options.reply(line) : `reply to: ${line}`})
      // What bin/hook.js does when the agent has queued messages: start a flusher.
      if (recorded.flush) await flushQueue(harness.deps, tab.request.agentKey, {settleMs: 0})
    })
  }
}

/** Simulated work still running; cleanup waits for it so nothing writes into a removed folder. */
const inFlight = new WeakMap<Harness, Set<Promise<unknown>>>()

function track(harness: Harness, work: () => Promise<unknown>): void {
  const pending = inFlight.get(harness) ?? new Set()
  inFlight.set(harness, pending)
  const promise = work().catch(() => undefined).finally(() => pending.delete(promise))
  pending.add(promise)
}

/** Claude Code 2.1.330's idle screen, its prompt box holding `box` (see test/claude/fixtures). */
export function claudeScreen(box: string): string {
  const rule = '─'.repeat(80)
  return [rule, `❯\u00a0${box}`, rule, '  ⏵⏵ accept edits on (shift+tab to cycle) · ← for agents'].join('\n')
}

export const fastClock: Clock = {now: () => new Date(), sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 5)))}

/** Answers `<claude> --version` like Claude Code 2.1.330; git is the real one (worktrees); any other program is "not found". */
export const fakeExec: Exec = async (file, args, options) => {
  if (file === 'git') return processExec(file, args, options)
  return file.includes('claude') && args[0] === '--version'
    ? {stdout: '2.1.330 (Claude Code)\n', stderr: '', exitCode: 0, notFound: false, timedOut: false}
    : {stdout: '', stderr: '', exitCode: undefined, notFound: true, timedOut: false}
}

/** In-process tests have no other hosts: a remote call is a test bug, said so. */
export const noRemoteHosts: RemoteHosts = {
  call: async (target) => {
    throw new Error(`This test has no remote hosts (a call to ${target.host} was made)`)
  },
  interactiveArgv: (target, line) => ['ssh', '-t', '--', target.host, line],
}

export async function createHarness(options: {limits?: Limits; exec?: Exec; env?: Record<string, string>; remote?: RemoteHosts} = {}): Promise<Harness> {
  const home = await mkdtemp(path.join(os.tmpdir(), 'ccmcp-core-'))
  const root = await mkdtemp(path.join(os.tmpdir(), 'ccmcp-root-'))
  const paths = pathsFor(home)
  const backend = new FakeBackend()
  // Encrypted like the real thing, with a fixed key (kept in the home's key file, as for hooks): no keychain is asked.
  const encryption = atRest({env: {CCMCP_KEY: Buffer.alloc(32, 7).toString('base64')}, home})
  // Flushers run on; cleanup waits for them (a failure then fails the test rather than going unhandled).
  const flushers = new Set<Promise<unknown>>()
  const deps: CoreDeps = {
    ports: {
      state: createStateStore(home, undefined, {codec: encryption.codec}),
      config: createConfigStore(home),
      tasks: (session) => createTaskStore(home, session, undefined, {codec: encryption.codec}),
      tokens: createTokenStore(home, undefined, {codec: encryption.codec}),
      backend: () => backend,
      clock: fastClock,
      logger: {debug() {}, warn() {}},
      exec: options.exec ?? fakeExec,
      host: localHost,
      // What bin/flush.js does, in-process.
      startFlusher: (key) => flushers.add(flushQueue(deps, key, {settleMs: 0})),
      remote: options.remote ?? noRemoteHosts,
      messages: (session) => createMessageStore(home, session, undefined, {codec: encryption.codec}),
      keys: encryption.keys,
      keyRotation: encryption.rotation,
    },
    settings: {paths, defaultBackend: () => 'tmux'},
    launch: {
      env: options.env ?? {PATH: process.env.PATH ?? '', HOME: home},
      hookCommand: "'node' '/hook.js'",
      claudeBin: (config) => config.claudeBin ?? 'claude',
      ccmcpCommand: ['/usr/bin/node', '/opt/ccmcp/bin/run.js'],
    },
  }

  const harness: Harness = {
    core: createCore(deps, {limits: options.limits}),
    deps,
    backend,
    home,
    root,
    async cleanup() {
      backend.onOpen = null
      backend.onSubmit = null
      await Promise.all([...(inFlight.get(harness) ?? [])])
      // A flusher may start the next one as it lets go of the claim.
      while (flushers.size > 0) {
        const running = [...flushers]
        flushers.clear()
        await Promise.all(running)
      }
      await rm(home, {recursive: true, force: true, maxRetries: 5, retryDelay: 50})
      await rm(root, {recursive: true, force: true})
    },
  }
  return harness
}
