/**
 * Issue 14 item 1 in-process: what a permission request shows (sanitized), the decision JSON,
 * which answers fit which question (and that a bad one changes nothing), session rule matching
 * the way users get it wrong, and the waiting hook against a real store (answered, closed by a
 * person's answer, timed out, orphaned).
 */
import {mkdtemp, rm} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'

import {createStateStore} from '../../src/core/adapters/stores.js'
import {atRest} from '../../src/core/adapters/at-rest.js'
import {secretDigest} from '../../src/core/pipeline/caller.js'
import {Agent, type State, emptyState} from '../../src/core/domain/state.js'
import {decide} from '../../src/core/ops/answer.js'
import {decisionOutput, sanitize, summarize} from '../../src/core/answer/request.js'
import {autoAnswer, parseRule} from '../../src/core/answer/rules.js'
import {sessionRules} from '../../src/core/answer/session-rules.js'
import {permissionHook} from '../../src/core/answer/permission-hook.js'
import {createHookRuntime} from '../../src/core/entry/hook-runtime.js'
import {TRUST_WAITING_FOR} from '../../src/core/agents/trust.js'
import {OPERATOR} from '../../src/core/pipeline/caller.js'
import {applyHookEvent} from '../../src/core/delivery/hook-events.js'

const agent = (patch: Partial<Agent> = {}): Agent =>
  Agent.parse({
    session: 's', name: 'Agent_1', kind: 'claude', command: ['claude'], status: 'idle', tab: null,
    conversationId: null, createdAt: '2026-01-01T00:00:00.000Z', lastEventAt: null, lastError: null, launchId: 'L1', ...patch,
  })
const request = (patch: Partial<NonNullable<Agent['permissionRequest']>> = {}) => ({id: 'r1', tool: 'Write', summary: 'Write(a.txt)', askedAt: '', hookPid: process.pid, decision: null, ...patch})
const alive = () => true

describe('what a permission request shows', () => {
  it('tool and a short, sanitized input; paths inside the agent directory relative', () => {
    expect(summarize('Bash', {command: 'npm test'})).toBe('Bash(npm test)')
    expect(summarize('Write', {file_path: '/repo/src/a.ts', content: 'x'}, '/repo')).toBe('Write(src/a.ts)')
    expect(summarize('Write', {file_path: '/etc/passwd'}, '/repo')).toBe('Write(/etc/passwd)')
    expect(summarize('Bash', {command: 'echo \u001b[2J\u001b[31mred\nrm -rf /\u202e'})).toBe('Bash(echo red rm -rf /)')
    expect(summarize('Bash', {command: 'x'.repeat(500)})).toHaveLength('Bash()'.length + 80)
    expect(summarize('mcp__srv__tool', {query: 'q'})).toBe('mcp__srv__tool(q)')
    expect(summarize('Task', {})).toBe('Task')
    expect(sanitize('a\u0007b\u200bc')).toBe('a b c')
  })

  it('the decision JSON Claude Code reads: allow, allow + suggested rules for always, deny + message', () => {
    const suggestions = [{type: 'addRules', rules: [{toolName: 'Write'}], behavior: 'allow', destination: 'session'}]
    expect(decisionOutput({behavior: 'allow', always: false, message: null}, suggestions)).toEqual({hookSpecificOutput: {hookEventName: 'PermissionRequest', decision: {behavior: 'allow'}}})
    expect(decisionOutput({behavior: 'allow', always: true, message: null}, suggestions)).toEqual({hookSpecificOutput: {hookEventName: 'PermissionRequest', decision: {behavior: 'allow', updatedPermissions: suggestions}}})
    expect(decisionOutput({behavior: 'deny', always: false, message: 'use scratch/'}, undefined)).toEqual({hookSpecificOutput: {hookEventName: 'PermissionRequest', decision: {behavior: 'deny', message: 'use scratch/'}}})
    expect((decisionOutput({behavior: 'deny', always: false, message: null}, undefined).hookSpecificOutput as {decision: {message: string}}).decision.message).toMatch(/denied/)
  })
})

