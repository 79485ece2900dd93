/**
 * Issue 9 items 2-8 at the core level (fake terminal, real store): prompt confirmation as Claude
 * Code 2.1.330 reports it, the delivery claim as a lease (dead holders, expiry), waits that cannot
 * succeed, slash commands and progress. Deadlines run on a manual clock: milliseconds, not seconds.
 */
import {execFileSync} from 'node:child_process'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {acquire, isActive, release, renew} from '../../src/core/domain/lease.js'
import {promptMatches} from '../../src/core/delivery/prompt-match.js'
import {type Harness, createHarness, fastClock, simulateClaude} from '../helpers/core-harness.js'
import {ManualClock} from '../helpers/manual-clock.js'
import {recordHookEvent} from '../../src/core/delivery/hook-events.js'

const T0 = new Date('2026-01-01T00:00:00Z')
const at = (ms: number) => new Date(T0.getTime() + ms)
const wrapped = (text: string) => `\n\n<pasted_content id="452b">\n${text}\n</pasted_content id="452b">\n`

describe('lease', () => {
  it('one holder at a time until it expires or is released; only the holder renews or releases', () => {
    const held = acquire(null, 'a', T0, 1000)
    expect(held).toEqual({holder: 'a', until: at(1000).toISOString()})
    expect(acquire(held, 'b', at(999), 1000)).toBeNull()
    expect(isActive(held, at(999))).toBe(true)
    expect(isActive(held, at(1000))).toBe(false)
    expect(acquire(held, 'b', at(1000), 1000)).toEqual({holder: 'b', until: at(2000).toISOString()})
    expect(renew(held, 'b', at(500), 1000)).toBeNull()
    expect(renew(held, 'a', at(500), 1000)).toEqual({holder: 'a', until: at(1500).toISOString()})
    expect(renew(held, 'a', at(1000), 1000)).toBeNull()
    expect(release(held, 'b')).toBe(held)
    expect(release(held, 'a')).toBeNull()
  })
})

describe('promptMatches: what Claude Code 2.1.330 reports to UserPromptSubmit', () => {
  it.each([
    ['4+ lines, wrapped', 'l1\nl2\nl3\nl4', wrapped('l1\nl2\nl3\nl4')],
    ['a long line, wrapped', 'x'.repeat(1010), wrapped('x'.repeat(1010))],
    ['tabs pasted as spaces', 'col1\tcol2\n1\t2\n3\t4\n5\t6', wrapped('col1    col2\n1    2\n3    4\n5    6')],
    ['CRLF as LF', 'one\r\ntwo\r\nthree\r\nfour', wrapped('one\ntwo\nthree\nfour')],
    ['a short paste with a tab, unwrapped', 'a\tb', 'a    b'],
  ])('%s', (_name, sent, received) => {
    expect(promptMatches(received, sent)).toBe(true)
  })

  it('still tells different text apart', () => {
    expect(promptMatches(wrapped('l1\nl2\nl3\nl4'), 'l1\nl2\nl3\nl5')).toBe(false)
    expect(promptMatches('ab', 'a b')).toBe(false)
    expect(promptMatches(null, 'a')).toBe(false)
  })
})

let h: Harness
beforeEach(async () => {
  h = await createHarness()
  await h.core.run('create_session', {name: 's', root: h.root})
})
afterEach(async () => {
  h.deps.ports.clock = fastClock
  await h.cleanup()
})

/** Claude Code as 2.1.330 really reports a multi-line prompt: wrapped in <pasted_content>. */
function simulateWrappingClaude(): void {
  simulateClaude(h)
  const plain = h.backend.onSubmit!
  h.backend.onSubmit = (tab, line) => plain(tab, line.includes('\n') ? wrapped(line) : line)
}

describe('confirmation', () => {
  it('a wrapped multi-line prompt is delivered with one Enter, and --wait returns its reply', async () => {
    simulateWrappingClaude()
    await h.core.run('create_agent', {session: 's'})
    const sent = await h.core.run('send_message_to_agent', {agent: 'Agent_1', message: 'l1\nl2\t!\nl3\nl4', wait: true, timeoutSeconds: 10})
    expect(sent).toMatchObject({delivery: 'delivered', reply: expect.stringContaining('l4')})
    expect(h.backend.tabs[0]?.typed).toEqual([{text: '[from operator] l1\nl2\t!\nl3\nl4', submit: true}])
  })

  it('a prompt accepted as different text is never sent a second Enter', async () => {
    simulateClaude(h)
    const plain = h.backend.onSubmit!
    h.backend.onSubmit = (tab, line) => plain(tab, `${line} (as the agent saw it)`)
    await h.core.run('create_agent', {session: 's'})
    // The text also stays visible in the box, as a second Enter would want.
    const sent = await h.core.run('send_message_to_agent', {agent: 'Agent_1', message: 'hello', raw: true})
    expect(sent.delivery).toBe('delivered')
    expect(h.backend.tabs[0]?.typed).toEqual([{text: 'hello', submit: true}])
  })
})

