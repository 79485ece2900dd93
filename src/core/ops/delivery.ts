/** Typing a message into an agent's tab and submitting it. */
import * as z from 'zod'

import {waitForAgent} from '../agent-tabs.js'
import {type Agent, agentKey} from '../domain.js'
import {CcmcpError} from '../errors.js'
import type {CoreDeps} from '../registry.js'

export const Delivery = z.enum(['sent', 'delivered', 'queued', 'failed'])
export type Delivery = z.infer<typeof Delivery>

const NOT_RUNNING = new Set(['closed', 'lost', 'exited'])
const READY_TIMEOUT_MS = 30_000

export async function deliverMessage(deps: CoreDeps, agent: Agent, text: string): Promise<{agent: Agent; delivery: Delivery}> {
  if (!agent.tab || NOT_RUNNING.has(agent.status)) {
    throw new CcmcpError('AGENT_NOT_RUNNING', `${agentKey(agent)} is ${agent.status}; nothing was sent.`, {
      hint: `Start it again with \`ccmcp agent new-conversation ${agentKey(agent)}\`, then send.`,
    })
  }
  let target = agent
  if (agent.kind === 'claude' && agent.status === 'starting') {
    // Keys typed before Claude Code's prompt is up keep the text but lose the Enter.
    const ready = await waitForAgent(deps, agentKey(agent), (current) => current.status !== 'starting', READY_TIMEOUT_MS)
    if (!ready || ready.status === 'starting') {
      throw new CcmcpError('AGENT_START_FAILED', `${agentKey(agent)} did not become ready within ${READY_TIMEOUT_MS / 1000} s; nothing was sent.`, {
        hint: `Look at its screen with \`ccmcp agent read ${agentKey(agent)}\`.`,
      })
    }
    target = ready
  }
  if (!target.tab) throw new CcmcpError('AGENT_NOT_RUNNING', `${agentKey(target)} has no tab; nothing was sent.`)
  await deps.backend(target.tab.backend).sendText(target.tab, text, {submit: true})
  return {agent: target, delivery: 'sent'}
}
