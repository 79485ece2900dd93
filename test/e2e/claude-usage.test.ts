/**
 * Issue 14 items 2 and 4 with the REAL Claude Code (offline, mock Messages API): an agent in a git
 * worktree of a trusted repository starts without the trust dialog (claude-code-2.md §8), and
 * after three turns whose usage the mock reports exactly (MOCK_USAGE), `session status --json`
 * shows those totals, each message counted once however many transcript lines it has.
 */
import {execa} from 'execa'
import {writeFile} from 'node:fs/promises'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {type ClaudeTestEnv, claudeBin, claudeSuiteName, startClaudeEnv} from '../claude/env.js'
import {type Sandbox, createSandbox} from '../helpers/cli.js'
import {priceFor} from '../../src/core/usage/prices.js'

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

const TURNS = [
  {input: 1000, output: 50, cacheRead: 2000, cacheWrite: 300},
  {input: 7, output: 11, cacheRead: 13, cacheWrite: 17},
  {input: 120, output: 240, cacheRead: 360, cacheWrite: 480},
]

describe.skipIf(!claudeBin())(claudeSuiteName('real Claude Code: worktree agent and token totals'), () => {
  let cc: ClaudeTestEnv
  let box: Sandbox
  const ccmcp = async (args: string[]) => box.run([...args, '--json'], {env: {...cc.env, CCMCP_CLAUDE_BIN: cc.bin}})

  beforeAll(async () => {
    cc = await startClaudeEnv()
    box = await createSandbox()
    cc.defer(() => box.cleanup())
    await execa('git', ['init', '-q', '-b', 'main', cc.root])
    await writeFile(path.join(cc.root, 'README.md'), 'hello\n')
    await execa('git', ['-C', cc.root, 'add', '.'])
    await execa('git', ['-C', cc.root, '-c', 'user.name=T', '-c', 'user.email=t@example.com', 'commit', '-qm', 'first'])
    expect((await ccmcp(['session', 'create', 'usage', '--root', cc.root, '--worktrees'])).exitCode).toBe(0)
    // In a git repository Claude Code gathers git state before it reports a prompt; on this
    // loaded machine that took longer than the default 5 s confirmation window.
    expect((await ccmcp(['config', 'set', 'deliveryTimeoutMs', '30000'])).exitCode).toBe(0)
  }, 120_000)
  afterAll(async () => {
    await cc?.cleanup()
  })

  it('starts in its worktree with no trust dialog; three turns of known usage add up in session status', async () => {
    const created = await ccmcp(['agent', 'create', 'usage', '--permission-mode', 'acceptEdits'])
    expect(created.exitCode, created.stderr).toBe(0)
    const agent = (created.json as Json).agent
    expect(agent).toMatchObject({status: 'idle', worktree: {branch: 'ccmcp/usage/Agent_1', path: `${cc.root}.ccmcp-worktrees/usage/Agent_1`}})

    for (const turn of TURNS) {
      const sent = await ccmcp(['agent', 'send', 'usage/Agent_1', '--wait', '--timeout', '90', `MOCK_USAGE ${turn.input} ${turn.output} ${turn.cacheRead} ${turn.cacheWrite}`])
      expect(sent.exitCode, sent.stdout).toBe(0)
    }
    // The reply ran in the worktree: Claude Code reported it as its working directory.
    const [request] = cc.api.requests().filter((candidate) => candidate.kind === 'main' && candidate.sessionId === agent.conversationId)
    expect(JSON.stringify([request?.system, request?.messages])).toContain(`Primary working directory: ${agent.worktree.path}`)

    const expected = {
      input: TURNS.reduce((sum, turn) => sum + turn.input, 0),
      output: TURNS.reduce((sum, turn) => sum + turn.output, 0),
      cacheRead: TURNS.reduce((sum, turn) => sum + turn.cacheRead, 0),
      cacheWrite: TURNS.reduce((sum, turn) => sum + turn.cacheWrite, 0),
    }
    const status = (await ccmcp(['session', 'status', 'usage'])).json as Json
    const [only] = status.agents
    expect(only.usage.tokens).toEqual(expected)
    expect(status.usage.tokens).toEqual(expected)
    const [model] = Object.keys(only.usage.byModel)
    const price = priceFor(model as string, undefined)
    if (price) {
      const cost = (expected.input * price.input + expected.output * price.output + expected.cacheRead * price.cacheRead + expected.cacheWrite * price.cacheWrite) / 1e6
      expect(only.usage.costUsd).toBeCloseTo(cost, 6)
    } else {
      expect(only.usage).toMatchObject({costUsd: null, costNote: expect.stringContaining(model as string)})
    }
    // Read again: nothing new, nothing counted twice.
    expect((((await ccmcp(['agent', 'list'])).json as Json).agents[0]).usage.tokens).toEqual(expected)
    const human = await box.run(['session', 'status', 'usage'], {env: {...cc.env, CCMCP_CLAUDE_BIN: cc.bin}})
    expect(human.stdout).toContain(`tokens: ${expected.input} in, ${expected.output} out, ${expected.cacheRead} cache read, ${expected.cacheWrite} cache write`)
  }, 300_000)
})
