/** What the TUI needs from core, as one injectable object (tests pass a small fake). */
import type {Core, OutputOf} from '../core/pipeline/core.js'

export interface WatchCore {
  /** Runs one operation; every user action is exactly one call. */
  run: Core['run']
  /** Calls `listener` whenever the state store changes; returns the unsubscribe. */
  onStateChange(listener: () => void): () => void
}

export type Overview = OutputOf<'get_overview'>
export type OverviewSession = Overview['sessions'][number]
export type ScreenRead = NonNullable<Overview['screen']>

export type Tone = 'info' | 'success' | 'error' | 'pending'

/** The footer's message line: the result of the last action, or what is going on. */
export interface Message {
  tone: Tone
  text: string
  /** A second line: what to do about it (an error's hint, the tmux attach command). */
  hint?: string
}
