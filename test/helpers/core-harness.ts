/**
 * Builds a real core over a temp-dir store (the real conf + lock adapter) and a FakeBackend,
 * so operation tests exercise everything but the terminal.
 */
import {mkdtemp, rm} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

import {createConfigStore, createStateStore} from '../../src/core/adapters/stores.js'
import {type Core, createCore} from '../../src/core/core.js'
import {pathsFor} from '../../src/core/paths.js'
import type {Clock, Exec} from '../../src/core/ports.js'
import type {CoreDeps, Limits} from '../../src/core/registry.js'
import {flushQueue} from '../../src/core/delivery.js'
import {type HookPayload, recordHookEvent} from '../../src/core/hooks.js'
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
  const record = (tab: FakeTab, event: HookPayload) => {
    const [session, agent] = tab.request.agentKey.split('/') as [string, string]
    return recordHookEvent({store: harness.deps.state, eventsDir: harness.deps.paths.eventsDir, session, agent, launchId: tab.request.env.CCMCP_LAUNCH_ID ?? null, now: new Date()}, event)
  }
  const isClaude = (tab: FakeTab) => tab.request.argv.includes('--settings')
  harness.backend.onOpen = (tab) => {
    if (isClaude(tab) && options.ready !== false) setTimeout(() => void record(tab, {hook_event_name: 'SessionStart', source: tab.request.argv.includes('--resume') ? 'resume' : 'startup'}), 20)
  }
  harness.backend.onSubmit = (tab, line) => {
    if (!isClaude(tab) || line === '') return
    if (options.dropFirstEnter && !dropped) {
      dropped = true
      tab.line = line
      return
    }
    setTimeout(async () => {
      await record(tab, {hook_event_name: 'UserPromptSubmit', prompt: line})
      const recorded = await record(tab, {hook_event_name: 'Stop', last_assistant_message: options.reply ? options.reply(line) : `reply to: ${line}`})
      // What bin/hook.js does when the agent has queued messages: start a flusher.
      if (recorded.flush) void flushQueue(harness.deps, tab.request.agentKey, {settleMs: 0})
    }, 20)
  }
}

export const fastClock: Clock = {now: () => new Date(), sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 5)))}

/** Answers `<claude> --version` like Claude Code 2.1.330; any other program is "not found". */
export const fakeExec: Exec = async (file, args) =>
  file.includes('claude') && args[0] === '--version'
    ? {stdout: '2.1.330 (Claude Code)\n', stderr: '', exitCode: 0, notFound: false, timedOut: false}
    : {stdout: '', stderr: '', exitCode: undefined, notFound: true, timedOut: false}

export async function createHarness(options: {limits?: Limits; exec?: Exec; env?: Record<string, string>} = {}): Promise<Harness> {
  const home = await mkdtemp(path.join(os.tmpdir(), 'ccmcp-core-'))
  const root = await mkdtemp(path.join(os.tmpdir(), 'ccmcp-root-'))
  const paths = pathsFor(home)
  const backend = new FakeBackend()
  const deps: CoreDeps = {
    state: createStateStore(home),
    config: createConfigStore(home),
    backend: () => backend,
    defaultBackend: () => 'tmux',
    clock: fastClock,
    logger: {debug() {}, warn() {}},
    paths,
    env: options.env ?? {PATH: process.env.PATH ?? '', HOME: home},
    hookCommand: "'node' '/hook.js'",
    claudeBin: (config) => config.claudeBin ?? 'claude',
    exec: options.exec ?? fakeExec,
    ccmcpCommand: ['/usr/bin/node', '/opt/ccmcp/bin/run.js'],
    // What bin/flush.js does, in-process.
    startFlusher: (key) => void flushQueue(deps, key, {settleMs: 0}),
  }
  return {
    core: createCore(deps, {limits: options.limits}),
    deps,
    backend,
    home,
    root,
    async cleanup() {
      await rm(home, {recursive: true, force: true})
      await rm(root, {recursive: true, force: true})
    },
  }
}
