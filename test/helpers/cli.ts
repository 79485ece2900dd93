/**
 * Runs ccmcp commands as a user would, each test with its own CCMCP_HOME (state, logs and a
 * private tmux server), and cleans the tmux server up afterwards. `run` goes through oclif
 * in-process (argument parsing, --json, exit codes, the real core on real tmux) with its own
 * environment and streams; `spawn` runs the BUILT binary (bin/run.js → dist) for smoke tests.
 */
import {execa} from 'execa'
import {mkdtemp, rm} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {Readable} from 'node:stream'
import {fileURLToPath, pathToFileURL} from 'node:url'

import {run as oclifRun} from '@oclif/core'
import {captureOutput} from '@oclif/test'

import {type CliIo, withIo} from '../../src/cli/io.js'

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

export interface RunOptions {
  input?: string
  env?: Record<string, string>
  /** A terminal on stdin (confirmation prompts) / on stdout (colours, the TUI). Default: neither. */
  stdinIsTTY?: boolean
  stdoutIsTTY?: boolean
  /** Replaces the core runtime (a fake core for parsing tests). */
  createRuntime?: CliIo['createRuntime']
}

function parseJson(stdout: string): unknown {
  try {
    return JSON.parse(stdout)
  } catch {
    return undefined
  }
}

/**
 * One command through oclif in this process, as `ccmcp …args` with `env` added to this process's
 * environment. Concurrent runs are independent: each has its own streams and exit code.
 */
export async function runCli(args: string[], options: RunOptions = {}): Promise<CliResult> {
  let stdout = ''
  let stderr = ''
  let exitCode = 0
  const stdin = Object.assign(Readable.from(options.input === undefined ? [] : [Buffer.from(options.input)]), {isTTY: options.stdinIsTTY ?? false})
  const io: CliIo = {
    env: {...process.env, ...options.env},
    stdin,
    stdout: {write: (chunk) => void (stdout += chunk), isTTY: options.stdoutIsTTY ?? false},
    stderr: {write: (chunk) => void (stderr += chunk), isTTY: false},
    setExitCode: (code) => void (exitCode = code),
    createRuntime: options.createRuntime,
  }
  try {
    const run = () => withIo(io, () => oclifRun(args, {root: repoRoot}))
    if (printsThroughOclif(args)) {
      // Help and version are oclif's own output (process.stdout): capture it, one run at a time.
      const captured = await captureOutput(run)
      stdout += captured.stdout
      stderr += captured.stderr
      if (captured.error) throw captured.error
    } else await run()
  } catch (error) {
    const failure = error as Error & {code?: string; oclif?: {exit?: number}}
    exitCode = failure.oclif?.exit ?? 1
    // EEXIT: the command printed its error already; anything else is what oclif's handler would print.
    if (failure.code !== 'EEXIT') stderr += `${failure.message}\n`
  }
  // Like execa, drop the final newline.
  stdout = stdout.replace(/\n$/, '')
  stderr = stderr.replace(/\n$/, '')
  return {stdout, stderr, exitCode, json: parseJson(stdout)}
}

const printsThroughOclif = (args: string[]) => args[0] === 'help' || args.some((arg) => arg === '--help' || arg === '-h' || arg === '--version')

export interface Sandbox {
  home: string
  root: string
  records: string
  env: Record<string, string>
  /** In-process (see runCli). */
  run(args: string[], options?: RunOptions): Promise<CliResult>
  /** The built binary in a child process. */
  spawn(args: string[], options?: {input?: string; env?: Record<string, string>}): Promise<CliResult>
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
    run: (args, options = {}) => runCli(args, {...options, env: {...env, ...options.env}}),
    async spawn(args, options = {}) {
      const result = await execa(process.execPath, [binPath, ...args], {
        reject: false,
        input: options.input,
        stdin: options.input === undefined ? 'ignore' : 'pipe',
        env: {...env, ...options.env},
        timeout: 60_000,
      })
      return {stdout: result.stdout, stderr: result.stderr, exitCode: result.exitCode ?? -1, json: parseJson(result.stdout)}
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
      // Debugging a flaky run: keep the home (hook.log, state, audit) to read afterwards.
      if (process.env.CCMCP_TEST_KEEP) return void process.stderr.write(`kept sandbox home ${home}, root ${root}\n`)
      await rm(home, {recursive: true, force: true, maxRetries: 10, retryDelay: 100})
      await rm(root, {recursive: true, force: true, maxRetries: 10, retryDelay: 100})
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

export interface CoreCall {
  name: string
  input: Record<string, unknown>
  limits: unknown
}

/**
 * A core that records what each command asked for and answers from `answer`. In-process commands
 * run the BUILT code, so errors to throw come from dist's CcmcpError (the class they check).
 */
export async function fakeRuntime(answer: (name: string, input: Record<string, unknown>) => unknown = () => ({})) {
  const errors = (await import(pathToFileURL(path.join(repoRoot, 'dist', 'core', 'domain', 'errors.js')).href)) as typeof import('../../src/core/domain/errors.js')
  const calls: CoreCall[] = []
  const createRuntime: NonNullable<CliIo['createRuntime']> = async (options) =>
    ({
      core: {
        run: async (name: string, input: Record<string, unknown>) => {
          calls.push({name, input, limits: options.limits})
          return answer(name, input)
        },
      },
      deps: {},
    }) as never
  return {calls, createRuntime, CcmcpError: errors.CcmcpError}
}
