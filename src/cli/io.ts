/**
 * What a command reads and writes: environment, stdin, stdout, stderr, the exit code and how the
 * core runtime is built. The binary uses the process's own; tests run commands in-process with
 * their own (concurrently: each run carries its IO through AsyncLocalStorage).
 */
import {AsyncLocalStorage} from 'node:async_hooks'

import type {Runtime, RuntimeOptions} from '../core/entry/runtime.js'

export interface OutStream {
  write(chunk: string): unknown
  isTTY?: boolean
}

export interface CliIo {
  env: NodeJS.ProcessEnv
  stdin: NodeJS.ReadableStream & {isTTY?: boolean}
  stdout: OutStream
  stderr: OutStream
  /** A command that finished but must report failure (doctor) sets its exit code here. */
  setExitCode(code: number): void
  /** Builds the core; default: the real composition root (src/core/entry/runtime.ts). */
  createRuntime?(options: RuntimeOptions): Promise<Pick<Runtime, 'core' | 'deps'> & Partial<Pick<Runtime, 'close'>>>
}

export const processIo: CliIo = {
  env: process.env,
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  setExitCode: (code) => {
    process.exitCode = code
  },
}

// One store per process even when oclif and the test runner each load this module.
const KEY = Symbol.for('ccmcp.cli.io')
const registry = globalThis as typeof globalThis & {[KEY]?: AsyncLocalStorage<CliIo>}
const storage = (registry[KEY] ??= new AsyncLocalStorage<CliIo>())

export const currentIo = (): CliIo => storage.getStore() ?? processIo

export function withIo<T>(io: CliIo, fn: () => Promise<T>): Promise<T> {
  return storage.run(io, fn)
}