/** A pid that existed and is gone now. */
const deadPid = () => Number(execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).toString())

describe('delivery claim', () => {
  const claim = (until: Date, by: string) =>
    h.deps.ports.state.update((state) => ({value: {...state, agents: state.agents.map((agent) => ({...agent, deliveringUntil: until.toISOString(), deliveringBy: by}))}, result: undefined}))

  it('a claim left by a sender that died (Ctrl-C, kill -9) does not hold the queue: the next send delivers', async () => {
    simulateClaude(h)
    await h.core.run('create_agent', {session: 's'})
    await claim(new Date(Date.now() + 60_000), `${deadPid()}:abc`)
    const sent = await h.core.run('send_message_to_agent', {agent: 'Agent_1', message: 'after the crash', raw: true})
    expect(sent.delivery).toBe('delivered')
    expect(sent.agent.deliveringUntil).toBeNull()
  })

  it('a live holder makes the message wait in the queue; releasing the claim delivers it', async () => {
    simulateClaude(h)
    await h.core.run('create_agent', {session: 's'})
    await claim(new Date(Date.now() + 60_000), `${process.pid}:other-sender`)
    const sent = await h.core.run('send_message_to_agent', {agent: 'Agent_1', message: 'behind', raw: true})
    expect(sent.delivery).toBe('queued')
  })

  it('a program agent that reports nothing waits for the claim instead of typing into another message', async () => {
    await h.core.run('create_agent', {session: 's', command: 'sh'})
    const clock = new ManualClock(Date.now())
    h.deps.ports.clock = clock
    await claim(new Date(clock.now().getTime() + 30_000), `${process.pid}:other-sender`)
    const pending = h.core.run('send_message_to_agent', {agent: 'Agent_1', message: 'echo two'})
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(h.backend.tabs[0]?.typed).toEqual([])
    expect(await clock.runUntil(pending, {stepMs: 5000})).toMatchObject({delivery: 'sent'})
    expect(h.backend.tabs[0]?.typed).toEqual([{text: 'echo two', submit: true}])
  })
})

describe('waits that cannot succeed end at once', () => {
  const setAgent = (patch: Record<string, unknown>) =>
    h.deps.ports.state.update((state) => ({value: {...state, agents: state.agents.map((agent) => ({...agent, ...patch}))}, result: undefined}))

  it('send --wait whose turn stops for a permission → AGENT_WAITING (exit 15) with what it waits for, not the previous reply', async () => {
    simulateClaude(h)
    await h.core.run('create_agent', {session: 's'})
    await h.core.run('send_message_to_agent', {agent: 'Agent_1', message: 'first', raw: true, wait: true, timeoutSeconds: 10})
    // This turn stops at a permission dialog instead of ending.
    h.backend.onSubmit = (_tab, line) => void setAgent({status: 'busy', lastPrompt: line, lastPromptAt: new Date().toISOString()}).then(() => setAgent({status: 'waiting', waitingFor: 'permission: Bash'}))
    const error = await h.core.run('send_message_to_agent', {agent: 'Agent_1', message: 'second', raw: true, wait: true, timeoutSeconds: 30}).catch((failure) => failure)
    expect(error).toMatchObject({code: 'AGENT_WAITING', exitCode: 15, message: expect.stringContaining('permission: Bash'), details: {waitingFor: 'permission: Bash'}})
  })

  it.each([
    ['waiting', {status: 'waiting', waitingFor: 'permission: Bash'}, 'AGENT_WAITING'],
    ['error', {status: 'error', lastError: 'server_error'}, 'AGENT_ERROR'],
    ['exited', {status: 'exited'}, 'AGENT_NOT_RUNNING'],
  ])('wait --until idle on an agent that is %s returns at once with its status', async (_name, patch, code) => {
    simulateClaude(h)
    await h.core.run('create_agent', {session: 's'})
    await setAgent(patch)
    const clock = new ManualClock(Date.now())
    h.deps.ports.clock = clock
    const error = await clock.runUntil(h.core.run('wait_for_agent', {agent: 'Agent_1', until: 'idle', timeoutSeconds: 600}), {maxMs: 1000}).catch((failure) => failure)
    expect(error).toMatchObject({code, details: {agent: expect.objectContaining({status: patch.status})}})
  })

  it('a lost agent (its tab vanished) ends wait --until idle at once', async () => {
    simulateClaude(h)
    await h.core.run('create_agent', {session: 's'})
    h.backend.tabs.splice(0)
    const clock = new ManualClock(Date.now())
    h.deps.ports.clock = clock
    await expect(clock.runUntil(h.core.run('wait_for_agent', {agent: 'Agent_1', until: 'idle', timeoutSeconds: 600}), {maxMs: 1000})).rejects.toMatchObject({code: 'AGENT_NOT_RUNNING', message: expect.stringContaining('lost')})
  })

  it('send --wait to a program that reports nothing is refused before anything is typed, once its first seconds passed', async () => {
    await h.core.run('create_agent', {session: 's', command: 'sh'})
    const clock = new ManualClock(Date.now())
    h.deps.ports.clock = clock
    await expect(clock.runUntil(h.core.run('send_message_to_agent', {agent: 'Agent_1', message: 'ls', wait: true}), {stepMs: 500})).rejects.toMatchObject({code: 'INVALID_INPUT', message: expect.stringContaining('reports nothing')})
    await expect(clock.runUntil(h.core.run('wait_for_agent', {agent: 'Agent_1', until: 'idle'}), {stepMs: 500})).rejects.toMatchObject({code: 'INVALID_INPUT'})
    expect(h.backend.tabs[0]?.typed).toEqual([])
  })

  it('a program that sends its first hook event moments after create can be waited for (no refusal race)', async () => {
    await h.core.run('create_agent', {session: 's', command: 'node fake-agent.mjs'})
    const clock = new ManualClock(Date.now())
    h.deps.ports.clock = clock
    const waiting = h.core.run('wait_for_agent', {agent: 'Agent_1', until: 'idle', timeoutSeconds: 60})
    // Two seconds after create, still inside its first five, the program reports.
    while (clock.sleeping === 0) await new Promise((resolve) => setTimeout(resolve, 5))
    clock.advance(2000)
    await recordHookEvent({store: h.deps.ports.state, host: h.deps.ports.host, eventsDir: h.deps.settings.paths.eventsDir, session: 's', agent: 'Agent_1', launchId: null, now: clock.now()}, {hook_event_name: 'SessionStart'})
    expect(await clock.runUntil(waiting, {stepMs: 100})).toMatchObject({agent: {status: 'idle'}})
  })
})

