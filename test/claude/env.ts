/**
 * Entry point for tests that run the REAL Claude Code: finds the binary, and starts the mock
 * Messages API plus a throwaway HOME in one call.
 *
 *   const bin = claudeBin()
 *   describe.skipIf(!bin)(claudeSuiteName('agent e2e'), () => {
 *     let cc: ClaudeTestEnv
 *     beforeAll(async () => { cc = await startClaudeEnv() })
 *     afterAll(() => cc.cleanup())
 *     // launch `${cc.bin}` in cc.root with env cc.env …; cc.api.requests() shows what it sent
 *   })
 *
 * CI:  export CCMCP_TEST_CLAUDE_BIN="$(bash test/claude/install-claude.sh)"
 */
import {existsSync} from 'node:fs'
import {mkdir, mkdtemp, realpath, rm} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

import {type ClaudeHome, baseEnv, createClaudeHome} from './claude-home.js'
import {type MockApi, start} from './mock-api.js'

export const CLAUDE_BIN_ENV = 'CCMCP_TEST_CLAUDE_BIN'
/** The version the harness, the mock and FINDINGS.md were checked against. */
export const PINNED_CLAUDE_VERSION = '2.1.330'

export const SKIP_REASON = `${CLAUDE_BIN_ENV} is unset; to run: export ${CLAUDE_BIN_ENV}="$(bash test/claude/install-claude.sh)"`

// The screen knowledge is product code (ccmcp uses it); the harness uses the same module.
export {CLAUDE_SCREEN, promptBoxHolds} from '../../src/core/agents/claude-screen.js'

/**
 * The Claude Code binary to test, from CCMCP_TEST_CLAUDE_BIN; undefined when unset so suites can
 * skip. A set but wrong path throws: in CI that is a broken install, not a reason to skip.
 */
export function claudeBin(): string | undefined {
  const bin = process.env[CLAUDE_BIN_ENV]
  if (!bin) return undefined
  if (!path.isAbsolute(bin) || !existsSync(bin)) throw new Error(`${CLAUDE_BIN_ENV}=${bin} is not an existing absolute path; rerun test/claude/install-claude.sh`)
  return bin
}

/**
 * A describe() title that says why the suite is skipped; also prints that reason once, since
 * vitest's default reporter shows only "N skipped".
 */
export function claudeSuiteName(name: string): string {
  if (claudeBin()) return name
  console.warn(`[ccmcp] "${name}" skipped: ${SKIP_REASON}`)
  return `${name} [SKIPPED: ${SKIP_REASON}]`
}

export interface ClaudeTestEnv {
  bin: string
  api: MockApi
  home: ClaudeHome
  /** Temp dir for sockets, hook logs and settings (short path: tmux socket limit). */
  dir: string
  /** A trusted folder to run agents in (real path). */
  root: string
  /** A folder that is NOT trusted, for the trust-dialog case (real path). */
  untrustedRoot: string
  /** Full environment for the terminal server or agent: the caller's, scrubbed, plus home.env. */
  env: Record<string, string>
  /** Registers a teardown step (e.g. killing a terminal server) that cleanup() runs first, newest first. */
  defer(step: () => Promise<void>): void
  /** Runs the deferred steps, then stops the mock and removes every temp folder. */
  cleanup(): Promise<void>
}

export interface ClaudeEnvOptions {
  /** Overrides CCMCP_TEST_CLAUDE_BIN. */
  bin?: string
  idleNotificationMs?: number
  /** Extra agent environment. */
  env?: Record<string, string>
}

export async function startClaudeEnv(options: ClaudeEnvOptions = {}): Promise<ClaudeTestEnv> {
  const bin = options.bin ?? claudeBin()
  if (!bin) throw new Error(SKIP_REASON)
  // Real paths: Claude Code keys trust and transcripts by the resolved cwd (/tmp may be a link).
  const dir = await realpath(await mkdtemp(path.join(os.tmpdir(), 'cct-')))
  const root = path.join(dir, 'trusted')
  const untrustedRoot = path.join(dir, 'untrusted')
  await mkdir(root)
  await mkdir(untrustedRoot)
  const api = await start()
  try {
    // Trust only `root`, not `dir`: trust is inherited by subfolders, so trusting dir would trust both.
    const home = await createClaudeHome({baseUrl: api.url, trust: [root], idleNotificationMs: options.idleNotificationMs, env: options.env})
    const deferred: Array<() => Promise<void>> = []
    return {
      bin,
      api,
      home,
      dir,
      root,
      untrustedRoot,
      env: {...baseEnv(), ...home.env},
      defer: (step) => void deferred.push(step),
      async cleanup() {
        // A test that failed midway may leave agents running; they would outlive their folders.
        for (const step of deferred.splice(0).reverse()) await step().catch(() => undefined)
        await api.close()
        await home.cleanup()
        await rm(dir, {recursive: true, force: true, maxRetries: 5})
      },
    }
  } catch (error) {
    await api.close()
    throw error
  }
}
