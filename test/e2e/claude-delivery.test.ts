/**
 * Issue 9 items 2, 4, 5 and 7 against the REAL Claude Code (offline, mock Messages API), driven
 * through the built `ccmcp`: real pastes (Claude Code reports 4+ lines or ~800+ characters wrapped
 * in <pasted_content>, and tabs as spaces), a turn that stops for a permission, slash commands.
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {type ClaudeTestEnv, claudeBin, claudeSuiteName, startClaudeEnv} from '../claude/env.js'
import {type Sandbox, createSandbox} from '../helpers/cli.js'
import {readEventLog} from '../helpers/at-rest.js'

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

const lines = (count: number, width = 20) => Array.from({length: count}, (_, index) => `line ${index + 1} ${'x'.repeat(width)}`).join('\n')

const MESSAGES: Array<[string, string]> = [
  ['4 lines', lines(4)],
  ['12 lines', lines(12)],
  ['200 lines', lines(200)],
  ['1 KB on one line', `one long line ${'y'.repeat(1010)}`],
  ['60 KB', lines(600, 90)],
  ['tabs on one line', 'a\tb\tc'],
  ['tabs on 5 lines', 'col1\tcol2\n1\t2\n3\t4\n5\t6\n7\t8'],
  ['CRLF line ends', 'one\r\ntwo\r\nthree\r\nfour\r\nfive'],
]

describe.skipIf(!claudeBin())(claudeSuiteName('real Claude Code: delivery of real messages'), () => {
  let cc: ClaudeTestEnv
  let box: Sandbox
  const ccmcp = async (args: string[], input?: string) => box.run([...args, '--json'], {env: {...cc.env, CCMCP_CLAUDE_BIN: cc.bin}, input})
  const events = async (agent: string) =>
    (await readEventLog(box.home, 'real', agent)) as Json[]

  beforeAll(async () => {
    cc = await startClaudeEnv()
    box = await createSandbox()
    expect((await ccmcp(['session', 'create', 'real', '--root', cc.root])).exitCode).toBe(0)
    expect((await ccmcp(['agent', 'create', 'real', '--permission-mode', 'acceptEdits'])).exitCode).toBe(0)
  }, 180_000)
  afterAll(async () => {
    await box?.cleanup()
    await cc?.cleanup()
  })

  it.each(MESSAGES)('%s: delivered, one Enter, and --wait returns this turn’s reply', async (_name, message) => {
    const before = (await events('Agent_1')).filter((event) => event.hook_event_name === 'UserPromptSubmit').length
    const sent = await ccmcp(['agent', 'send', 'real/Agent_1', '--wait', '--timeout', '120', '-'], message)
    expect(sent.exitCode, sent.stderr).toBe(0)
    expect(sent.json).toMatchObject({delivery: 'delivered', agent: {status: 'idle'}})
    expect((sent.json as Json).reply).toMatch(/^MOCK_REPLY: /)
    const prompts = (await events('Agent_1')).filter((event) => event.hook_event_name === 'UserPromptSubmit')
    // Exactly one prompt for one message: no second Enter, no resend.
    expect(prompts.length - before).toBe(1)
  }, 240_000)

  it('the README CI recipe works with a 12-line prompt piped on stdin', async () => {
    const prompt = lines(12)
    const answer = await box.run(['agent', 'send', 'real/Agent_1', '--wait', '-'], {env: {...cc.env, CCMCP_CLAUDE_BIN: cc.bin}, input: prompt})
    expect(answer.exitCode, answer.stderr).toBe(0)
    expect(answer.stdout).toContain('line 12')
  }, 240_000)
})
