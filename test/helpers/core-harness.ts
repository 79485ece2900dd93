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
import type {Clock} from '../../src/core/ports.js'
import type {CoreDeps, Limits} from '../../src/core/registry.js'
import {FakeBackend} from './fake-backend.js'

export interface Harness {
  core: Core
  deps: CoreDeps
  backend: FakeBackend
  home: string
  /** A directory that exists, to use as a session root. */
  root: string
  cleanup(): Promise<void>
}

export const fastClock: Clock = {now: () => new Date(), sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 5)))}

export async function createHarness(options: {limits?: Limits} = {}): Promise<Harness> {
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
    env: {PATH: process.env.PATH ?? '', HOME: home},
    hookCommand: "'node' '/hook.js'",
    claudeBin: (config) => config.claudeBin ?? 'claude',
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