describe('which answer fits which question', () => {
  const waiting = agent({status: 'waiting', waitingFor: 'permission: Write(a.txt)', permissionRequest: request()})
  it('allow / deny a permission prompt; always and message where they belong', () => {
    expect(decide(waiting, {answer: 'allow', always: true}, OPERATOR, alive)).toEqual({behavior: 'allow', always: true, message: null, by: 'operator'})
    expect(decide(waiting, {answer: 'deny', always: false, message: 'no'}, OPERATOR, alive)).toEqual({behavior: 'deny', always: false, message: 'no', by: 'operator'})
  })
  it('refuses what does not fit, with the code that says why', () => {
    const code = (fn: () => unknown) => {
      try {
        fn()
      } catch (error) {
        return (error as {code: string}).code
      }
      return 'no error'
    }
    expect(code(() => decide(agent({status: 'idle'}), {answer: 'allow', always: false}, OPERATOR, alive))).toBe('AGENT_NOT_WAITING')
    expect(code(() => decide(agent({status: 'busy'}), {answer: 'deny', always: false}, OPERATOR, alive))).toBe('AGENT_NOT_WAITING')
    expect(code(() => decide(waiting, {answer: 'trust', always: false}, OPERATOR, alive))).toBe('INVALID_INPUT')
    expect(code(() => decide(waiting, {answer: 'allow', always: false, message: 'x'}, OPERATOR, alive))).toBe('INVALID_INPUT')
    expect(code(() => decide(waiting, {answer: 'deny', always: true}, OPERATOR, alive))).toBe('INVALID_INPUT')
    // Waiting, but no hook holds the prompt (older launch), or the hook gave up, or it already has an answer.
    expect(code(() => decide({...waiting, permissionRequest: null}, {answer: 'allow', always: false}, OPERATOR, alive))).toBe('AGENT_NOT_WAITING')
    expect(code(() => decide({...waiting, permissionRequest: request({hookPid: null})}, {answer: 'allow', always: false}, OPERATOR, alive))).toBe('AGENT_NOT_WAITING')
    expect(code(() => decide(waiting, {answer: 'allow', always: false}, OPERATOR, () => false))).toBe('AGENT_NOT_WAITING')
    expect(code(() => decide({...waiting, permissionRequest: request({decision: {behavior: 'allow', always: false, message: null, by: 'x'}})}, {answer: 'deny', always: false}, OPERATOR, alive))).toBe('AGENT_NOT_WAITING')
    // An agent never approves tool calls (its own or another's); it may refuse one.
    const other = {kind: 'agent' as const, session: 's', agent: 'Agent_2', launchId: 'L2'}
    expect(code(() => decide(waiting, {answer: 'allow', always: false}, other, alive))).toBe('FORBIDDEN')
    expect(decide(waiting, {answer: 'deny', always: false}, other, alive)).toMatchObject({behavior: 'deny', by: 'agent s/Agent_2'})
  })
  it('the trust dialog takes trust, and only trust', () => {
    const atDialog = agent({status: 'waiting', waitingFor: TRUST_WAITING_FOR})
    expect(decide(atDialog, {answer: 'trust', always: false}, OPERATOR, alive)).toBe('trust')
    expect(() => decide(atDialog, {answer: 'allow', always: false}, OPERATOR, alive)).toThrow(/trust dialog/)
  })
})

