/**
 * `watch --json --follow`: the overview as JSON lines, one whenever it changes, until the reader
 * goes away or the process is told to stop. Another ccmcp keeps one of these open per host over
 * ssh instead of asking every host on every refresh.
 */
import type {OutStream} from './io.js'

export interface FollowOptions<T> {
  /** live: checked against the terminal (on the interval); otherwise the state as recorded (on each change). */
  run(live: boolean): Promise<T>
  first: T
  onStateChange(listener: () => void): () => void
  intervalMs: number
  stdout: OutStream & {once?(event: 'error' | 'close', listener: () => void): unknown}
}

const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const

/** Resolves when the reader is gone (EPIPE, closed) or a stop signal came. */
export async function followOverview<T>(options: FollowOptions<T>): Promise<void> {
  let last = ''
  let busy = Promise.resolve()
  const emit = (value: T) => {
    const line = JSON.stringify(value)
    if (line === last) return
    last = line
    options.stdout.write(`${line}\n`)
  }
  const refresh = (live: boolean) => {
    // One read at a time, in order: a slow live check never overtakes a later change.
    busy = busy.then(() => options.run(live).then(emit, () => undefined))
  }
  emit(options.first)
  await new Promise<void>((resolve) => {
    const stopWatching = options.onStateChange(() => refresh(false))
    const timer = setInterval(() => refresh(true), options.intervalMs)
    const stop = () => {
      stopWatching()
      clearInterval(timer)
      for (const signal of STOP_SIGNALS) process.off(signal, stop)
      resolve()
    }
    for (const signal of STOP_SIGNALS) process.once(signal, stop)
    options.stdout.once?.('error', stop)
    options.stdout.once?.('close', stop)
  })
}
