/**
 * Issue 3 against the REAL Claude Code binary (pinned; CCMCP_TEST_CLAUDE_BIN from
 * test/claude/install-claude.sh), offline against the mock Messages API, driven through ccmcp's
 * commands (in-process, test/helpers/cli.ts) exactly as a user or CI script would.
 */
import {readFile} from 'node:fs/promises'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {type ClaudeTestEnv, claudeBin, claudeSuiteName, startClaudeEnv} from '../claude/env.js'
import {type Sandbox, createSandbox, eventually} from '../helpers/cli.js'
import {readEventLog} from '../helpers/at-rest.js'

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

describe.skipIf(!claudeBin())(claudeSuiteName('real Claude Code agents'), () => {
  let cc: ClaudeTestEnv
  let box: Sandbox
  const ccmcp = async (args: string[], input?: string) => box.run([...args, '--json'], {env: {...cc.env, CCMCP_CLAUDE_BIN: cc.bin}, input})
  const status = async (agent: string) => ((await ccmcp(['agent', 'list'])).json as Json).agents.find((candidate: Json) => `${candidate.session}/${candidate.name}` === agent) as Json
  const mainRequests = (sessionId: string) => cc.api.requests().filter((request) => request.kind === 'main' && request.sessionId === sessionId)

  beforeAll(async () => {
    cc = await startClaudeEnv()
    box = await createSandbox()
    // The hook confirming a prompt can take many seconds on a loaded machine: wait for it, never retype.
    expect((await box.run(['config', 'set', 'deliveryTimeoutMs', '30000'])).exitCode).toBe(0)
    // --no-sandbox: these tests need the dialog of a permission prompt for Bash; a sandboxed agent runs Bash without asking and draws no dialog (README "Confinement").
    expect((await ccmcp(['session', 'create', 'real', '--root', cc.root, '--no-sandbox'])).exitCode).toBe(0)
  }, 120_000)
  afterAll(async () => {
    await box?.cleanup()
    await cc?.cleanup()
  })

  it('create → idle from SessionStart; send --wait → busy → the reply in status and on screen → idle', async () => {
    const created = await ccmcp(['agent', 'create', 'real', '--permission-mode', 'acceptEdits'])
    expect(created.exitCode, created.stderr).toBe(0)
    const agent = (created.json as Json).agent
    expect(agent).toMatchObject({name: 'Agent_1', status: 'idle', kind: 'claude', claudeVersion: '2.1.330'})

    const sent = await ccmcp(['agent', 'send', 'real/Agent_1', '--wait', 'hello there'])
    expect(sent.exitCode, sent.stderr).toBe(0)
    expect(sent.json).toMatchObject({delivery: 'delivered', reply: 'MOCK_REPLY: [from operator] hello there', agent: {status: 'idle'}})
    const [request] = mainRequests(agent.conversationId)
    expect(request?.system).toContain('You are Agent_1, one of several agents in session "real"')
    const screen = ((await ccmcp(['agent', 'read', 'real/Agent_1'])).json as Json).screen
    expect(screen).toContain('MOCK_REPLY: [from operator] hello there')

    // A slow turn is seen as busy while it runs, then idle.
    expect((await ccmcp(['agent', 'send', 'real/Agent_1', '--raw', 'MOCK_SLOW 3000'])).json).toMatchObject({delivery: 'delivered', agent: {status: 'busy'}})
    const done = await ccmcp(['agent', 'wait', 'real/Agent_1', '--until', 'idle', '--timeout', '60'])
    expect(done.exitCode).toBe(0)
    expect((done.json as Json).agent.lastReply).toMatch(/MOCK_REPLY/)
  }, 180_000)

  it('a tool that needs permission → waiting, with what it waits for', async () => {
    expect((await ccmcp(['agent', 'create', 'real', '--name', 'careful', '--permission-mode', 'manual'])).exitCode).toBe(0)
    const sent = await ccmcp(['agent', 'send', 'real/careful', '--raw', 'MOCK_TOOL_BASH echo allowed > permission.txt'])
    expect((sent.json as Json).delivery).toBe('delivered')
    const waiting = await ccmcp(['agent', 'wait', 'real/careful', '--until', 'waiting', '--timeout', '60'])
    expect(waiting.exitCode, waiting.stderr).toBe(0)
    // The dialog's generic Notification may be recorded before the waiting hook's request on a
    // loaded machine (hooks finish in any order); the request then still says what is asked.
    await eventually(async () => ((await status('real/careful')).permissionRequest ? true : undefined), 30_000)
    expect(await status('real/careful')).toMatchObject({status: 'waiting', waitingFor: 'permission: Bash(echo allowed > permission.txt)', permissionRequest: {tool: 'Bash', summary: 'Bash(echo allowed > permission.txt)'}})
    // Messages wait in ccmcp's queue instead of being typed into the dialog.
    expect(((await ccmcp(['agent', 'send', 'real/careful', 'later'])).json as Json).delivery).toBe('queued')
  }, 180_000)

  it('a failing API turn → error with the reason; wait --until idle exits 13', async () => {
    expect((await ccmcp(['agent', 'create', 'real', '--name', 'unlucky'])).exitCode).toBe(0)
    const sent = await ccmcp(['agent', 'send', 'real/unlucky', '--raw', 'MOCK_FAIL 500'])
    expect((sent.json as Json).delivery).toBe('delivered')
    const failed = await ccmcp(['agent', 'wait', 'real/unlucky', '--until', 'idle', '--timeout', '90'])
    expect(failed.exitCode).toBe(13)
    const agent = await status('real/unlucky')
    expect(agent.status).toBe('error')
    expect(agent.lastError).toMatch(/server_error/)
  }, 180_000)

  it('the terminal dies → lost → restart and recover continue the SAME conversations', async () => {
    const before = await status('real/Agent_1')
    const turnsBefore = mainRequests(before.conversationId).length
    await box.tmux(['kill-server'])
    await eventually(async () => (((await ccmcp(['agent', 'list'])).json as Json).agents.every((agent: Json) => agent.status === 'lost') ? true : undefined))

    const restarted = await ccmcp(['agent', 'restart', 'real/Agent_1'])
    expect(restarted.exitCode, restarted.stderr).toBe(0)
    expect((restarted.json as Json).agent).toMatchObject({status: 'idle', conversationId: before.conversationId})
    // The event log line is appended just after the state changes (`idle`): it may be a moment behind.
    const resumedStart = await eventually(async () => {
      const start = (await readEventLog(box.home, 'real', 'Agent_1')).filter((event) => event.hook_event_name === 'SessionStart').at(-1)
      return start?.source === 'resume' ? start : undefined
    })
    expect(resumedStart).toMatchObject({source: 'resume', session_id: before.conversationId})

    const again = await ccmcp(['agent', 'send', 'real/Agent_1', '--wait', '--raw', 'do you remember'])
    expect((again.json as Json).reply).toBe('MOCK_REPLY: do you remember')
    const resumed = mainRequests(before.conversationId)
    expect(resumed.length).toBeGreaterThan(turnsBefore)
    const carried = JSON.stringify(resumed.at(-1)?.messages)
    expect(carried).toContain('hello there')

    // Every other lost agent comes back with one command; live ones are not duplicated.
    const recovered = await ccmcp(['session', 'recover', 'real'])
    expect(recovered.exitCode, recovered.stderr).toBe(0)
    expect((recovered.json as Json).restarted.sort()).toEqual(['careful', 'unlucky'])
    expect(((await ccmcp(['session', 'recover', 'real'])).json as Json).restarted).toEqual([])
    const windows = (await box.tmux(['list-windows', '-a', '-F', '#{window_id}'])).stdout.split('\n').filter(Boolean)
    expect(windows).toHaveLength(3)
  }, 180_000)

  it('an untrusted root stops at the trust dialog: waiting/trust and exit 6, never a blind Enter; --trust avoids it', async () => {
    expect((await ccmcp(['session', 'create', 'strange', '--root', cc.untrustedRoot])).exitCode).toBe(0)
    const created = await ccmcp(['agent', 'create', 'strange'])
    expect(created.exitCode).toBe(6)
    expect((created.json as Json).error.message).toMatch(/workspace-trust dialog/)
    expect((created.json as Json).error.hint).toMatch(/session trust strange/)
    // The agent stuck at the dialog is not kept (test/e2e/claude-trust.test.ts has the remedies).
    expect(await status('strange/Agent_1')).toBeUndefined()
    expect((await ccmcp(['session', 'delete', 'strange', '--yes'])).exitCode).toBe(0)

    const claudeJson = path.join(cc.env.HOME ?? '', '.claude.json')
    const trusted = await ccmcp(['session', 'create', 'strange', '--root', cc.untrustedRoot, '--trust'])
    expect((trusted.json as Json).trust).toMatchObject({file: claudeJson, changed: true})
    const config = JSON.parse(await readFile(claudeJson, 'utf8'))
    expect(config.projects[cc.untrustedRoot].hasTrustDialogAccepted).toBe(true)
    expect(config.hasCompletedOnboarding).toBe(true)
    const fine = await ccmcp(['agent', 'create', 'strange'])
    expect(fine.exitCode, fine.stderr).toBe(0)
    expect((fine.json as Json).agent.status).toBe('idle')
  }, 180_000)
})
