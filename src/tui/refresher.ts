/**
 * When the view asks core for fresh data, without busy polling: a live read (statuses checked
 * against the terminal) once per interval, a cheap read (state file only) when the state store
 * changes, a screen read when the selection moves. Requests that arrive while one is running are
 * merged into one follow-up, so a burst of changes costs at most two reads.
 */

export type RefreshKind = 'live' | 'state' | 'screen'

export interface RefreshRequest {
  /** Check statuses against the terminal (one backend list call). */
  live: boolean
  /** Also read the selected agent's screen. */
  screen: boolean
}

export interface Refresher {
  request(kind: RefreshKind): void
  /** Starts the interval: at once with a live read, or (when the view already has fresh data) after one interval. */
  start(options: {immediate: boolean}): void
  stop(): void
}

export function createRefresher(intervalMs: number, fetch: (request: RefreshRequest) => Promise<void>): Refresher {
  let pending: RefreshRequest | null = null
  let running = false
  let stopped = false
  let timer: NodeJS.Timeout | undefined

  const schedule = () => {
    if (timer) clearTimeout(timer)
    if (!stopped) timer = setTimeout(() => request('live'), intervalMs)
  }

  async function drain(): Promise<void> {
    running = true
    try {
      while (pending && !stopped) {
        const next = pending
        pending = null
        if (next.live && timer) clearTimeout(timer)
        // fetch reports its own failures; a rejection here must not stop the interval.
        await fetch(next).catch(() => undefined)
        if (next.live) schedule()
      }
    } finally {
      running = false
    }
  }

  function request(kind: RefreshKind): void {
    if (stopped) return
    pending = {live: (pending?.live ?? false) || kind === 'live', screen: (pending?.screen ?? false) || kind !== 'state'}
    if (!running) void drain()
  }

  return {
    request,
    start({immediate}) {
      if (immediate) request('live')
      else {
        request('screen')
        schedule()
      }
    },
    stop() {
      stopped = true
      if (timer) clearTimeout(timer)
    },
  }
}
