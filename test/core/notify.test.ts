/**
 * Issue 14 item 3 in-process: which status changes are notable, that they are stamped once per
 * write (only the write that made them), what runs for them (argv only: user text never inside
 * the AppleScript), the config keys, and the bell in watch.
 */
import {mkdtemp, rm} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'

import {createStateStore} from '../../src/core/adapters/stores.js'
import {Config, parseConfigValue} from '../../src/core/domain/config.js'
import {Agent, type State, emptyState} from '../../src/core/domain/state.js'
import {transitionKind} from '../../src/core/domain/transition.js'
import {type AgentTransition, stampTransitions, withTransitions} from '../../src/core/notify/transitions.js'
import {notifyRuns} from '../../src/core/notify/sinks.js'
import {createBellTracker} from '../../src/core/notify/bell.js'

const agent = (patch: Partial<Agent> = {}): Agent =>
  Agent.parse({
    session: 's', name: 'Agent_1', kind: 'claude', command: ['claude'], status: 'idle', tab: null,
    conversationId: null, createdAt: '2026-01-01T00:00:00.000Z', lastEventAt: null, lastError: null, launchId: 'L1', ...patch,
  })
const stateOf = (...agents: Agent[]): State => ({...emptyState(), agents})
const config = (patch: Record<string, unknown> = {}) => Config.parse(patch)

describe('notable transitions', () => {
  it('into waiting, error, exited/lost, and idle after busy (turn finished); nothing else', () => {
    expect(transitionKind('busy', 'waiting')).toBe('waiting')
    expect(transitionKind('starting', 'waiting')).toBe('waiting')
    expect(transitionKind('busy', 'error')).toBe('error')
    expect(transitionKind('idle', 'exited')).toBe('exited')
    expect(transitionKind('busy', 'lost')).toBe('exited')
    expect(transitionKind('exited', 'lost')).toBeNull()
    expect(transitionKind('busy', 'idle')).toBe('turnFinished')
    expect(transitionKind('waiting', 'idle')).toBe('turnFinished')
    expect(transitionKind('starting', 'idle')).toBeNull()
    expect(transitionKind('idle', 'busy')).toBeNull()
    expect(transitionKind('waiting', 'waiting')).toBeNull()
  })

  it('stamped on the agent with a growing seq; new agents and unchanged states are left alone', () => {
    const before = stateOf(agent({status: 'busy'}), agent({name: 'Agent_2', status: 'idle'}))
    const after = stateOf(agent({status: 'waiting', waitingFor: 'permission: Bash(ls)'}), agent({name: 'Agent_2', status: 'idle'}), agent({name: 'Agent_3', status: 'error'}))
    const {state, transitions} = stampTransitions(before, after, 'T')
    expect(transitions.map((change) => change.transition)).toEqual([{seq: 1, kind: 'waiting', from: 'busy', to: 'waiting', reason: 'permission: Bash(ls)', at: 'T'}])
    expect(state.agents[0]?.lastTransition?.seq).toBe(1)
    expect(state.agents[2]?.lastTransition).toBeNull()
    const again = stampTransitions(state, stateOf(...state.agents.with(0, {...(state.agents[0] as Agent), status: 'busy'})), 'U')
    expect(again.transitions).toEqual([])
    const next = stampTransitions(again.state, stateOf(...again.state.agents.with(0, {...(again.state.agents[0] as Agent), status: 'idle'})), 'V')
    expect(next.transitions[0]?.transition).toMatchObject({seq: 2, kind: 'turnFinished'})
    expect(stampTransitions(before, before, 'W')).toEqual({state: before, transitions: []})
  })

  it('a write that went through several states (a fold of hook events) reports each step, in order', () => {
    const before = stateOf(agent({status: 'busy'}))
    const through = [stateOf(agent({status: 'error', lastError: 'rate_limit'})), stateOf(agent({status: 'busy'}))]
    const after = stateOf(agent({status: 'idle'}))
    const {state, transitions} = stampTransitions(before, after, 'T', through)
    expect(transitions.map((change) => change.transition)).toEqual([
      {seq: 1, kind: 'error', from: 'busy', to: 'error', reason: 'rate_limit', at: 'T'},
      {seq: 2, kind: 'turnFinished', from: 'busy', to: 'idle', reason: 'turn finished', at: 'T'},
    ])
    expect(state.agents[0]?.lastTransition).toMatchObject({seq: 2, kind: 'turnFinished'})
    // Without the steps, the same write reads as busy → idle only.
    expect(stampTransitions(before, after, 'T').transitions.map((change) => change.transition.kind)).toEqual(['turnFinished'])
  })

  let home: string | undefined
  afterEach(async () => {
    if (home) await rm(home, {recursive: true, force: true})
  })
  it('through the store: only the write that made the change reports it, even when two writers race', async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'ccmcp-notify-'))
    const heard: AgentTransition[] = []
    const first = withTransitions(createStateStore(home), (changes) => void heard.push(...changes))
    const second = withTransitions(createStateStore(home), (changes) => void heard.push(...changes))
    await first.update(() => ({value: stateOf(agent({status: 'busy'})), result: undefined}))
    const toError = (state: State) => ({value: {...state, agents: state.agents.map((one) => ({...one, status: 'error' as const, lastError: 'boom'}))}, result: undefined})
    await Promise.all([first.update(toError), second.update(toError), first.update(toError), second.update(toError)])
    expect(heard.map((change) => change.transition)).toEqual([expect.objectContaining({seq: 1, kind: 'error', from: 'busy', to: 'error', reason: 'boom'})])
    expect((await first.read()).agents[0]?.lastTransition?.seq).toBe(1)
  })
})

