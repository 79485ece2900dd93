/**
 * The prompt that starts multi-agent work in a session: it gives the model the session as it
 * is now and a plan-then-delegate procedure written in terms of this server's tools. Offered
 * only when the server's security level lets the model create and message agents.
 */
import {completable} from '@modelcontextprotocol/sdk/server/completable.js'
import type {McpServer} from '@modelcontextprotocol/sdk/server/mcp.js'
import {ErrorCode, McpError} from '@modelcontextprotocol/sdk/types.js'
import * as z from 'zod'

import {oneLine} from '../present/text.js'
import {isCleared} from '../core/pipeline/clearance.js'
import type {PublicAgent, Session} from '../core/domain/state.js'
import {toCcmcpError} from '../core/domain/errors.js'
import {operations} from '../core/pipeline/registry.js'
import {type ResourceContext, cleared} from './resources.js'
import {errorText} from './tools.js'

export const PLAN_PROMPT = 'plan_multi_agent_work'
const DEFAULT_AGENTS = 3

export function registerPrompts(mcp: McpServer, context: ResourceContext): void {
  const needed = [operations.create_agent, operations.send_message_to_agent, operations.get_session_status, operations.wait_for_agent]
  if (!needed.every((operation) => isCleared(operation, context.clearance))) return
  const run = cleared(context)
  mcp.registerPrompt(
    PLAN_PROMPT,
    {
      title: 'Plan multi-agent work',
      description: 'Split a goal into parallel tasks and hand each to its own Claude Code agent in a session, then follow them to the end.',
      argsSchema: {
        session: completable(z.string().describe('Session to work in (its codebase root is where the agents work)'), async (value) =>
          (await run('list_sessions', {}).catch(() => ({sessions: []}))).sessions.map((session) => session.name).filter((name) => name.startsWith(value)),
        ),
        goal: z.string().min(1).describe('What the agents should achieve together'),
        agents: z.string().regex(/^[1-9]\d*$/).optional().describe(`Most agents to work at once (default ${DEFAULT_AGENTS})`),
      },
    },
    async ({session, goal, agents}) => {
      const status = await run('get_session_status', {name: session}).catch((error: unknown) => {
        throw new McpError(ErrorCode.InvalidParams, errorText(toCcmcpError(error)))
      })
      const text = planText(status.session, status.agents, goal, agents ? Number(agents) : DEFAULT_AGENTS)
      return {description: `Multi-agent plan for session ${session}`, messages: [{role: 'user', content: {type: 'text', text}}]}
    },
  )
}

export function planText(session: Session, agents: PublicAgent[], goal: string, most: number): string {
  const roster =
    agents.length === 0
      ? 'It has no agents yet.'
      : `Its agents now: ${agents.map((agent) => `${agent.name} (${agent.status}${agent.lastReply ? `, last said: ${oneLine(agent.lastReply, 80)}` : ''})`).join('; ')}.`
  return [
    `You are coordinating Claude Code agents through the ccmcp tools in session "${session.name}", whose codebase root is ${session.root}. ${roster}`,
    '',
    `Goal: ${goal}`,
    '',
    'Work in this order:',
    `1. Split the goal into at most ${most} tasks that can run in parallel without editing the same files. Write the plan as a short numbered list first: task, owner, files or areas it owns, and what "done" means.`,
    `2. For each task, use an idle agent from the list above, or start one with create_agent (session "${session.name}", prompt = the task). Make every task self-contained: what to do, what it owns, what done means, and that other agents work in the same codebase at the same time.`,
    '3. Follow progress with get_session_status: busy means working, idle means the turn ended (lastReply is its answer), waiting means it needs an answer. To wait for one agent, call wait_for_agent with a short timeoutSeconds (about 45) and call again on TIMEOUT. A waiting agent\'s waitingFor says what it asks (e.g. "permission: Bash(npm test)"): answer it with answer_agent (answer "allow", or "deny" with a message saying what to do instead; "trust" at the workspace-trust dialog), never with send_message_to_agent, which only queues a new prompt for after the answer. For error agents, read_agent_screen shows why; redirect them with send_message_to_agent.',
    '4. When a task is done, check the result against its "done" criterion before moving on; give follow-up work to the agent that has the context.',
    '5. At the end, report per agent what was done and anything left open.',
    'Do not delete agents or sessions unless asked to.',
  ].join('\n')
}
