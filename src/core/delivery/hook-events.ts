/**
 * Claude Code hook events → agent status. Status comes from what the agent reports, never from
 * its screen. `applyHookEvent` is pure; `recordHookEvent` appends to the agent's event log and
 * updates the store. Any program can report the same way (the test fixture does).
 */
import path from 'node:path'

import {claimHeld} from './delivery-claim.js'
import type {Agent, State} from '../domain/state.js'
import type {Host, LineCodec, Store} from '../ports.js'
import {RESUMED_BY_TOOL_USE, isReady} from '../domain/status.js'
import {summarize, toolName, waitingForPermission} from '../answer/request.js'

export interface HookPayload {
  hook_event_name?: string
  session_id?: string
  source?: string
  reason?: string
  prompt?: string
  last_assistant_message?: string
  error?: string
  message?: string
  notification_type?: string
  tool_name?: string
  /** The turn the event belongs to (Claude Code ≥ 2.1 sets it on every event of a turn). */
  prompt_id?: string
  [key: string]: unknown
}

type AgentPatch = Partial<Pick<Agent, 'status' | 'lastError' | 'waitingFor' | 'lastReply' | 'conversationId' | 'lastEventAt' | 'lastPrompt' | 'lastPromptAt'>>

/**
 * SessionEnd reasons that mean the agent ended itself. "other" is what Claude Code reports when its
 * terminal is killed (tmux server gone): that agent is lost, not exited, and recovery must see it.
 */
const SELF_ENDED = new Set(['prompt_input_exit', 'logout', 'bypass_permissions_disabled'])

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const WAITING_NOTIFICATIONS = new Set(['permission_prompt', 'elicitation_dialog', 'agent_needs_input'])

/** The status change one event means for the agent, or null when it changes nothing. */
export function applyHookEvent(agent: Agent, event: HookPayload, at = new Date().toISOString()): AgentPatch | null {
  if (agent.status === 'closed') return null
  switch (event.hook_event_name) {
    case 'SessionStart': {
      const patch: AgentPatch = {status: 'idle', lastError: null, waitingFor: null}
      // /clear starts a new conversation id; recovery must resume that one.
      if (agent.kind === 'claude' && event.session_id && UUID.test(event.session_id)) patch.conversationId = event.session_id
      return patch
    }
    case 'UserPromptSubmit':
      return {status: 'busy', waitingFor: null, lastError: null, lastPrompt: typeof event.prompt === 'string' ? event.prompt : null, lastPromptAt: at}
    case 'PreToolUse':
    case 'PostToolUse':
      return RESUMED_BY_TOOL_USE.has(agent.status) && !tailOfEndedTurn(agent, event) ? {status: 'busy', waitingFor: null} : null
    case 'Stop':
      return {status: 'idle', waitingFor: null, lastReply: event.last_assistant_message ?? agent.lastReply}
    case 'StopFailure':
      return {status: 'error', waitingFor: null, lastError: [event.error, event.last_assistant_message].filter(Boolean).join(': ') || 'turn failed'}
    case 'PermissionRequest':
      return {status: 'waiting', waitingFor: waitingForPermission(summarize(toolName(event.tool_name), event.tool_input, typeof event.cwd === 'string' ? event.cwd : undefined))}
    case 'Notification':
      // Only mid-turn: a prompt's notification that comes after the turn ended asks nothing any more.
      if (event.notification_type && WAITING_NOTIFICATIONS.has(event.notification_type) && (agent.status === 'busy' || agent.status === 'waiting')) {
        return {status: 'waiting', waitingFor: agent.waitingFor ?? event.message ?? event.notification_type}
      }
      return null
    case 'SessionEnd':
      // After /clear a SessionStart follows at once; after "other" reconciliation decides.
      return event.reason && SELF_ENDED.has(event.reason) ? {status: 'exited', waitingFor: null} : null
    default:
      return null
  }
}

