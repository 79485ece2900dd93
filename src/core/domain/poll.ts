/**
 * The one polling loop in core: asks `probe` every `intervalMs` until it answers (anything but
 * undefined) or the time is up (then undefined). A probe throws to end the wait early. Time comes
 * from the injected clock, so tests with a manual clock wait no real time.
 */
import type {Clock} from '../ports.js'

export interface PollOptions {
  timeoutMs: number
  /** Pause between probes (default 100 ms: the state file is local and cheap to read). */
  intervalMs?: number
}

export async function pollUntil<T>(clock: Clock, probe: (now: number) => Promise<T | undefined>, options: PollOptions): Promise<T | undefined> {
  const deadline = clock.now().getTime() + options.timeoutMs
  for (;;) {
    const now = clock.now().getTime()
    const answer = await probe(now)
    if (answer !== undefined) return answer
    if (now >= deadline) return undefined
    await clock.sleep(options.intervalMs ?? 100)
  }
}
