/**
 * A real third-party client: the pinned Claude Code CLI registers ccmcp (through
 * `ccmcp install claude-code`) and its own health check, `claude mcp list`, starts our server
 * over stdio and reports it connected. Needs the binary: env CCMCP_TEST_CLAUDE_BIN (the shared
 * test installer sets it); skipped with that reason otherwise.
 */
import {readFileSync} from 'node:fs'
import path from 'node:path'

import {execa} from 'execa'
import {afterEach, describe, expect, it} from 'vitest'

import {type Sandbox, createSandbox} from '../helpers/cli.js'

const claudeBin = process.env.CCMCP_TEST_CLAUDE_BIN
const SKIP_REASON = 'CCMCP_TEST_CLAUDE_BIN is not set (path of the pinned @anthropic-ai/claude-code binary)'

let sandbox: Sandbox | undefined
/** What the servers claude started wrote: the first thing to read when a health check fails. */
const serveLog = () => {
  try {
    return readFileSync(path.join(sandbox?.env.CCMCP_HOME ?? '', 'logs', 'serve.log'), 'utf8').slice(-4000)
  } catch (error) {
    return `(no serve.log: ${(error as Error).message})`
  }
}
afterEach(async () => {
  await sandbox?.cleanup()
  sandbox = undefined
})

describe('Claude Code as an MCP client', () => {
  it('`claude mcp list` shows ccmcp connected after `ccmcp install claude-code` [needs CCMCP_TEST_CLAUDE_BIN]', async (context) => {
    if (!claudeBin) return context.skip(SKIP_REASON)
    sandbox = await createSandbox()
    // A throwaway HOME isolates Claude Code's config (~/.claude.json) from the machine's.
    const env = {HOME: sandbox.home, CCMCP_CLAUDE_BIN: claudeBin}
    const installed = await sandbox.run(['install', 'claude-code', '--json'], {env})
    expect(installed.exitCode, installed.stdout + installed.stderr).toBe(0)
    expect(installed.json).toMatchObject({ran: true, replaced: false})

    // claude starts the server with its own environment, so the server shares our CCMCP_HOME.
    // The health check's timeout is generous: on a loaded 2-core CI machine (real-Claude tests
    // running beside this one) a Node start can take many seconds; 20 s failed there once.
    const claude = (args: string[]) =>
      execa(claudeBin, args, {env: {...sandbox?.env, ...env, MCP_TIMEOUT: '90000'}, cwd: sandbox?.root, reject: false, timeout: 150_000})
    const list = await claude(['mcp', 'list'])
    expect(list.stdout, list.stderr + serveLog()).toMatch(/^ccmcp: .+ serve - ✔ Connected$/m)
    const get = await claude(['mcp', 'get', 'ccmcp'])
    expect(get.stdout).toMatch(/Scope: User config/)
    expect(get.stdout).toMatch(/Status: ✔ Connected/)

    // Installing again replaces the entry instead of failing on "already exists".
    const again = await sandbox.run(['install', 'claude-code', '--json'], {env})
    expect(again.json).toMatchObject({ran: true, replaced: true})
    const last = await claude(['mcp', 'list'])
    expect(last.stdout, serveLog()).toMatch(/^ccmcp: .+ - ✔ Connected$/m)
  }, 480_000)
})