describe('session auto-answer rules (Claude Code permission-rule syntax)', () => {
  const context = {root: '/repo', home: '/home/u'}
  const answer = (rules: {autoAllow?: string[]; autoDeny?: string[]}, tool: string, input: unknown) => autoAnswer(rules, tool, input, context)
  it('Bash globs and the legacy prefix form; chained commands never auto-allowed', () => {
    const rules = {autoAllow: ['Bash(npm test*)', 'Bash(npm run lint:*)']}
    expect(answer(rules, 'Bash', {command: 'npm test'})).toEqual({rule: 'Bash(npm test*)', behavior: 'allow'})
    expect(answer(rules, 'Bash', {command: 'npm test -- --watch'})).toMatchObject({behavior: 'allow'})
    expect(answer(rules, 'Bash', {command: 'npm run lint --fix'})).toEqual({rule: 'Bash(npm run lint:*)', behavior: 'allow'})
    expect(answer(rules, 'Bash', {command: 'npm run linter'})).toBeNull()
    for (const sneaky of ['npm test; rm -rf ~', 'npm test && curl x | sh', 'npm test `rm x`', 'npm test $(rm x)', 'npm test\nrm x', 'npm test & rm x']) {
      expect(answer(rules, 'Bash', {command: sneaky}), sneaky).toBeNull()
    }
    expect(answer(rules, 'Write', {file_path: '/repo/npm test'})).toBeNull()
  })
  it('deny wins, and matches any part of a chained command', () => {
    const rules = {autoAllow: ['Bash'], autoDeny: ['Bash(rm *)', 'Bash(git push:*)']}
    expect(answer(rules, 'Bash', {command: 'ls'})).toEqual({rule: 'Bash', behavior: 'allow'})
    expect(answer(rules, 'Bash', {command: 'ls && rm -rf /'})).toEqual({rule: 'Bash(rm *)', behavior: 'deny'})
    expect(answer(rules, 'Bash', {command: 'git push origin main'})).toEqual({rule: 'Bash(git push:*)', behavior: 'deny'})
  })
  it('paths: relative to the root, // absolute, ~/ home, ** across directories, no escape with ..', () => {
    const rules = {autoAllow: ['Write(src/**)', 'Edit(//tmp/scratch/*)', 'Read(~/notes/)']}
    expect(answer(rules, 'Write', {file_path: '/repo/src/a/b.ts'})).toMatchObject({behavior: 'allow'})
    expect(answer(rules, 'Write', {file_path: '/repo/src/../../etc/passwd'})).toBeNull()
    expect(answer(rules, 'Write', {file_path: '/repo/other.ts'})).toBeNull()
    expect(answer(rules, 'Edit', {file_path: '/tmp/scratch/x'})).toMatchObject({behavior: 'allow'})
    expect(answer(rules, 'Edit', {file_path: '/tmp/scratch/deeper/x'})).toBeNull()
    expect(answer(rules, 'Read', {file_path: '/home/u/notes/a/b.md'})).toMatchObject({behavior: 'allow'})
  })
  it('WebFetch by domain; unknown tool specs and missing inputs never match', () => {
    const rules = {autoAllow: ['WebFetch(domain:example.com)', 'Task(anything)']}
    expect(answer(rules, 'WebFetch', {url: 'https://docs.example.com/x'})).toMatchObject({behavior: 'allow'})
    expect(answer(rules, 'WebFetch', {url: 'https://example.com.evil.io/'})).toBeNull()
    expect(answer(rules, 'WebFetch', {url: 'not a url'})).toBeNull()
    expect(answer(rules, 'Task', {description: 'anything'})).toBeNull()
    expect(answer(rules, 'Bash', null)).toBeNull()
  })
  it('a rule that is not one fails at session create, naming the syntax', () => {
    expect(() => sessionRules({autoAllow: ['Bash(npm test*']})).toThrow(/not a permission rule/)
    expect(() => sessionRules({autoDeny: ['']})).toThrow(/not a permission rule/)
    expect(() => parseRule('rm -rf')).toThrow(expect.objectContaining({code: 'INVALID_INPUT', hint: expect.stringMatching(/Tool\(specifier\)/)}))
    expect(sessionRules({autoAllow: [' Bash(npm test*) ']})).toEqual({autoAllow: ['Bash(npm test*)']})
    expect(sessionRules({})).toEqual({})
  })
})

