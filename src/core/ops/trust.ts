/** Trusting an existing session's root, and bringing its agents past Claude Code's trust dialog. */
import * as z from 'zod'

import {reconciledState} from '../agents/live-state.js'
import {Name, Session, publicSession} from '../domain/state.js'
import {defineOperation} from '../pipeline/operation.js'
import {findSession} from '../agents/resolve.js'
import {TRUST_WAITING_FOR, claudeConfigPath, recordTrust} from '../agents/trust.js'
import {relaunch} from './lifecycle.js'

export const trustSession = defineOperation({
  name: 'trust_session',
  callers: ['operator', 'mcp'],
  scope: (input) => ({sessions: [input.name]}),
  title: 'Trust session root',
  description:
    "Record workspace trust for exactly this session's root in Claude Code's config (~/.claude.json, a backup is kept), then restart the session's agents that stopped at the trust dialog.",
  level: 'MEDIUM',
  annotations: {readOnly: false, destructive: false, idempotent: true},
  mcp: true,
  input: z.object({name: Name.describe('Session name'), wait: z.boolean().default(true).describe('Return only once restarted agents are ready')}),
  output: z.object({
    session: Session,
    trust: z.object({file: z.string(), backup: z.string().nullable(), changed: z.boolean()}).describe("What changed in Claude Code's config"),
    restarted: z.array(Name).describe('Agents that were waiting at the trust dialog, started again past it'),
  }),
  async handler(input, {deps, progress}) {
    const state = await reconciledState(deps)
    const session = findSession(state, input.name)
    const file = claudeConfigPath(deps.launch.env, deps.ports.host.homeDir())
    const trust = {file, ...(await recordTrust(deps.ports.host, file, session.root, deps.ports.clock.now()))}
    const stuck = state.agents.filter((agent) => agent.session === session.name && agent.status === 'waiting' && agent.waitingFor === TRUST_WAITING_FOR)
    // ccmcp never answers the dialog itself: the stuck tab is closed and the agent starts anew.
    for (const agent of stuck) await relaunch(deps, agent, session, input.wait, progress)
    return {session: publicSession(session), trust, restarted: stuck.map((agent) => agent.name)}
  },
})