describe('slash commands', () => {
  it.each(['/clear', '/compact keep the API notes', '/cost', '/exit'])('%s goes without a header, expects no UserPromptSubmit, and is reported sent', async (command) => {
    simulateClaude(h)
    await h.core.run('create_agent', {session: 's'})
    h.backend.onSubmit = null // Claude Code fires no UserPromptSubmit for a command
    const clock = new ManualClock(Date.now())
    h.deps.ports.clock = clock
    const sent = await clock.runUntil(h.core.run('send_message_to_agent', {agent: 'Agent_1', message: command, wait: true}), {maxMs: 1000})
    expect(sent).toMatchObject({delivery: 'sent', reply: null})
    expect(h.backend.tabs[0]?.typed).toEqual([{text: command, submit: true}])
  })

  it('a path or a sentence starting with a slash is still a message', async () => {
    simulateClaude(h)
    await h.core.run('create_agent', {session: 's'})
    expect((await h.core.run('send_message_to_agent', {agent: 'Agent_1', message: '/etc/hosts is wrong'})).agent.lastPrompt).toBe('[from operator] /etc/hosts is wrong')
  })
})

describe('progress', () => {
  it('a long wait reports status and time in it at least every 10 s', async () => {
    simulateClaude(h)
    await h.core.run('create_agent', {session: 's'})
    await h.deps.ports.state.update((state) => ({value: {...state, agents: state.agents.map((agent) => ({...agent, status: 'busy' as const}))}, result: undefined}))
    const clock = new ManualClock(Date.now())
    h.deps.ports.clock = clock
    const messages: Array<{at: number; message: string}> = []
    const started = clock.now().getTime()
    const waited = h.core.run('wait_for_agent', {agent: 'Agent_1', until: 'idle', timeoutSeconds: 60}, {progress: (message) => messages.push({at: clock.now().getTime() - started, message})})
    await expect(clock.runUntil(waited)).rejects.toMatchObject({code: 'TIMEOUT'})
    expect(messages.length).toBeGreaterThanOrEqual(6)
    const gaps = messages.map((entry, index) => entry.at - (messages[index - 1]?.at ?? 0))
    expect(Math.max(...gaps)).toBeLessThanOrEqual(10_000)
    expect(messages[1]?.message).toMatch(/^s\/Agent_1 busy for \d+ s; waiting to reach idle \(\d+ s of 60 s\)$/)
  })
})
