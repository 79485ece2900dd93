/**
 * Proves the real-Claude test harness (installer binary + mock API + throwaway HOME + raw tmux)
 * against Claude Code itself, and pins down the behaviour issue 3 builds on. Never asserts
 * timings; set CCMCP_TEST_CLAUDE_OBSERVE=<file.json> to dump timings and screens for FINDINGS.md.
 */
import {existsSync} from 'node:fs'
import {writeFile} from 'node:fs/promises'
import path from 'node:path'
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest'

import {CLAUDE_SCREEN, type ClaudeTestEnv, claudeBin, claudeSuiteName, startClaudeEnv} from './env.js'
import {type ClaudeLaunch, type RunningClaude, type Submitted, launchClaude} from './launch.js'

const observations: Record<string, unknown> = {}

/** Polls `check` (bounded) until it holds. */
async function waitUntil(check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
const observe = (key: string, value: unknown): void => void (observations[key] = value)

// Each step has its own bound (and says where Claude Code was when it ran out); the test's own
// timeout only has to exceed their sum. A loaded 2-core CI machine took over 20 s to start Claude Code.
describe.skipIf(!claudeBin())(claudeSuiteName('real Claude Code harness'), {timeout: 240_000}, () => {
  let cc: ClaudeTestEnv
  const running: RunningClaude[] = []

  beforeAll(async () => {
    cc = await startClaudeEnv()
  })
  afterEach(async () => {
    for (const agent of running.splice(0)) await agent.kill()
  })
  afterAll(async () => {
    await cc?.cleanup()
    const out = process.env.CCMCP_TEST_CLAUDE_OBSERVE
    if (out) await writeFile(out, `${JSON.stringify(observations, null, 2)}\n`)
  })

  async function launch(options: ClaudeLaunch = {}): Promise<RunningClaude> {
    const agent = await launchClaude(cc, options)
    running.push(agent)
    return agent
  }

  /** Launch, then wait until the prompt takes input; records the timings. */
  async function launchReady(key: string, options: ClaudeLaunch = {}): Promise<RunningClaude> {
    const agent = await launch(options)
    const ready = await agent.ready()
    observe(`${key}.launchToSessionStartMs`, ready.sessionStart.seenAt - agent.launchedAt)
    observe(`${key}.launchToFooterMs`, ready.footerAt - agent.launchedAt)
    observe(`${key}.readyScreen`, ready.screen)
    return agent
  }

  /** Submits a prompt (verified, see RunningClaude.submit) and waits for the turn's end hook. */
  async function turn(agent: RunningClaude, key: string, prompt: string, end: 'Stop' | 'StopFailure' = 'Stop') {
    const submitted = await agent.submit(prompt)
    noteRetry(key, submitted)
    const done = await agent.waitHook(end, {from: submitted.event.index})
    return {submit: submitted.event.event, done: done.event, sentAt: submitted.sentAt, doneAt: done.seenAt}
  }

  /** A lost first Enter is Claude Code behaviour worth knowing (FINDINGS.md), not a test failure. */
  function noteRetry(key: string, submitted: Submitted): void {
    if (submitted.retriedAfter !== undefined) observe(`${key}.enterRetriedAfter`, submitted.retriedAfter)
  }

  it('(a) reaches the prompt and fires SessionStart', async () => {
    const agent = await launchReady('a')
    const [start] = await agent.hooks.events('SessionStart')
    expect(start).toMatchObject({hook_event_name: 'SessionStart', session_id: agent.sessionId, source: 'startup', cwd: cc.root})
    expect(await agent.tmux.screen()).toMatch(CLAUDE_SCREEN.ready)
    observe('a.sessionStart', start)
  })

  it('(b) a typed prompt is submitted, answered on screen, and ends with Stop', async () => {
    const agent = await launchReady('b')
    const result = await turn(agent, 'b', 'hello from the harness')
    expect(result.submit).toMatchObject({session_id: agent.sessionId, prompt: 'hello from the harness'})
    expect(result.done).toMatchObject({session_id: agent.sessionId, last_assistant_message: 'MOCK_REPLY: hello from the harness'})
    const {screen} = await agent.tmux.waitForScreen(/● MOCK_REPLY: hello from the harness/)
    // One model request per turn, routed by session id, and no side traffic.
    const mine = cc.api.requests().filter((r) => r.sessionId === agent.sessionId)
    expect(mine.map((r) => r.kind)).toEqual(['main'])
    expect(mine[0]).toMatchObject({lastUserText: 'hello from the harness', stream: true})
    observe('b.promptToStopMs', result.doneAt - result.sentAt)
    observe('b.userPromptSubmit', result.submit)
    observe('b.stop', result.done)
    observe('b.screen', screen)
    observe('b.request', {...mine[0], system: `${mine[0]?.system.length} chars`, messages: mine[0]?.messages.map((m) => m.role)})
  })

  it('(c) a tool call in manual mode raises PermissionRequest and the dialog', async () => {
    const agent = await launchReady('c', {permissionMode: 'manual'})
    const target = path.join(cc.root, 'permission.txt')
    const submitted = await agent.submit('MOCK_TOOL_BASH echo allowed > permission.txt')
    noteRetry('c', submitted)
    const from = submitted.event.index
    const request = await agent.waitHook('PermissionRequest', {from})
    expect(request.event).toMatchObject({tool_name: 'Bash', tool_input: {command: 'echo allowed > permission.txt'}, permission_mode: 'default'})
    const dialog = await agent.tmux.waitForScreen(CLAUDE_SCREEN.permission)
    expect(existsSync(target)).toBe(false)
    // Claude Code also sends Notification permission_prompt some seconds later.
    const notification = await agent.waitHook('Notification', {from, timeoutMs: 30_000})
    expect(notification.event).toMatchObject({notification_type: 'permission_prompt'})
    // Enter picks the default "1. Yes": the tool runs and the turn ends normally.
    await agent.tmux.pressKey('Enter')
    const stop = await agent.waitHook('Stop', {from})
    expect(stop.event.last_assistant_message).toMatch(/^MOCK_TOOL_DONE:/)
    expect(existsSync(target)).toBe(true)
    observe('c.permissionRequest', request.event)
    observe('c.permissionRequestToDialogMs', dialog.at - request.seenAt)
    observe('c.permissionRequestToNotificationMs', notification.seenAt - request.seenAt)
    observe('c.notification', notification.event)
    observe('c.dialogScreen', dialog.screen)
    observe('c.eventsAfterPrompt', (await agent.hooks.poll()).slice(from).map((s) => s.event.hook_event_name))
  })

  it('(d) an API error ends the turn with StopFailure and its reason', async () => {
    const agent = await launchReady('d')
    const bad = await turn(agent, 'd', 'MOCK_FAIL please', 'StopFailure')
    expect(bad.done).toMatchObject({error: 'unknown', last_assistant_message: expect.stringMatching(/^API Error: 400 /)})
    const server = await turn(agent, 'd500', 'MOCK_FAIL 500 please', 'StopFailure')
    expect(server.done).toMatchObject({error: 'server_error', last_assistant_message: expect.stringMatching(/^API Error: 500 /)})
    // No Stop for a failed turn: StopFailure is the only end signal.
    expect(await agent.hooks.events('Stop')).toEqual([])
    const attempts = (text: string) => cc.api.requests().filter((r) => r.sessionId === agent.sessionId && r.lastUserText === text).length
    observe('d.attempts400', attempts('MOCK_FAIL please'))
    observe('d.attempts500', attempts('MOCK_FAIL 500 please'))
    observe('d.promptToStopFailure400Ms', bad.doneAt - bad.sentAt)
    observe('d.promptToStopFailure500Ms', server.doneAt - server.sentAt)
    observe('d.stopFailure400', bad.done)
    observe('d.stopFailure500', server.done)
    observe('d.screen', await agent.tmux.screen())
  })

  it('(e) after the terminal server dies, --resume continues the same conversation', async () => {
    const agent = await launchReady('e')
    await turn(agent, 'e', 'remember the apples')
    const beforeKill = await agent.hooks.mark()
    await agent.kill()
    await agent.relaunchResumed()
    const ready = await agent.ready()
    expect(ready.sessionStart.event).toMatchObject({source: 'resume', session_id: agent.sessionId})
    observe('e.afterKill', (await agent.hooks.poll()).slice(beforeKill).map((s) => s.event))
    observe('e.relaunchToSessionStartMs', ready.sessionStart.seenAt - agent.launchedAt)
    observe('e.resumeScreen', ready.screen)
    const result = await turn(agent, 'e2', 'what did I say?')
    expect(result.done.last_assistant_message).toBe('MOCK_REPLY: what did I say?')
    const request = await cc.api.waitForRequest((r) => r.sessionId === agent.sessionId && r.lastUserText === 'what did I say?')
    const history = JSON.stringify(request.messages)
    expect(history).toContain('remember the apples')
    expect(history).toContain('MOCK_REPLY: remember the apples')
    observe('e.resumedRequest', {messageCount: request.messageCount, roles: request.messages.map((m) => m.role)})
  })

  it('(e2) a conversation with no turn cannot be resumed, but its id can be started again', async () => {
    const agent = await launchReady('e2')
    await agent.kill()
    await agent.relaunchResumed()
    await waitUntil(() => agent.tmux.paneDead())
    const failed = await agent.tmux.history()
    expect(failed).toContain(`No conversation found with session ID: ${agent.sessionId}`)
    observe('e2.resumeFailedScreen', failed)
    observe('e2.eventsOfFailedResume', (await agent.hooks.poll()).map((s) => s.event.hook_event_name))
    await agent.kill()
    await agent.relaunchResumed('session-id')
    const ready = await agent.ready()
    expect(ready.sessionStart.event).toMatchObject({source: 'startup', session_id: agent.sessionId})
  })

  it('(f) an untrusted root shows the trust dialog and fires no hook until answered', async () => {
    const agent = await launch({cwd: cc.untrustedRoot})
    const dialog = await agent.tmux.waitForScreen(CLAUDE_SCREEN.trust)
    expect(dialog.screen).toContain('❯ No, exit')
    expect(dialog.screen).toContain(cc.untrustedRoot)
    // Give a wrongly early hook a chance to show up before checking that none did.
    await new Promise((resolve) => setTimeout(resolve, 1500))
    expect(await agent.hooks.events()).toEqual([])
    observe('f.launchToDialogMs', dialog.at - agent.launchedAt)
    observe('f.dialogScreen', dialog.screen)
    // Choosing "Yes" records trust for exactly that folder, then the session starts.
    await agent.tmux.pressKey('Down')
    await agent.tmux.waitForScreen(/❯ Yes, I trust this folder/)
    await agent.tmux.pressKey('Enter')
    const start = await agent.waitHook('SessionStart')
    expect(start.event).toMatchObject({source: 'startup', cwd: cc.untrustedRoot})
    const projects = (await cc.home.readConfig()).projects as Record<string, Record<string, unknown>>
    expect(projects[cc.untrustedRoot]).toMatchObject({hasTrustDialogAccepted: true})
    observe('f.projectEntryAfterYes', projects[cc.untrustedRoot])
  })

  it('(g) --append-system-prompt reaches the system prompt of the request', async () => {
    const identity = 'You are Agent_1 in ccmcp session harness. Reply briefly.'
    const agent = await launchReady('g', {args: ['--append-system-prompt', identity]})
    await turn(agent, 'g', 'who are you?')
    const request = await cc.api.waitForRequest((r) => r.sessionId === agent.sessionId && r.kind === 'main')
    expect(request.system).toContain(identity)
    observe('g.systemEndsWithIdentity', request.system.trimEnd().endsWith(identity))
    observe('g.systemChars', request.system.length)
  })

  it('(h) a bracketed paste of multi-line text arrives as one prompt', async () => {
    const agent = await launchReady('h')
    const text = 'line one\nline two\nline three'
    const from = await agent.hooks.mark()
    await agent.tmux.paste(text)
    const pasted = await agent.tmux.waitForScreen(/line three/)
    // Pasting alone submits nothing.
    expect((await agent.hooks.poll()).slice(from)).toEqual([])
    const submitted = await agent.submit(text, {alreadyTyped: true})
    noteRetry('h', submitted)
    expect(submitted.event.event.prompt).toBe(text)
    const stop = await agent.waitHook('Stop', {from})
    expect(stop.event.last_assistant_message).toBe(`MOCK_REPLY: ${text}`)
    const request = await cc.api.waitForRequest((r) => r.sessionId === agent.sessionId && r.kind === 'main')
    expect(request.lastUserText).toBe(text)
    observe('h.pastedScreen', pasted.screen)
  })
})