/** What an event that arrives after a newer one may still change: only the prompt it carried, if that is the newest. */
function latePatch(agent: Agent, event: HookPayload, at: string): AgentPatch | null {
  if (agent.status === 'closed' || event.hook_event_name !== 'UserPromptSubmit') return null
  if (agent.lastPromptAt !== null && agent.lastPromptAt >= at) return null
  return {lastPrompt: typeof event.prompt === 'string' ? event.prompt : null, lastPromptAt: at}
}

export interface HookContext {
  store: Store<State>
  /** Where the agent's event log is written. */
  host: Pick<Host, 'mkdir' | 'append' | 'processAlive'>
  eventsDir: string
  /** How a line of the event log is kept (encrypted by the runtimes; plain JSON when not given). */
  lines?: LineCodec
  session: string
  agent: string
  /** CCMCP_LAUNCH_ID of the process that sent the event. */
  launchId: string | null
  /** When the event happened: for a hook, when its process started (events are ordered by it). */
  now: Date
  /** A PermissionRequest hook that waits for an answer: its request id and process. */
  waiter?: {requestId: string; pid: number}
}

export function eventLogPath(eventsDir: string, session: string, agent: string): string {
  return path.join(eventsDir, session, `${agent}.jsonl`)
}

export interface Recorded {
  /** The agent's new status, or null when the event changed nothing or was ignored. */
  status: string | null
  /** The agent is ready and has queued messages: someone should deliver the next one. */
  flush: boolean
}

/** Records one event for the agent; an event for an agent that no longer exists is dropped. */
export async function recordHookEvent(context: HookContext, event: HookPayload): Promise<Recorded> {
  const at = context.now.toISOString()
  const {known, recorded} = await context.store.update((state) => {
    const index = state.agents.findIndex((agent) => agent.session === context.session && agent.name === context.agent)
    const agent = state.agents[index]
    if (!agent) return {value: state, result: {known: false, recorded: {status: null, flush: false}}}
    // An event from an earlier launch (a tab being closed) must not change the new one.
    if (agent.launchId && context.launchId && agent.launchId !== context.launchId) return {value: state, result: {known: true, recorded: {status: null, flush: false}}}
    const transcriptPath = typeof event.transcript_path === 'string' && event.transcript_path ? event.transcript_path : agent.transcriptPath
    // Async hooks finish in any order; `at` is when the hook process started. An event older than
    // one already applied must not move the status back (a late UserPromptSubmit after its Stop);
    // it still counts as the prompt the agent accepted, which delivery confirmation looks for.
    const older = agent.lastEventAt !== null && at < agent.lastEventAt && !askedAfterNotification(agent, event) && !askedAfterItsPreToolUse(agent, event) && !endsItsTurn(agent, event)
    const ended = submitsAnEndedTurn(agent, event)
    const late = older || ended
    const patch = late ? latePatch(agent, event, at) : applyHookEvent(agent, event, at)
    const newest = (agent.lastEventAt !== null && agent.lastEventAt > at) || ended
    const updated: Agent = {
      ...agent,
      ...(patch ?? {}),
      transcriptPath,
      lastEventAt: newest ? agent.lastEventAt : at,
      lastEvent: newest ? agent.lastEvent : (event.hook_event_name ?? null),
      lastEventPromptId: newest ? agent.lastEventPromptId : promptOf(event),
    }
    // The open permission request is this one (a waiting hook) until the agent leaves `waiting`.
    if (!late && event.hook_event_name === 'PermissionRequest') updated.permissionRequest = permissionRequestOf(updated, event, context, at)
    else if (updated.status !== 'waiting') updated.permissionRequest = null
    const agents = state.agents.with(index, updated)
    const ready = isReady(updated)
    const claimed = claimHeld(updated, context.now, context.host.processAlive)
    return {value: {...state, agents}, result: {known: true, recorded: {status: patch && !late ? updated.status : null, flush: !late && ready && !claimed && updated.queue.length > 0}}}
  })
  // After the state: a deleted agent's SessionEnd (its tab being closed) must not recreate its log.
  if (known) {
    const logFile = eventLogPath(context.eventsDir, context.session, context.agent)
    await context.host.mkdir(path.dirname(logFile), {mode: 0o700})
    const record = {at, launchId: context.launchId, ...event}
    const line = context.lines ? await context.lines.encodeLine(record, logFile) : JSON.stringify(record)
    await context.host.append(logFile, `${line}\n`, {mode: 0o600})
  }
  return recorded
}

