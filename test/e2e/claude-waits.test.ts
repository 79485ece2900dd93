/**
 * Issue 9 items 4, 5 and 7 against the REAL Claude Code (offline, mock Messages API): a turn that
 * stops for a permission ends `send --wait` and `agent wait --until idle` at once with exit 15 and
 * what it waits for; slash commands go without a header and are reported sent.
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {type ClaudeTestEnv, claudeBin, claudeSuiteName, startClaudeEnv} from '../claude/env.js'
import {type Sandbox, createSandbox} from '../helpers/cli.js'
import {readEventLog} from '../helpers/at-rest.js'

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

describe.skipIf(!claudeBin())(claudeSuiteName('real Claude Code: waits and slash commands'), () => {
  let cc: ClaudeTestEnv
  let box: Sandbox
  const ccmcp = async (args: string[]) => box.run([...args, '--json'], {env: {...cc.env, CCMCP_CLAUDE_BIN: cc.bin}})
  const prompts = async (agent: string) =>
    ((await readEventLog(box.home, 'real', agent)) as Json[])
      .filter((event) => event.hook_event_name === 'UserPromptSubmit')

  beforeAll(async () => {
    cc = await startClaudeEnv()
    box = await createSandbox()
    // --no-sandbox: these tests need the dialog of a permission prompt for Bash; a sandboxed agent runs Bash without asking and draws no dialog (README "Confinement").
    expect((await ccmcp(['session', 'create', 'real', '--root', cc.root, '--no-sandbox'])).exitCode).toBe(0)
  }, 180_000)
  afterAll(async () => {
    await box?.cleanup()
    await cc?.cleanup()
  })

  it('a turn that stops for a permission: send --wait and wait --until idle exit 15 with what it waits for, and no old reply', async () => {
    expect((await ccmcp(['agent', 'create', 'real', '--name', 'careful', '--permission-mode', 'manual'])).exitCode).toBe(0)
    const first = await ccmcp(['agent', 'send', 'real/careful', '--wait', '--raw', 'a first turn'])
    expect((first.json as Json).reply).toBe('MOCK_REPLY: a first turn')
    const stopped = await ccmcp(['agent', 'send', 'real/careful', '--wait', '--raw', '--timeout', '600', 'MOCK_TOOL_BASH echo allowed > permission.txt'])
    expect(stopped.exitCode, stopped.stdout).toBe(15)
    expect((stopped.json as Json).error).toMatchObject({code: 'AGENT_WAITING', details: {waitingFor: 'permission: Bash(echo allowed > permission.txt)'}})
    // No reply at all: the one on the agent record is the previous turn's.
    expect((stopped.json as Json).reply).toBeUndefined()
    const waited = await ccmcp(['agent', 'wait', 'real/careful', '--until', 'idle', '--timeout', '600'])
    expect(waited.exitCode).toBe(15)
    expect((waited.json as Json).error.message).toContain('permission: Bash')
  }, 240_000)

  it('/cost and /clear go alone (no header), expect no UserPromptSubmit, and are reported sent', async () => {
    expect((await ccmcp(['agent', 'create', 'real', '--name', 'plain'])).exitCode).toBe(0)
    for (const command of ['/cost', '/clear']) {
      const sent = await ccmcp(['agent', 'send', 'real/plain', command])
      expect(sent.exitCode, sent.stderr).toBe(0)
      expect((sent.json as Json).delivery).toBe('sent')
    }
    expect(await prompts('plain')).toEqual([])
  }, 240_000)
})
