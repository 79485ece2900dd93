/**
 * Issue 9 item 21: text an agent reported (lastReply, lastError, waitingFor, its screen, a reply
 * to --wait) never reaches the user's terminal as escape sequences, on any CLI output.
 */
import {describe, expect, it} from 'vitest'

import {oneLine, screenLines, terminalSafe} from '../../src/present/text.js'
import {fakeRuntime, runCli} from '../helpers/cli.js'
import {HOSTILE_TERMINAL_TEXT, hasTerminalControls} from '../helpers/hostile.js'
import {agent} from '../tui/fake-core.js'

const hostile = HOSTILE_TERMINAL_TEXT.join('\n')

const agents = [
  agent('Agent_1', {status: 'idle', lastReply: hostile}),
  agent('Agent_2', {status: 'error', lastError: hostile}),
  agent('Agent_3', {status: 'waiting', waitingFor: hostile}),
  agent('Agent_4', {status: 'idle', command: ['sh', '-c', hostile]}),
]

describe('present/text', () => {
  it.each(HOSTILE_TERMINAL_TEXT)('removes every control from %j, keeping the words', (text) => {
    for (const safe of [terminalSafe(text), oneLine(text), ...screenLines(text)]) expect(hasTerminalControls(safe), JSON.stringify(safe)).toBe(false)
    expect(oneLine(text)).toMatch(/^\w+/)
  })

  it('keeps lines and tabs in multi-line text, folds them in one line, and cuts long lines', () => {
    expect(terminalSafe('a\tb\r\nc')).toBe('a\tb\nc')
    expect(oneLine('a\n\tb  c')).toBe('a b c')
    expect(oneLine('x'.repeat(10), 5)).toBe('xxxx…')
  })
})

describe('CLI output of agent-reported text', () => {
  it.each([
    [['agent', 'list'], 'list_agents', {agents}],
    [['session', 'status', 'api'], 'get_session_status', {session: {name: 'api', root: '/r', backend: 'tmux', createdAt: '2026-01-01T00:00:00.000Z'}, agents}],
    [['session', 'recover', 'api'], 'recover_session', {restarted: [], adopted: [], agents}],
    [['agent', 'read', 'api/Agent_1'], 'read_agent_screen', {agent: agents[0], screen: hostile}],
    [['agent', 'send', 'api/Agent_1', 'hi', '--wait'], 'send_message_to_agent', {agent: agents[0], delivery: 'delivered', messageId: 'm', reply: hostile}],
    [['agent', 'send', 'api/Agent_3', 'hi', '--wait'], 'send_message_to_agent', {agent: agents[2], delivery: 'delivered', messageId: 'm', reply: null}],
    [['agent', 'wait', 'api/Agent_4'], 'wait_for_agent', {agent: agents[3]}],
  ])('%j prints no escape sequence', async (args, operation, answer) => {
    const fake = await fakeRuntime(() => answer)
    const result = await runCli(args, fake)
    expect(result.exitCode, result.stderr).toBe(0)
    expect(fake.calls.map((call) => call.name)).toEqual([operation])
    expect(hasTerminalControls(result.stdout), JSON.stringify(result.stdout)).toBe(false)
    expect(result.stdout).toMatch(/copied|title|clear|ZWNob|\(waiting/)
  })

  it('an error message carrying an agent screen prints no escape sequence either (--json keeps it, escaped)', async () => {
    const {CcmcpError} = await fakeRuntime()
    const failing = await fakeRuntime(() => {
      throw new CcmcpError('AGENT_START_FAILED', `The agent ended at once. Its screen:\n${hostile}`, {hint: hostile})
    })
    const human = await runCli(['agent', 'create', 'api'], failing)
    expect(human.stderr).toContain('The agent ended at once')
    expect(hasTerminalControls(human.stderr)).toBe(false)
    const json = await runCli(['agent', 'create', 'api', '--json'], failing)
    expect((json.json as {error: {message: string}}).error.message).toContain(HOSTILE_TERMINAL_TEXT[0])
    expect(hasTerminalControls(json.stdout)).toBe(false)
  })
})
