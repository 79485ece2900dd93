/**
 * Issue 14 item 1 against the REAL Claude Code (offline, mock Messages API): an agent in manual
 * permission mode stops on a Write; `agent answer … allow` lets the write happen and the turn end,
 * `deny --message` makes the model get the message, a person pressing the key in the pane first
 * also works (and the hook returns), session rules answer on their own, and answering an agent
 * that is not waiting changes nothing.
 */
import {existsSync} from 'node:fs'
import {readFile} from 'node:fs/promises'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {type ClaudeTestEnv, claudeBin, claudeSuiteName, startClaudeEnv} from '../claude/env.js'
import {type Sandbox, createSandbox, eventually} from '../helpers/cli.js'

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe.skipIf(!claudeBin())(claudeSuiteName('real Claude Code: answering a waiting agent'), () => {
  let cc: ClaudeTestEnv
  let box: Sandbox
  const ccmcp = async (args: string[]) => box.run([...args, '--json'], {env: {...cc.env, CCMCP_CLAUDE_BIN: cc.bin}})
  const agentNamed = async (key: string) => ((await ccmcp(['agent', 'list'])).json as Json).agents.find((agent: Json) => `${agent.session}/${agent.name}` === key) as Json
  const toolResults = () =>
    cc.api
      .requests()
      .filter((request) => request.kind === 'main')
      .flatMap((request) => (request.messages as Json[]).flatMap((message) => (Array.isArray(message.content) ? message.content : [])))
      .filter((block: Json) => block.type === 'tool_result')
  const stopAt = async (key: string, prompt: string) => {
    const sent = await ccmcp(['agent', 'send', key, '--raw', prompt])
    expect((sent.json as Json).delivery, sent.stdout).toBe('delivered')
    const waiting = await ccmcp(['agent', 'wait', key, '--until', 'waiting', '--timeout', '60'])
    expect(waiting.exitCode, waiting.stdout).toBe(0)
    return (waiting.json as Json).agent as Json
  }

  beforeAll(async () => {
    cc = await startClaudeEnv()
    box = await createSandbox()
    // Unsandboxed: a sandboxed agent denies instead of prompting (no PermissionRequest hook), and these tests need the prompt.
    const created = await ccmcp(['session', 'create', 'real', '--root', cc.root, '--no-sandbox', '--auto-allow', 'Bash(echo auto*)', '--auto-deny', 'Bash(rm *)'])
    expect(created.exitCode, created.stdout).toBe(0)
    expect((await ccmcp(['agent', 'create', 'real', '--name', 'careful', '--permission-mode', 'manual'])).exitCode).toBe(0)
  }, 180_000)
  afterAll(async () => {
    await box?.cleanup()
    await cc?.cleanup()
  })

  it('answering an agent that is not waiting: exit 19, nothing changed', async () => {
    const before = await agentNamed('real/careful')
    const answered = await ccmcp(['agent', 'answer', 'real/careful', 'allow'])
    expect(answered.exitCode).toBe(19)
    expect((answered.json as Json).error).toMatchObject({code: 'AGENT_NOT_WAITING'})
    expect((answered.json as Json).error.message).toContain('not waiting')
    expect(await agentNamed('real/careful')).toEqual(before)
  }, 60_000)

  it('stops on a Write, shows what it asks; allow → the file is written and the turn ends', async () => {
    const waiting = await stopAt('real/careful', 'MOCK_TOOL_WRITE allowed.txt written after allow')
    expect(waiting).toMatchObject({status: 'waiting', waitingFor: 'permission: Write(allowed.txt)', permissionRequest: {tool: 'Write', summary: 'Write(allowed.txt)', decision: null}})
    // A wrong answer for the question changes nothing.
    expect((await ccmcp(['agent', 'answer', 'real/careful', 'trust'])).exitCode).toBe(2)
    expect((await ccmcp(['agent', 'answer', 'real/careful', 'allow', '--message', 'x'])).exitCode).toBe(2)
    expect(existsSync(path.join(cc.root, 'allowed.txt'))).toBe(false)

    const answered = await ccmcp(['agent', 'answer', 'real/careful', 'allow'])
    expect(answered.exitCode, answered.stdout).toBe(0)
    expect((answered.json as Json).answered).toMatchObject({answer: 'allow', summary: 'Write(allowed.txt)'})
    const done = await ccmcp(['agent', 'wait', 'real/careful', '--until', 'idle', '--timeout', '60'])
    expect(done.exitCode, done.stdout).toBe(0)
    expect((done.json as Json).agent).toMatchObject({status: 'idle', permissionRequest: null})
    expect((done.json as Json).agent.lastReply).toMatch(/^MOCK_TOOL_DONE:/)
    expect(await readFile(path.join(cc.root, 'allowed.txt'), 'utf8')).toBe('written after allow\n')
    const hookPid = waiting.permissionRequest.hookPid as number
    await eventually(async () => (alive(hookPid) ? undefined : true))
  }, 180_000)

  it('deny --message: the write does not happen and the model gets the message', async () => {
    await stopAt('real/careful', 'MOCK_TOOL_WRITE denied.txt never written')
    const answered = await ccmcp(['agent', 'answer', 'real/careful', 'deny', '--message', 'Write to scratch/ instead'])
    expect(answered.exitCode, answered.stdout).toBe(0)
    const done = await ccmcp(['agent', 'wait', 'real/careful', '--until', 'idle', '--timeout', '60'])
    expect(done.exitCode, done.stdout).toBe(0)
    expect((done.json as Json).agent.lastReply).toContain('Write to scratch/ instead')
    expect(JSON.stringify(toolResults().at(-1))).toContain('Write to scratch/ instead')
    expect(existsSync(path.join(cc.root, 'denied.txt'))).toBe(false)
  }, 180_000)

  it('a person answers in the pane first: the write happens, the hook returns, a late answer is refused', async () => {
    const waiting = await stopAt('real/careful', 'MOCK_TOOL_WRITE by-hand.txt allowed in the terminal')
    const hookPid = waiting.permissionRequest.hookPid as number
    expect(alive(hookPid)).toBe(true)
    await eventually(async () => (/Do you want to/.test(((await ccmcp(['agent', 'read', 'real/careful'])).json as Json).screen) ? true : undefined), 20_000)
    expect((await box.tmux(['send-keys', '-t', waiting.tab.paneId, 'Enter'])).exitCode).toBe(0)
    await eventually(async () => ((await agentNamed('real/careful')).status === 'waiting' ? undefined : true), 20_000)
    const done = await ccmcp(['agent', 'wait', 'real/careful', '--until', 'idle', '--timeout', '60'])
    expect(done.exitCode, done.stdout).toBe(0)
    expect(await readFile(path.join(cc.root, 'by-hand.txt'), 'utf8')).toBe('allowed in the terminal\n')
    await eventually(async () => (alive(hookPid) ? undefined : true), 20_000)
    expect((await ccmcp(['agent', 'answer', 'real/careful', 'allow'])).exitCode).toBe(19)
  }, 180_000)

  it('session rules answer on their own and are recorded: auto-allow runs, auto-deny refuses', async () => {
    const allowed = await ccmcp(['agent', 'send', 'real/careful', '--wait', '--raw', '--timeout', '120', 'MOCK_TOOL_BASH echo auto > auto.txt'])
    expect(allowed.exitCode, allowed.stdout).toBe(0)
    expect(await readFile(path.join(cc.root, 'auto.txt'), 'utf8')).toBe('auto\n')
    expect((allowed.json as Json).agent.lastAutoAnswer).toMatchObject({rule: 'Bash(echo auto*)', behavior: 'allow', summary: 'Bash(echo auto > auto.txt)'})

    await ccmcp(['agent', 'send', 'real/careful', '--wait', '--raw', '--timeout', '120', 'MOCK_TOOL_BASH rm -f auto.txt'])
    expect(existsSync(path.join(cc.root, 'auto.txt'))).toBe(true)
    expect((await agentNamed('real/careful')).lastAutoAnswer).toMatchObject({rule: 'Bash(rm *)', behavior: 'deny'})
    expect(JSON.stringify(toolResults().at(-1))).toContain('Denied by the session rule Bash(rm *)')
  }, 240_000)
})