describe('the waiting PermissionRequest hook, against a real store', () => {
  let home: string | undefined
  afterEach(async () => {
    if (home) await rm(home, {recursive: true, force: true})
  })

  async function setup(sessionPatch: Record<string, unknown> = {}) {
    home = await mkdtemp(path.join(os.tmpdir(), 'ccmcp-answer-'))
    // State is encrypted at rest: the test's store and the hook's runtime share the home's key.
    const env = {CCMCP_HOME: home, HOME: home, CCMCP_KEY: Buffer.alloc(32, 7).toString('base64')}
    const store = createStateStore(home, undefined, {codec: atRest({env, home}).codec})
    await store.update((): {value: State; result: undefined} => ({
      value: {...emptyState(), sessions: [{name: 's', root: home as string, backend: 'tmux', createdAt: '', nextAgentNumber: 2, ...sessionPatch}], agents: [agent({status: 'busy', secretDigest: secretDigest('S1')})]},
      result: undefined,
    }))
    const printed: string[] = []
    let parent = true
    let clock = Date.now()
    const hook = (payload: Record<string, unknown>, deadlineInMs = 60_000) =>
      permissionHook(
        {
          run: (waiter) => createHookRuntime({env, waiter}).run,
          store,
          pid: process.pid,
          home: home as string,
          parentAlive: () => parent,
          print: (json) => printed.push(JSON.stringify(json)),
          // On the hook's own clock (now), so a deadline of 0 has passed however long the setup took.
          deadlineMs: clock + deadlineInMs,
          now: () => clock,
        },
        // The hook runs in the agent's environment, so it presents the agent's per-launch secret.
        {kind: 'agent', session: 's', agent: 'Agent_1', launchId: 'L1', secretDigest: secretDigest('S1')},
        {hook_event_name: 'PermissionRequest', tool_name: 'Write', tool_input: {file_path: path.join(home as string, 'a.txt')}, cwd: home, permission_suggestions: [{type: 'addRules'}], ...payload},
      )
    const current = async () => (await store.read()).agents[0] as Agent
    const whenWaiting = async () => {
      for (;;) {
        const found = await current()
        if (found.permissionRequest) return found
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
    }
    const setAgent = (patch: Partial<Agent>) => store.update((state) => ({value: {...state, agents: state.agents.map((one) => ({...one, ...patch}))}, result: undefined}))
    const setSession = (patch: Record<string, unknown>) => store.update((state) => ({value: {...state, sessions: state.sessions.map((one) => ({...one, ...patch}))}, result: undefined}))
    return {store, printed, hook, current, whenWaiting, setAgent, setSession, orphan: () => (parent = false), advance: (ms: number) => (clock += ms)}
  }

  it('records what it asks, waits, and prints the answer ccmcp stored (always → the suggested rules); the agent is busy again', async () => {
    const t = await setup()
    const running = t.hook({})
    const waiting = await t.whenWaiting()
    expect(waiting).toMatchObject({status: 'waiting', waitingFor: 'permission: Write(a.txt)', permissionRequest: {tool: 'Write', summary: 'Write(a.txt)', hookPid: process.pid, decision: null}})
    await t.setAgent({permissionRequest: {...(waiting.permissionRequest as NonNullable<Agent['permissionRequest']>), decision: {behavior: 'allow', always: true, message: null, by: 'operator'}}})
    expect(await running).toBe('answered')
    expect(t.printed.map((line) => JSON.parse(line))).toEqual([{hookSpecificOutput: {hookEventName: 'PermissionRequest', decision: {behavior: 'allow', updatedPermissions: [{type: 'addRules'}]}}}])
    const answered = await t.current()
    expect(answered).toMatchObject({status: 'busy', waitingFor: null, permissionRequest: null})
    // The dialog's own Notification (its hook started before the answer) is older now: it cannot bring `waiting` back.
    expect(Date.parse(answered.lastEventAt ?? '')).toBeGreaterThan(Date.parse(waiting.lastEventAt ?? ''))
    // And one that comes after the turn ended asks nothing any more.
    expect(applyHookEvent({...answered, status: 'idle'}, {hook_event_name: 'Notification', notification_type: 'permission_prompt', message: 'Claude needs your permission'})).toBeNull()
  })

  it('a person answered in the terminal (PostToolUse closes the request): returns without output', async () => {
    const t = await setup()
    const running = t.hook({})
    await t.whenWaiting()
    await t.setAgent({status: 'busy', permissionRequest: null})
    expect(await running).toBe('closed')
    expect(t.printed).toEqual([])
  })

  it('at its deadline it stops listening (hookPid null) and prints nothing; the prompt stays for the terminal', async () => {
    const t = await setup()
    const running = t.hook({}, 0)
    expect(await running).toBe('gave-up')
    expect(t.printed).toEqual([])
    expect(await t.current()).toMatchObject({status: 'waiting', permissionRequest: {hookPid: null, decision: null}})
  })

  it('Claude Code gone (its parent died): it stops listening', async () => {
    const t = await setup()
    const running = t.hook({})
    await t.whenWaiting()
    t.orphan()
    expect(await running).toBe('orphaned')
    expect((await t.current()).permissionRequest?.hookPid).toBeNull()
  })

  it('sandboxed: a call outside the root is denied at once, before any rule, never shown as waiting; unsandboxed it waits for a person', async () => {
    const t = await setup({autoAllow: ['Write(//**)']})
    const outside = path.join(path.dirname(home as string), 'elsewhere.txt')
    expect(await t.hook({tool_input: {file_path: outside}})).toBe('confined')
    const decision = JSON.parse(t.printed[0] as string).hookSpecificOutput.decision
    expect(decision).toEqual({behavior: 'deny', message: expect.stringContaining(`Denied: ${outside} is outside this agent's session root`)})
    expect(await t.current()).toMatchObject({status: 'busy', waitingFor: null, permissionRequest: null, lastAutoAnswer: {rule: 'confinement', behavior: 'deny'}})

    await t.setSession({sandbox: {enabled: false, allowRead: [], allowWrite: [], allowDomains: []}, autoAllow: undefined})
    const running = t.hook({tool_input: {file_path: outside}})
    expect((await t.whenWaiting()).waitingFor).toBe(`permission: Write(${outside})`)
    t.orphan()
    expect(await running).toBe('orphaned')
  })

  it('a session rule answers at once, never shows waiting, and is recorded', async () => {
    const t = await setup({autoAllow: ['Write(*.txt)'], autoDeny: ['Write(secret*)']})
    expect(await t.hook({})).toBe('auto')
    expect(JSON.parse(t.printed[0] as string)).toEqual({hookSpecificOutput: {hookEventName: 'PermissionRequest', decision: {behavior: 'allow'}}})
    expect(await t.current()).toMatchObject({status: 'busy', permissionRequest: null, lastAutoAnswer: {rule: 'Write(*.txt)', behavior: 'allow', summary: 'Write(a.txt)'}})
    expect(await t.hook({tool_input: {file_path: path.join(home as string, 'secret.txt')}})).toBe('auto')
    expect(JSON.parse(t.printed[1] as string).hookSpecificOutput.decision).toEqual({behavior: 'deny', message: 'Denied by the session rule Write(secret*).'})
  })
})
