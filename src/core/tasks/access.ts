/**
 * Who may act on which board, in one place (caller roles are being generalised; keep the rules
 * here). An agent works on its own session's board only; the operator (CLI, TUI, an MCP client)
 * on any board, naming the session and, for a claim, the agent it claims for.
 */
import {CcmcpError} from '../domain/errors.js'
import type {State} from '../domain/state.js'
import {hasEnded} from '../domain/status.js'
import {type Caller, describeCaller} from '../pipeline/caller.js'
import type {Task} from './board.js'

/** The session whose board the caller acts on: an agent's own (it may omit it), else the one named. */
export function boardSession(caller: Caller, session: string | undefined): string {
  if (caller.kind === 'agent') {
    if (session !== undefined && session !== caller.session) {
      throw new CcmcpError('FORBIDDEN', `${describeCaller(caller)} may not act on the tasks of session "${session}"; an agent works on its own session's board only. Nothing was changed.`, {
        reason: 'other-session',
        hint: `Leave the session out (it is "${caller.session}"), or ask the operator.`,
        details: {session, own: caller.session},
      })
    }
    return caller.session
  }
  if (session === undefined) {
    throw new CcmcpError('INVALID_INPUT', 'Which session? The session is required outside an agent.', {
      hint: {cli: 'Name it first: `ccmcp task list <session>`.', mcp: 'Pass session (the session name).'},
    })
  }
  return session
}

/** The agent a claim is for: the calling agent itself, or the one the operator names (it must exist and run). */
export function claimerFor(caller: Caller, requested: string | undefined, state: State, session: string): string {
  if (caller.kind === 'agent') {
    if (requested !== undefined && requested !== caller.agent) {
      throw new CcmcpError('FORBIDDEN', `${caller.agent} may claim tasks for itself only, not for ${requested}; nothing was changed.`, {
        reason: 'claim-for-other',
        hint: 'Leave agent out, or message that agent (or the operator) to assign it the task.',
      })
    }
    return caller.agent
  }
  if (requested === undefined) {
    throw new CcmcpError('INVALID_INPUT', 'A claim is made by an agent, and the operator is none: name the agent the task is for.', {
      hint: {
        cli: 'Add --agent <Agent_N>, or run `ccmcp task assign <session> <id> <agent>` (claims and sends the agent the task).',
        mcp: 'Pass agent (the agent that will do it), or use assign_task, which also sends the agent the task.',
      },
    })
  }
  const agent = state.agents.find((candidate) => candidate.session === session && candidate.name === requested)
  if (!agent) {
    const known = state.agents.filter((candidate) => candidate.session === session).map((candidate) => candidate.name)
    throw new CcmcpError('NOT_FOUND', `Session "${session}" has no agent named "${requested}"; nothing was changed.`, {
      hint: known.length > 0 ? `Its agents: ${known.join(', ')}.` : {cli: `Add one with \`ccmcp agent create ${session}\`.`, mcp: `Add one with create_agent (session "${session}").`},
    })
  }
  if (hasEnded(agent)) {
    throw new CcmcpError('AGENT_NOT_RUNNING', `${session}/${requested} is ${agent.status}: a claim for it would be returned at once; nothing was changed.`, {
      hint: {cli: `Restart it first (\`ccmcp agent restart ${session}/${requested}\`), or pick a running agent.`, mcp: `Restart it first (restart_agent), or pick a running agent.`},
    })
  }
  return requested
}

/** Only the holder (or the operator) may complete, release or cancel a claimed task. */
export function assertMayFinish(caller: Caller, task: Task, session: string, what: string): void {
  if (task.status !== 'claimed' || caller.kind !== 'agent' || task.claimedBy === caller.agent) return
  throw new CcmcpError('FORBIDDEN', `${task.id} is claimed by ${task.claimedBy}, so ${caller.agent} may not ${what} it; nothing was changed.`, {
    reason: 'not-holder',
    hint: `Message ${task.claimedBy} about it, or ask the operator (who may ${what} any task).`,
    details: {session, task: task.id, claimedBy: task.claimedBy},
  })
}
