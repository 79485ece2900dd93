/**
 * One read for a live view (`ccmcp watch`): every session with its agents and, optionally, the
 * last lines of one agent's screen. `live` checks statuses against the terminal with ONE list
 * call per backend in use; without it nothing but the state file is read, so a view can redraw
 * on every state change for free and pay for the terminal once per refresh interval.
 */
import * as z from 'zod'

import {reconciledState} from '../agents/live-state.js'
import {Agent, Name, Session, agentKey, publicSession} from '../domain/state.js'
import {toCcmcpError} from '../domain/errors.js'
import {defineOperation} from '../pipeline/operation.js'
import {findAgent, findSession} from '../agents/resolve.js'
import {AgentRef} from './agents.js'
import {isTabless} from '../domain/status.js'

export const ScreenRead = z.object({
  agent: z.string().describe('session/Agent_N whose screen this is'),
  text: z.string().nullable().describe('The last lines of its screen, or null when it could not be read'),
  error: z.string().nullable().describe('Why the screen could not be read'),
})
export type ScreenRead = z.infer<typeof ScreenRead>

export const getOverview = defineOperation({
  name: 'get_overview',
  scope: (input) => (input.session === undefined ? 'every-session' : {sessions: [input.session], agents: [input.screen?.agent]}),
  title: 'Get overview',
  description:
    "Every session with its agents in one read, and optionally the last lines of one agent's screen. With live (the default) statuses are checked against the terminal first.",
  level: 'LOW',
  annotations: {readOnly: true, destructive: false, idempotent: true},
  // A view's batching of list_sessions + list_agents + read_agent_screen; MCP clients have those.
  mcp: false,
  input: z.object({
    session: Name.optional().describe('Only this session'),
    live: z.boolean().default(true).describe('Check statuses against the terminal (one list call per backend); false: as last recorded, no terminal call'),
    screen: z
      .object({agent: AgentRef, lines: z.number().int().min(1).max(500).describe('How many lines, counted from the bottom')})
      .optional()
      .describe("Also read this agent's screen"),
  }),
  output: z.object({
    sessions: z.array(Session.extend({agents: z.number().int().describe('Number of agents')})),
    agents: z.array(Agent),
    screen: ScreenRead.nullable(),
  }),
  async handler(input, {deps}) {
    const state = input.live ? await reconciledState(deps) : await deps.ports.state.read()
    const records = input.session === undefined ? state.sessions : [findSession(state, input.session)]
    const names = new Set(records.map((record) => record.name))
    const agents = state.agents.filter((agent) => names.has(agent.session))
    const sessions = records.map((record) => ({...publicSession(record), agents: agents.filter((agent) => agent.session === record.name).length}))
    let screen: ScreenRead | null = null
    if (input.screen) {
      const ref = input.screen.agent
      // A screen that cannot be read is part of the answer, not a failure of the whole overview.
      try {
        const agent = findAgent(state, ref)
        if (!agent.tab || isTabless(agent)) {
          screen = {agent: agentKey(agent), text: null, error: `no tab (status: ${agent.status})`}
        } else {
          const text = await deps.ports.backend(agent.tab.backend).readScreen(agent.tab, input.screen.lines)
          screen = {agent: agentKey(agent), text, error: null}
        }
      } catch (error) {
        screen = {agent: ref, text: null, error: toCcmcpError(error).message}
      }
    }
    return {sessions, agents, screen}
  },
})
