/**
 * A status change someone may want to hear about (notifications, the bell in `watch`). Decided
 * where the status is written, under the state lock, so exactly one process sees each one.
 */
import * as z from 'zod'

export const NOTIFY_KINDS = ['waiting', 'error', 'exited', 'turnFinished'] as const
export const NotifyKind = z.enum(NOTIFY_KINDS)
export type NotifyKind = z.infer<typeof NotifyKind>

export const Transition = z.object({
  /** Counts the agent's notable transitions: a view that saw seq N knows N+1 is new. */
  seq: z.number().int().min(1),
  kind: NotifyKind,
  from: z.string(),
  to: z.string(),
  reason: z.string(),
  at: z.string(),
})
export type Transition = z.infer<typeof Transition>

/** Which kind of transition `from → to` is, or null when nobody needs to hear about it. */
export function transitionKind(from: string, to: string): NotifyKind | null {
  if (from === to) return null
  if (to === 'waiting') return 'waiting'
  if (to === 'error') return 'error'
  if (to === 'exited' || to === 'lost') return from === 'exited' || from === 'lost' ? null : 'exited'
  if (to === 'idle' && (from === 'busy' || from === 'waiting')) return 'turnFinished'
  return null
}
