/**
 * A Clock whose time moves only when the test says so, so deadline tests take milliseconds:
 * `sleep` resolves once `advance` has moved time past its wake-up. `runUntil` advances in steps,
 * letting the code under test run between them, until a promise settles.
 */
import type {Clock} from '../../src/core/ports.js'

export class ManualClock implements Clock {
  private time: number
  private sleepers: Array<{wake: number; resolve: () => void}> = []

  constructor(start = Date.parse('2026-01-01T00:00:00.000Z')) {
    this.time = start
  }

  now(): Date {
    return new Date(this.time)
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.sleepers.push({wake: this.time + ms, resolve}))
  }

  /** How many sleeps are pending: the code under test is waiting on the clock. */
  get sleeping(): number {
    return this.sleepers.length
  }

  advance(ms: number): void {
    this.time += ms
    const due = this.sleepers.filter((sleeper) => sleeper.wake <= this.time)
    this.sleepers = this.sleepers.filter((sleeper) => sleeper.wake > this.time)
    for (const sleeper of due) sleeper.resolve()
  }

  /**
   * Settles `promise`, moving time by `stepMs` whenever the code under test sleeps on this clock
   * (real I/O in between, such as the state file's lock, runs at its own pace). Fails after
   * `maxMs` of clock time, so a bug cannot hang the test.
   */
  async runUntil<T>(promise: Promise<T>, {stepMs = 100, maxMs = 3_600_000} = {}): Promise<T> {
    let settled = false
    const tracked = promise.finally(() => {
      settled = true
    })
    tracked.catch(() => undefined)
    const limit = this.time + maxMs
    while (!settled) {
      if (this.sleeping > 0) {
        if (this.time > limit) throw new Error(`ManualClock.runUntil: still unsettled after ${maxMs} ms of clock time`)
        this.advance(stepMs)
      }
      await new Promise((resolve) => setImmediate(resolve))
    }
    return tracked
  }
}