describe('what runs for a transition', () => {
  const hostile = 'x" & do shell script "touch /tmp/pwned" & "\u001b[31m'
  const change: AgentTransition = {
    agent: agent({status: 'waiting', waitingFor: `permission: Bash(${hostile})`}),
    transition: {seq: 1, kind: 'waiting', from: 'busy', to: 'waiting', reason: `permission: Bash(${hostile})`, at: 'T'},
  }
  const mac = {platform: 'darwin', hasNotifySend: () => false}
  const linux = (present: boolean) => ({platform: 'linux', hasNotifySend: () => present})

  it('macOS: a fixed AppleScript that reads its arguments; the text only ever as argv', () => {
    const [run] = notifyRuns(config({notifyDesktop: true}), change, mac)
    expect(run?.argv.slice(0, 7)).toEqual(['osascript', '-e', 'on run argv', '-e', 'display notification (item 2 of argv) with title (item 1 of argv)', '-e', 'end run'])
    expect(run?.argv).toHaveLength(9)
    expect(run?.argv.slice(1, 7).join(' ')).not.toContain('pwned')
    expect(run?.argv[7]).toBe('ccmcp: s/Agent_1 needs you')
    expect(run?.argv[8]).toContain('touch /tmp/pwned')
    expect(run?.argv[8]).not.toContain('\u001b')
  })

  it('Linux: notify-send when installed (after --), nothing when not; desktop off by default', () => {
    expect(notifyRuns(config({notifyDesktop: true}), change, linux(true))[0]?.argv.slice(0, 3)).toEqual(['notify-send', '--app-name=ccmcp', '--'])
    expect(notifyRuns(config({notifyDesktop: true}), change, linux(false))).toEqual([])
    expect(notifyRuns(config(), change, linux(true))).toEqual([])
  })

  it('notifyCommand: its argv as given, the CCMCP_* variables; kinds switched off run nothing', () => {
    const runs = notifyRuns(config({notifyCommand: ['/bin/notify', '--x']}), change, linux(false))
    expect(runs).toEqual([{argv: ['/bin/notify', '--x'], env: {CCMCP_SESSION: 's', CCMCP_AGENT: 'Agent_1', CCMCP_OLD_STATUS: 'busy', CCMCP_NEW_STATUS: 'waiting', CCMCP_REASON: change.transition.reason, CCMCP_NOTIFY_KIND: 'waiting'}}])
    expect(notifyRuns(config({notifyCommand: ['/bin/notify'], notifyWaiting: false}), change, linux(false))).toEqual([])
    const finished = {...change, transition: {...change.transition, kind: 'turnFinished' as const}}
    expect(notifyRuns(config({notifyCommand: ['/bin/notify']}), finished, linux(false))).toEqual([])
    expect(notifyRuns(config({notifyCommand: ['/bin/notify'], notifyTurnFinished: true}), finished, linux(false))).toHaveLength(1)
  })

  it('config set takes notifyCommand as a JSON argv array, and says so when it is not one', () => {
    expect(parseConfigValue('notifyCommand', '["/usr/bin/say", "agent needs you"]')).toEqual({key: 'notifyCommand', value: ['/usr/bin/say', 'agent needs you']})
    expect(() => parseConfigValue('notifyCommand', 'say hello')).toThrow(/Invalid value for notifyCommand/)
    expect(() => parseConfigValue('notifyCommand', '[]')).toThrow(/Invalid value for notifyCommand/)
    expect(() => parseConfigValue('notifyCommand', '["a", 1]')).toThrow(/Invalid value for notifyCommand/)
    expect(parseConfigValue('notifyDesktop', 'true')).toEqual({key: 'notifyDesktop', value: true})
  })
})

describe('the bell in watch', () => {
  it('rings for a newer transition of a kind that is on; never for what was there when watch started', () => {
    const bell = createBellTracker()
    const stamped = (seq: number, kind: 'waiting' | 'turnFinished') => agent({lastTransition: {seq, kind, from: 'busy', to: 'x', reason: '', at: ''}})
    expect(bell([stamped(1, 'waiting')], config())).toBe(false)
    expect(bell([stamped(1, 'waiting')], config())).toBe(false)
    expect(bell([stamped(2, 'waiting')], config())).toBe(true)
    expect(bell([stamped(3, 'turnFinished')], config())).toBe(false)
    expect(bell([stamped(4, 'waiting')], config({notifyBell: false}))).toBe(false)
  })
})
