/**
 * Runs the BUILT binary (bin/run.js → dist) as a user would, each test with its own CCMCP_HOME
 * (state, logs and a private tmux server), and cleans the tmux server up afterwards.
 */
import {execa} from 'execa'
import {mkdtemp, rm} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url))
export const binPath = path.join(repoRoot, 'bin', 'run.js')
export const hookScript = path.join(repoRoot, 'bin', 'hook.js')
export const fakeAgent = path.join(repoRoot, 'test', 'fixtures', 'fake-agent.mjs')

export interface CliResult {
  stdout: string
  stderr: string
  exitCode: number
  json: unknown
}

export interface Sandbox {
  home: string
  root: string
  records: string
  env: Record<string, string>
  run(args: string[], options?: {input?: string; env?: Record<string, string>}): Promise<CliResult>
  /** `--command` value that starts the fake agent, recording into `records`. */
  fakeAgentCommand(): string
  tmux(args: string[]): Promise<{stdout: string; exitCode: number}>
  cleanup(): Promise<void>
}

export async function createSandbox(): Promise<Sandbox> {
  // Short paths: the tmux socket lives in home and Unix socket paths are limited.
  const home = await mkdtemp(path.join(os.tmpdir(), 'cch-'))
  const root = await mkdtemp(path.join(os.tmpdir(), 'ccr-'))
  const records = path.join(home, 'records')
  const env = {CCMCP_HOME: home, NO_COLOR: '1'}
  const sandbox: Sandbox = {
    home,
    root,
    records,
    env,
    async run(args, options = {}) {
      const result = await execa(process.execPath, [binPath, ...args], {
        reject: false,
        input: options.input,
        stdin: options.input === undefined ? 'ignore' : 'pipe',
        env: {...env, ...options.env},
        timeout: 60_000,
      })
      let json: unknown
      try {
        json = JSON.parse(result.stdout)
      } catch {
        json = undefined
      }
      return {stdout: result.stdout, stderr: result.stderr, exitCode: result.exitCode ?? -1, json}
    },
    fakeAgentCommand() {
      return `${JSON.stringify(process.execPath)} ${JSON.stringify(fakeAgent)} ${JSON.stringify(records)} ${JSON.stringify(hookScript)}`
    },
    async tmux(args) {
      const result = await execa('tmux', ['-S', path.join(home, 'tmux.sock'), ...args], {reject: false})
      return {stdout: result.stdout, exitCode: result.exitCode ?? -1}
    },
    async cleanup() {
      await sandbox.tmux(['kill-server'])
      await rm(home, {recursive: true, force: true})
      await rm(root, {recursive: true, force: true})
    },
  }
  return sandbox
}

/** Polls `check` until it returns a value other than undefined (tests wait for real processes). */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  for (;;) {
    try {
      const value = await check()
      if (value !== undefined) return value
    } catch (error) {
      last = error
    }
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}
