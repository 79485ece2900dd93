/** A synchronous sleep: JXA's delay() and iTerm2's own waits block the script. */
const cell = new Int32Array(new SharedArrayBuffer(4))

export function sleepSync(ms) {
  if (ms > 0) Atomics.wait(cell, 0, 0, ms)
}
