/**
 * The delivery claim: while one process types into an agent, nobody else does. It is a lease
 * stored on the agent (`deliveringUntil`, `deliveringBy`); a claim whose holder process is gone
 * counts as free at once, and a holder that is interrupted (Ctrl-C, SIGTERM, SIGHUP) lets go
 * before it exits, so a queue behind it never sticks.
 */
import {randomUUID} from 'node:crypto'

import type {Agent} from '../domain/state.js'
import {type Lease, isActive} from '../domain/lease.js'

export const newHolder = (pid: number): string => `${pid}:${randomUUID()}`

export const claimOf = (agent: Pick<Agent, 'deliveringUntil' | 'deliveringBy'>): Lease | null =>
  agent.deliveringUntil === null ? null : {holder: agent.deliveringBy ?? '', until: agent.deliveringUntil}

export const withClaim = (agent: Agent, lease: Lease | null): Agent => ({...agent, deliveringUntil: lease?.until ?? null, deliveringBy: lease?.holder ?? null})

/** Whether a process of this machine still runs (the state file is local, so holders are too). */
export type ProcessAlive = (pid: number) => boolean

function holderAlive(holder: string, alive: ProcessAlive): boolean {
  const pid = Number(holder.split(':')[0])
  return !Number.isInteger(pid) || pid <= 0 || alive(pid)
}

/** Somebody is delivering to the agent right now: the claim is unexpired and its holder alive. */
export function claimHeld(agent: Pick<Agent, 'deliveringUntil' | 'deliveringBy'>, now: Date, alive: ProcessAlive): boolean {
  const lease = claimOf(agent)
  return isActive(lease, now) && holderAlive(lease.holder, alive)
}

/** A lease another holder may take over: expired, or held by a process that died. */
export const claimFree = (lease: Lease | null, now: Date, alive: ProcessAlive): Lease | null => (lease && isActive(lease, now) && holderAlive(lease.holder, alive) ? lease : null)
