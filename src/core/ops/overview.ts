/**
 * One read for a live view (`ccmcp watch`): every session with its agents and, optionally, the
 * last lines of one agent's screen. `live` checks statuses against the terminal with ONE list
 * call per backend in use; without it nothing but the state file is read, so a view can redraw
 * on every state change for free and pay for the terminal once per refresh interval.
 */
import * as z from 'zod'

import {reconciledState} from '../agents/live-state.js'
import {Name, agentKey} from '../domain/state.js'
import {lastSeenAgents, remoteAgents, runOnHost} from '../remote/forward.js'
import {ListedSession, listedSession} from './sessions.js'
import {toCcmcpError} from '../domain/errors.js'
import {defineOperation} from '../pipeline/operation.js'
import {findAgent, findSession} from '../agents/resolve.js'
import {AgentRef} from './agents.js'
import {isTabless} from '../domain/status.js'
import {AgentView, agentViews} from '../agents/agent-view.js'
import {SessionBoard, boardViews} from '../tasks/board-view.js'

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
    tasks: z.boolean().default(false).describe("Also each session's task board, a line's worth per task (no board is written)"),
  }),
  output: z.object({
    sessions: z.array(ListedSession),
    agents: z.array(AgentView),
    screen: ScreenRead.nullable(),
    boards: z.array(SessionBoard).optional().describe('With tasks: the task board of each session'),
  }),
  async handler(input, {deps}) {
    const state = input.live ? await reconciledState(deps) : await deps.ports.state.read()
    const records = input.session === undefined ? state.sessions : [findSession(state, input.session)]
    const names = new Set(records.map((record) => record.name))
    // Tokens from the transcripts (incremental, cheap); no git here: a view redraws on every change.
    // Remote hosts are asked on live reads only, one call per host; a host that does not answer names why.
    // Other reads show each host's agents as last seen, so a redraw never drops them.
    const remote = input.live ? await remoteAgents(deps, records) : await lastSeenAgents(deps, records)
    const agents = [...(await agentViews(deps, state, state.agents.filter((agent) => names.has(agent.session)), {git: false})), ...remote.agents]
    const sessions = records.map((record) => listedSession(record, agents, remote.unreachable))
    let screen: ScreenRead | null = null
    if (input.screen) {
      const ref = input.screen.agent
      // A screen that cannot be read is part of the answer, not a failure of the whole overview.
      try {
        // An agent of another host: its screen is read there (one ssh call).
        const there = await runOnHost(deps, 'read_agent_screen', {agent: ref, lines: input.screen.lines})
        if (there) return {sessions, agents, screen: {agent: ref, text: (there.output as {screen: string}).screen, error: null}}
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
    return {sessions, agents, screen, ...(input.tasks ? {boards: await boardViews(deps, state, records)} : {})}
  },
})
