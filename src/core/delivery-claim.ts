/**
 * The delivery claim: while one process types into an agent, nobody else does. It is a lease
 * stored on the agent (`deliveringUntil`, `deliveringBy`); a claim whose holder process is gone
 * counts as free at once, and a holder that is interrupted (Ctrl-C, SIGTERM, SIGHUP) lets go
 * before it exits, so a queue behind it never sticks.
 */
import {randomUUID} from 'node:crypto'

import type {Agent} from './domain.js'
import {type Lease, isActive} from './lease.js'

export const newHolder = (): string => `${process.pid}:${randomUUID()}`

export const claimOf = (agent: Pick<Agent, 'deliveringUntil' | 'deliveringBy'>): Lease | null =>
  agent.deliveringUntil === null ? null : {holder: agent.deliveringBy ?? '', until: agent.deliveringUntil}

export const withClaim = (agent: Agent, lease: Lease | null): Agent => ({...agent, deliveringUntil: lease?.until ?? null, deliveringBy: lease?.holder ?? null})

/** Whether the process named in a holder id still runs (same machine: the state file is local). */
function holderAlive(holder: string): boolean {
  const pid = Number(holder.split(':')[0])
  if (!Number.isInteger(pid) || pid <= 0) return true
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Somebody is delivering to the agent right now: the claim is unexpired and its holder alive. */
export function claimHeld(agent: Pick<Agent, 'deliveringUntil' | 'deliveringBy'>, now: Date): boolean {
  const lease = claimOf(agent)
  return isActive(lease, now) && holderAlive(lease.holder)
}

/** A lease another holder may take over: expired, or held by a process that died. */
export const claimFree = (lease: Lease | null, now: Date): Lease | null => (lease && isActive(lease, now) && holderAlive(lease.holder) ? lease : null)

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const

/**
 * Runs `work`; if the process is told to stop meanwhile, runs `cleanup` first and then lets the
 * signal do what it would have done (re-raised once our handler is gone). The handler stays
 * installed until cleanup ends: other libraries (signal-exit) kill the process at once when
 * they see no other listener.
 */
export async function releasedOnSignal<T>(cleanup: () => Promise<void>, work: () => Promise<T>): Promise<T> {
  let stopping = false
  const handlers = SIGNALS.map((signal) => [signal, () => onSignal(signal)] as const)
  const remove = () => {
    for (const [name, handler] of handlers) process.off(name, handler)
  }
  function onSignal(signal: NodeJS.Signals): void {
    if (stopping) return
    stopping = true
    void cleanup()
      .catch(() => undefined)
      .finally(() => {
        remove()
        process.kill(process.pid, signal)
      })
  }
  for (const [name, handler] of handlers) process.on(name, handler)
  try {
    return await work()
  } finally {
    if (!stopping) remove()
  }
}
