/**
 * Builds a real core over a temp-dir store (the real conf + lock adapter) and a FakeBackend,
 * so operation tests exercise everything but the terminal.
 */
import {mkdtemp, rm} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

import {createJsonStore} from '../../src/core/adapters/json-store.js'
import {Config, defaultConfig} from '../../src/core/config.js'
import {type Core, createCore} from '../../src/core/core.js'
import {State, emptyState} from '../../src/core/domain.js'
import {pathsFor} from '../../src/core/paths.js'
import type {Clock, Exec} from '../../src/core/ports.js'
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

/** An Exec for which every program is missing; tests that run programs pass their own. */
export const noPrograms: Exec = async () => ({stdout: '', stderr: '', exitCode: undefined, notFound: true, timedOut: false})

export async function createHarness(options: {limits?: Limits; exec?: Exec; env?: Record<string, string>} = {}): Promise<Harness> {
  const home = await mkdtemp(path.join(os.tmpdir(), 'ccmcp-core-'))
  const root = await mkdtemp(path.join(os.tmpdir(), 'ccmcp-root-'))
  const paths = pathsFor(home)
  const backend = new FakeBackend()
  const deps: CoreDeps = {
    state: createJsonStore({dir: home, name: 'state', schema: State, empty: emptyState}),
    config: createJsonStore({dir: home, name: 'config', schema: Config, empty: defaultConfig}),
    backend: () => backend,
    defaultBackend: () => 'tmux',
    clock: fastClock,
    logger: {debug() {}, warn() {}},
    paths,
    env: options.env ?? {PATH: process.env.PATH ?? '', HOME: home},
    hookCommand: "'node' '/hook.js'",
    claudeBin: (config) => config.claudeBin ?? 'claude',
    exec: options.exec ?? noPrograms,
    ccmcpCommand: ['/usr/bin/node', '/opt/ccmcp/bin/run.js'],
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
