/**
 * The shape every change to one task shares (release, complete, note, reopen, cancel): the
 * session and task id as input, the caller's board, one locked store update in which the change
 * sees the task as stored, and the task as stored afterwards as output. Each operation states
 * only its own inputs and its rule; a rule that throws writes nothing.
 */
import * as z from 'zod'

import {type Caller, describeCaller} from '../pipeline/caller.js'
import {defineOperation} from '../pipeline/operation.js'
import {type Task, findTask, replaceTask} from '../tasks/board.js'
import {changeTask} from '../tasks/board-io.js'
import {SessionField, TaskIdField, TaskOutput, boardScope} from './tasks.js'

const TaskRef = {session: SessionField, id: TaskIdField}

export interface ChangeContext<I> {
  input: I
  caller: Caller
  /** describeCaller(caller), for the task's event and notes. */
  by: string
  now: Date
  session: string
  /** The task lease (config taskLeaseMs). */
  leaseMs: number
}

export interface TaskChangeSpec<S extends z.ZodRawShape> {
  name: string
  title: string
  description: string
  /** Inputs besides session and id. */
  fields: S
  /** The task after the change; throw to refuse it. */
  change(current: Task, context: ChangeContext<z.infer<z.ZodObject<typeof TaskRef & S>>>): Task
}

export function defineTaskChange<S extends z.ZodRawShape>(spec: TaskChangeSpec<S>) {
  const input = z.object({...TaskRef, ...spec.fields}) as z.ZodObject<typeof TaskRef & S>
  // What the shared fields are, which TypeScript cannot see through the generic shape.
  type Input = z.infer<typeof input> & {session?: string; id: string}
  return defineOperation({
    name: spec.name,
    title: spec.title,
    description: spec.description,
    level: 'MEDIUM',
    scope: (given: Input) => ({sessions: [given.session]}),
    annotations: {readOnly: false, destructive: false, idempotent: false},
    mcp: true,
    input,
    output: TaskOutput,
    async handler(given: Input, {deps, caller}) {
      const scope = await boardScope(deps, caller, given.session)
      const {taskLeaseMs} = await deps.ports.config.read()
      const session = scope.session.name
      const task = await changeTask(deps, scope, (board, now) => {
        const current = findTask(board, session, given.id)
        const changed = spec.change(current, {input: given, caller, by: describeCaller(caller), now, session, leaseMs: taskLeaseMs})
        return {board: replaceTask(board, changed), id: current.id}
      })
      return {task}
    },
  })
}
