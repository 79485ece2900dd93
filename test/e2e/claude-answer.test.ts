/**
 * Issue 14 item 1 against the REAL Claude Code (offline, mock Messages API), in a default session,
 * so confined to its root (issue 12): an agent in manual permission mode stops on a Write inside
 * its root; `agent answer … allow` lets the write happen and the turn end, `deny --message` makes
 * the model get the message; a write outside the root is refused without a prompt and the agent
 * never shows `waiting` for it; session rules answer on their own; answering an agent that is not
 * waiting changes nothing. Only an unsandboxed session draws the dialog, so a person pressing the
 * key in the pane first (and the hook then returning) is tested there.
 */
import {existsSync} from 'node:fs'
import {readFile} from 'node:fs/promises'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {type ClaudeTestEnv, claudeBin, claudeSuiteName, startClaudeEnv} from '../claude/env.js'
import {type Sandbox, createSandbox, eventually} from '../helpers/cli.js'
import {readEventLog} from '../helpers/at-rest.js'

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
    // The dialog's Notification can be recorded before the PermissionRequest hook records its
    // request (a loaded machine): `waiting` comes first, the request a moment later.
    return eventually(async () => {
      const agent = await agentNamed(key)
      return agent.permissionRequest ? agent : undefined
    }, 30_000)
  }

  beforeAll(async () => {
    cc = await startClaudeEnv()
    box = await createSandbox()
    // The hook confirming a prompt can take many seconds on a loaded machine: wait for it, never retype.
    expect((await box.run(['config', 'set', 'deliveryTimeoutMs', '30000'])).exitCode).toBe(0)
    // Sandboxed, as every session is by default. Bash runs in the sandbox without asking, so the rules are on Write.
    const created = await ccmcp(['session', 'create', 'real', '--root', cc.root, '--auto-allow', 'Write(auto/**)', '--auto-deny', 'Write(*.secret)'])
    expect(created.exitCode, created.stdout).toBe(0)
    expect((created.json as Json).session.sandbox).toMatchObject({enabled: true})
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

  it('an Edit in the root waits the same way; allow → edited', async () => {
    // The Write above put the file in the conversation, so Claude Code lets it be edited.
    const waiting = await stopAt('real/careful', 'MOCK_TOOL_EDIT allowed.txt written edited')
    expect(waiting).toMatchObject({status: 'waiting', waitingFor: 'permission: Edit(allowed.txt)'})
    expect(await readFile(path.join(cc.root, 'allowed.txt'), 'utf8')).toBe('written after allow\n')
    expect((await ccmcp(['agent', 'answer', 'real/careful', 'allow'])).exitCode).toBe(0)
    const done = await ccmcp(['agent', 'wait', 'real/careful', '--until', 'idle', '--timeout', '60'])
    expect(done.exitCode, done.stdout).toBe(0)
    expect(await readFile(path.join(cc.root, 'allowed.txt'), 'utf8')).toBe('edited after allow\n')
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

  it('unsandboxed, a person answers in the pane first: the write happens, the hook returns, a late answer is refused', async () => {
    // Only an unconfined agent draws the dialog: a confined one is refused whatever its hook does not answer.
    expect((await ccmcp(['session', 'create', 'open', '--root', cc.root, '--no-sandbox'])).exitCode).toBe(0)
    expect((await ccmcp(['agent', 'create', 'open', '--name', 'byhand', '--permission-mode', 'manual'])).exitCode).toBe(0)
    const waiting = await stopAt('open/byhand', 'MOCK_TOOL_WRITE by-hand.txt allowed in the terminal')
    const hookPid = waiting.permissionRequest.hookPid as number
    expect(alive(hookPid)).toBe(true)
    await eventually(async () => (/Do you want to/.test(((await ccmcp(['agent', 'read', 'open/byhand'])).json as Json).screen) ? true : undefined), 20_000)
    expect((await box.tmux(['send-keys', '-t', waiting.tab.paneId, 'Enter'])).exitCode).toBe(0)
    await eventually(async () => ((await agentNamed('open/byhand')).status === 'waiting' ? undefined : true), 20_000)
    const done = await ccmcp(['agent', 'wait', 'open/byhand', '--until', 'idle', '--timeout', '60'])
    expect(done.exitCode, done.stdout).toBe(0)
    expect(await readFile(path.join(cc.root, 'by-hand.txt'), 'utf8')).toBe('allowed in the terminal\n')
    await eventually(async () => (alive(hookPid) ? undefined : true), 20_000)
    expect((await ccmcp(['agent', 'answer', 'open/byhand', 'allow'])).exitCode).toBe(19)
  }, 180_000)

  it('a write outside the root is refused at once: no prompt, never waiting, the model is told why', async () => {
    const outside = path.join(path.dirname(cc.root), 'outside-answer.txt')
    const before = (await readEventLog(box.home, 'real', 'careful')).length
    const sent = await ccmcp(['agent', 'send', 'real/careful', '--wait', '--raw', '--timeout', '120', `MOCK_TOOL_WRITE ${outside} escaped`])
    expect(sent.exitCode, sent.stdout).toBe(0)
    expect((sent.json as Json).agent).toMatchObject({status: 'idle', waitingFor: null, permissionRequest: null})
    expect((sent.json as Json).reply).toMatch(/outside/)
    expect(existsSync(outside)).toBe(false)
    // Nothing of this turn could have shown `waiting`: no request was recorded, no dialog notified.
    // The event log line is appended just after the state changes: the Stop may be a moment behind `idle`.
    const turn = await eventually(async () => {
      const events = (await readEventLog(box.home, 'real', 'careful')).slice(before)
      return events.some((event) => event.hook_event_name === 'Stop') ? events : undefined
    })
    expect(turn.filter((event) => event.hook_event_name === 'PermissionRequest' || event.hook_event_name === 'Notification')).toEqual([])
  }, 180_000)

  it('session rules answer on their own and are recorded: auto-allow writes, auto-deny refuses', async () => {
    const allowed = await ccmcp(['agent', 'send', 'real/careful', '--wait', '--raw', '--timeout', '120', 'MOCK_TOOL_WRITE auto/ok.txt auto'])
    expect(allowed.exitCode, allowed.stdout).toBe(0)
    expect(await readFile(path.join(cc.root, 'auto', 'ok.txt'), 'utf8')).toBe('auto\n')
    expect((allowed.json as Json).agent.lastAutoAnswer).toMatchObject({rule: 'Write(auto/**)', behavior: 'allow', summary: 'Write(auto/ok.txt)'})

    const denied = await ccmcp(['agent', 'send', 'real/careful', '--wait', '--raw', '--timeout', '120', 'MOCK_TOOL_WRITE key.secret x'])
    expect(denied.exitCode, denied.stdout).toBe(0)
    expect(existsSync(path.join(cc.root, 'key.secret'))).toBe(false)
    expect((await agentNamed('real/careful')).lastAutoAnswer).toMatchObject({rule: 'Write(*.secret)', behavior: 'deny'})
    expect(JSON.stringify(toolResults().at(-1))).toContain('Denied by the session rule Write(*.secret)')
  }, 240_000)
})
