/**
 * A scripted stand-in for core, for TUI tests: records every call, answers get_overview from a
 * snapshot the test controls, answers other operations from handlers the test sets, and lets the
 * test fire a state-store change.
 */
import {Agent, type AgentStatus, type PublicAgent} from '../../src/core/domain/state.js'
import type {Overview, WatchCore} from '../../src/tui/types.js'

export interface Call {
  op: string
  input: Record<string, unknown>
}

export type Handler = (input: Record<string, unknown>) => unknown

export interface FakeCore {
  core: WatchCore
  calls: Call[]
  /** Calls of one operation, in order. */
  callsOf(op: string): Call[]
  overview: Overview
  /** Screen text per agent key, for get_overview's screen. */
  screens: Map<string, string>
  on(op: string, handler: Handler): void
  emitChange(): void
  subscribers(): number
}

export function agent(name: string, fields: Partial<Agent> = {}): Agent {
  return Agent.parse({
    session: 'api',
    name,
    kind: 'command',
    command: ['fake-agent'],
    status: 'idle',
    tab: {backend: 'tmux', sessionId: '$1', windowId: '@1', paneId: '%1'},
    conversationId: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    lastEventAt: null,
    lastError: null,
    waitingFor: null,
    lastReply: null,
    claudeVersion: null,
    launchId: null,
    ...fields,
  })
}

export function overviewOf(agents: PublicAgent[], sessionNames: string[] = [...new Set(agents.map((one) => one.session))]): Overview {
  return {
    sessions: sessionNames.map((name) => ({
      name,
      root: `/code/${name}`,
      backend: 'tmux',
      createdAt: '2026-01-01T00:00:00.000Z',
      hostError: null,
      agents: agents.filter((one) => one.session === name).length,
    })),
    agents,
    screen: null,
  }
}

export function statusesOf(...statuses: AgentStatus[]): Agent[] {
  return statuses.map((status, index) => agent(`Agent_${index + 1}`, {status}))
}

export function createFakeCore(initial: Overview): FakeCore {
  const calls: Call[] = []
  const handlers = new Map<string, Handler>()
  const listeners = new Set<() => void>()
  const fake: FakeCore = {
    calls,
    overview: initial,
    screens: new Map(),
    callsOf: (op) => calls.filter((call) => call.op === op),
    on: (op, handler) => handlers.set(op, handler),
    emitChange: () => {
      for (const listener of listeners) listener()
    },
    subscribers: () => listeners.size,
    core: {
      run: (async (op: string, input: Record<string, unknown>) => {
        calls.push({op, input})
        const handler = handlers.get(op)
        if (handler) return handler(input)
        if (op !== 'get_overview') throw new Error(`the fake core has no answer for ${op}`)
        const wanted = input.screen as {agent: string; lines: number} | undefined
        const text = wanted ? fake.screens.get(wanted.agent) : undefined
        const screen = wanted ? {agent: wanted.agent, text: text ?? null, error: text === undefined ? 'no tab' : null} : null
        return {...fake.overview, screen}
      }) as WatchCore['run'],
      onStateChange(listener) {
        listeners.add(listener)
        return () => listeners.delete(listener)
      },
    },
  }
  return fake
}