/**
 * A PermissionRequest recorded after the dialog's own Notification, whose hook started later but
 * finished first (the waiting hook reads the state before it records; on a loaded machine that
 * can outlast the ~6 s until the Notification): it is not stale. Only that notification came
 * between (the agent waits, no request is open), so it still opens the request and says what it
 * asks; dropping it left the generic "Claude needs your permission" and a hook with nothing to wait on.
 */
function askedAfterNotification(agent: Agent, event: HookPayload): boolean {
  return event.hook_event_name === 'PermissionRequest' && agent.status === 'waiting' && !agent.permissionRequest
}

/**
 * A PermissionRequest whose blocking hook started before the same tool call's async PreToolUse
 * hook but recorded after it (measured with Claude Code 2.1.330 on an idle machine, 1 run in 3):
 * the PreToolUse answered nothing, so the request is not stale. Dropping it left the waiting hook
 * with nothing to wait on; it returned no decision and Claude Code denied the call.
 */
function askedAfterItsPreToolUse(agent: Agent, event: HookPayload): boolean {
  return event.hook_event_name === 'PermissionRequest' && agent.lastEvent === 'PreToolUse' && agent.status === 'busy' && !agent.permissionRequest && sameTurn(agent, event, true)
}

/**
 * Hook processes that Claude Code starts within milliseconds of each other can take their start
 * times in either order on a loaded machine, so a turn's Stop can look older than its own last
 * PostToolUse (or, with a fast model, its UserPromptSubmit). Nothing of a turn comes after its
 * Stop: that Stop is not stale, and a tool event of a turn that has ended does not make the agent
 * busy again. Told apart by prompt_id; without one, time order decides as before.
 */
function endsItsTurn(agent: Agent, event: HookPayload): boolean {
  const ends = event.hook_event_name === 'Stop' || event.hook_event_name === 'StopFailure'
  return ends && agent.lastEvent !== 'Stop' && agent.lastEvent !== 'StopFailure' && sameTurn(agent, event, false)
}

/**
 * The UserPromptSubmit of a turn whose Stop is already applied: with a fast model both hook
 * processes start within milliseconds, and the Stop's can take the earlier start time (a fold then
 * applies it first). Nothing of a turn comes after its Stop, so the prompt counts as accepted and
 * the agent stays idle; applied as new it left the agent busy until the stalled-turn check, 2 min.
 */
function submitsAnEndedTurn(agent: Agent, event: HookPayload): boolean {
  return event.hook_event_name === 'UserPromptSubmit' && (agent.lastEvent === 'Stop' || agent.lastEvent === 'StopFailure') && sameTurn(agent, event, false)
}

function tailOfEndedTurn(agent: Agent, event: HookPayload): boolean {
  return agent.status === 'idle' && sameTurn(agent, event, false)
}

/** The event belongs to the turn of the newest event applied (unknown: `unknown`). */
function sameTurn(agent: Agent, event: HookPayload, unknown: boolean): boolean {
  const prompt = promptOf(event)
  if (prompt === null || agent.lastEventPromptId === null) return unknown
  return prompt === agent.lastEventPromptId
}

function promptOf(event: HookPayload): string | null {
  return typeof event.prompt_id === 'string' && event.prompt_id !== '' ? event.prompt_id : null
}

function permissionRequestOf(agent: Agent, event: HookPayload, context: HookContext, at: string): Agent['permissionRequest'] {
  if (!context.waiter) return null
  const summary = (agent.waitingFor ?? '').replace(/^permission: /u, '')
  return {id: context.waiter.requestId, tool: toolName(event.tool_name), summary, askedAt: at, hookPid: context.waiter.pid, decision: null}
}
