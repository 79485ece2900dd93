/**
 * The boards as a live view shows them (`ccmcp watch`): one line's worth per task, with when a
 * claim lapses computed here (the lease rule lives in sweep.ts), read without writing anything.
 * A broken board is part of the answer, never a failure of the whole view.
 */
import * as z from 'zod'

import {toCcmcpError} from '../domain/errors.js'
import type {SessionRecord, State} from '../domain/state.js'
import type {CoreDeps} from '../pipeline/operation.js'
import {Task} from './board.js'
import {claimAliveUntil} from './sweep.js'

export const TaskLine = Task.pick({id: true, title: true, status: true, claimedBy: true, blockedBy: true, result: true, updatedAt: true}).extend({
  claimUntil: z.string().nullable().describe('While claimed: when the claim lapses unless its holder shows a sign of life (any hook event renews it)'),
})
export type TaskLine = z.infer<typeof TaskLine>

export const SessionBoard = z.object({
  session: z.string(),
  tasks: z.array(TaskLine),
  error: z.string().nullable().describe('Why the board could not be read'),
})
export type SessionBoard = z.infer<typeof SessionBoard>

export async function boardViews(deps: CoreDeps, state: State, sessions: readonly SessionRecord[]): Promise<SessionBoard[]> {
  const {taskLeaseMs} = await deps.ports.config.read()
  return Promise.all(
    sessions.map(async ({name}) => {
      try {
        const board = await deps.ports.tasks(name).read()
        const tasks = board.tasks.map((task): TaskLine => {
          const holder = task.status === 'claimed' ? state.agents.find((agent) => agent.session === name && agent.name === task.claimedBy) : undefined
          const claimUntil = task.status === 'claimed' ? new Date(claimAliveUntil(task, holder, taskLeaseMs)).toISOString() : null
          const {id, title, status, claimedBy, blockedBy, result, updatedAt} = task
          return {id, title, status, claimedBy, blockedBy, result, updatedAt, claimUntil}
        })
        return {session: name, tasks, error: null}
      } catch (error) {
        return {session: name, tasks: [], error: toCcmcpError(error).message}
      }
    }),
  )
}

/** The tasks an agent of the session holds now (its current work), oldest claim first by id. */
export const tasksHeldBy = (board: SessionBoard | undefined, agent: string): TaskLine[] =>
  board?.tasks.filter((task) => task.status === 'claimed' && task.claimedBy === agent) ?? []
