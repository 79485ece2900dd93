/**
 * A lease: one holder may act on a resource until a moment, renewable, released by its holder or
 * by time. Pure (the caller passes `now`), so a delivery claim today and a task claim later share
 * it, and tests drive it with a manual clock. Stored as plain JSON.
 */
export interface Lease {
  holder: string
  /** ISO time the lease ends unless renewed. */
  until: string
}

export const isActive = (lease: Lease | null, now: Date): lease is Lease => lease !== null && Date.parse(lease.until) > now.getTime()

/** The new lease, or null when another holder's lease is still active. Re-acquiring your own renews it. */
export function acquire(current: Lease | null, holder: string, now: Date, ttlMs: number): Lease | null {
  if (isActive(current, now) && current.holder !== holder) return null
  return {holder, until: new Date(now.getTime() + ttlMs).toISOString()}
}

/** Extends the holder's own active lease; null when it expired or someone else holds it. */
export function renew(current: Lease | null, holder: string, now: Date, ttlMs: number): Lease | null {
  if (!isActive(current, now) || current.holder !== holder) return null
  return {holder, until: new Date(now.getTime() + ttlMs).toISOString()}
}

/** What remains after `holder` lets go: nothing if it held the lease, else the lease unchanged. */
export function release(current: Lease | null, holder: string): Lease | null {
  return current !== null && current.holder === holder ? null : current
}
