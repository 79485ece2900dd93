/**
 * A turn whose Stop never arrived. Claude Code drops an event whose hook is cancelled (its
 * timeout) or crashes, and a lost Stop would leave the agent `busy` for good, with every message
 * queued behind it. Hooks stay the signal: only after a long silence does ccmcp look at the
 * screen, and only a screen that shows the prompt ready with no turn running (no "esc to
 * interrupt", no dialog) ends the turn. The reply is then unknown, never an older one.
 */
import {CLAUDE_SCREEN} from './claude-screen.js'
import {detectTrustDialog} from './trust.js'
import type {Agent} from '../domain/state.js'

/** Silence after which a busy agent's screen is looked at: longer than any gap between hook events of a running turn that shows no spinner. */
export const STALLED_TURN_MS = 120_000

export const STALLED_TURN_NOTE = 'no Stop event arrived (a hook was cancelled or failed); its screen shows the turn over'

/** Whether to look at this agent's screen now. */
export function mayHaveStalled(agent: Agent, now: Date): boolean {
  if (agent.kind !== 'claude' || agent.status !== 'busy' || !agent.tab) return false
  const last = Date.parse(agent.lastEventAt ?? agent.lastPromptAt ?? '')
  return Number.isFinite(last) && now.getTime() - last >= STALLED_TURN_MS
}

/** Whether the screen shows Claude Code idle at its prompt, with no turn and no dialog. */
export function screenShowsTurnOver(screen: string): boolean {
  if (!CLAUDE_SCREEN.ready.test(screen)) return false
  return !CLAUDE_SCREEN.busy.test(screen) && !CLAUDE_SCREEN.permission.test(screen) && !detectTrustDialog(screen)
}

export const TURN_OVER_PATCH = {status: 'idle', waitingFor: null, lastReply: null} as const
