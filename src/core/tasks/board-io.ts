/**
 * Reading and changing a session's board. Every change is one store update that first returns
 * lapsed claims to open (sweep.ts), then applies the change, then keeps blocked statuses current;
 * TODO.md is rendered after it. A read sweeps too, writing only when a claim actually lapsed.
 */
import type {Agent, SessionRecord, State} from '../domain/state.js'
import type {CoreDeps} from '../pipeline/operation.js'
import {type Task, type TaskBoard, findTask, withBlockedStatus} from './board.js'
import {sweepBoard} from './sweep.js'
import {renderTodo, writeTodo} from './todo-md.js'

export interface BoardScope {
  session: SessionRecord
  /** The state the caller already read (the holders' statuses and last events come from it). */
  state: State
}

const sessionAgents = (state: State, session: string): Agent[] => state.agents.filter((agent) => agent.session === session)

/**
 * Applies `change` to the swept board in one store update (it may throw: then nothing is
 * written), then renders TODO.md. Returns the board as stored and what `change` returned.
 */
export async function changeBoard<R>(deps: CoreDeps, scope: BoardScope, change: (board: TaskBoard, now: Date) => {board: TaskBoard; result: R}): Promise<{board: TaskBoard; result: R}> {
  const {taskLeaseMs} = await deps.ports.config.read()
  const agents = sessionAgents(scope.state, scope.session.name)
  const now = deps.ports.clock.now()
  const outcome = await deps.ports.tasks(scope.session.name).update((stored) => {
    const next = change(sweepBoard(stored, agents, now, taskLeaseMs).board, now)
    const board = {...withBlockedStatus(next.board), version: stored.version + 1}
    return {value: board, result: {board, result: next.result}}
  })
  await renderBoard(deps, scope.session)
  return outcome
}

/** changeBoard for a change to one task: returns that task as stored. */
export async function changeTask(deps: CoreDeps, scope: BoardScope, change: (board: TaskBoard, now: Date) => {board: TaskBoard; id: string}): Promise<Task> {
  const {board, result} = await changeBoard(deps, scope, (current, now) => {
    const next = change(current, now)
    return {board: next.board, result: next.id}
  })
  return findTask(board, scope.session.name, result)
}

/** The board with lapsed claims returned to open (written, with their events, only when some lapsed). */
export async function readBoard(deps: CoreDeps, scope: BoardScope): Promise<TaskBoard> {
  const store = deps.ports.tasks(scope.session.name)
  const board = await store.read()
  const {taskLeaseMs} = await deps.ports.config.read()
  if (!sweepBoard(board, sessionAgents(scope.state, scope.session.name), deps.ports.clock.now(), taskLeaseMs).changed) return board
  return (await changeBoard(deps, scope, (swept) => ({board: swept, result: null}))).board
}

/**
 * After reconciliation or an agent's deletion: frees the claims of holders that are gone. A
 * session without a board file is left alone (no empty file, no TODO.md).
 */
export async function sweepSessions(deps: CoreDeps, state: State, sessions: Iterable<string>): Promise<void> {
  for (const name of new Set(sessions)) {
    const session = state.sessions.find((candidate) => candidate.name === name)
    if (!session) continue
    try {
      const board = await deps.ports.tasks(name).read()
      if (board.tasks.some((task) => task.status === 'claimed')) await readBoard(deps, {session, state})
    } catch (error) {
      // A broken board must not break the read that reconciled: its own commands report it.
      deps.ports.logger.warn(`could not check the task board of session ${name}: ${(error as Error).message}`)
    }
  }
}

/** Renders TODO.md from the latest board; another process's newer board written meanwhile is rendered again. */
export async function renderBoard(deps: CoreDeps, session: Pick<SessionRecord, 'name' | 'root' | 'todo'>): Promise<void> {
  if (session.todo === false) return
  const store = deps.ports.tasks(session.name)
  for (let attempt = 0; attempt < 5; attempt++) {
    const board = await store.read()
    await writeTodo(deps.ports.host, deps.ports.logger, session.root, renderTodo(session.name, board))
    if ((await store.read()).version === board.version) return
  }
}

/** Forgets a deleted session's board (its TODO.md stays in the codebase, the user's file now). */
export async function removeBoard(deps: CoreDeps, session: string): Promise<void> {
  await deps.ports.host.remove(deps.ports.tasks(session).path)
}
