/**
 * The `ccmcp task …` commands' positional arguments. Every command names the session first, but
 * inside an agent's environment the session is the agent's own and may be left out
 * (`ccmcp task claim --next`, `ccmcp task done T-3 --result …`): given one argument fewer than
 * the command takes, the session is the one missing.
 */
import {Args} from '@oclif/core'

import {CcmcpError} from '../core/domain/errors.js'
import type {Task} from '../core/tasks/board.js'
import {oneLine, terminalSafe} from '../present/text.js'
import {table} from '../present/status.js'

export const sessionArg = Args.string({description: "Session name (inside an agent's environment: its own session, and may be left out)"})
export const idArg = Args.string({description: 'Task id, e.g. T-3'})

/** Maps what was typed onto `names` (session first); with one fewer, the session is left out. */
export function positional<N extends string>(command: string, names: readonly ['session', ...N[]], given: ReadonlyArray<string | undefined>): {session?: string} & Record<N, string> {
  const values = given.filter((value): value is string => value !== undefined)
  const [, ...rest] = names
  let mapped: Array<[string, string]>
  if (values.length === names.length) mapped = names.map((name, index) => [name, values[index] as string])
  else if (values.length === rest.length) mapped = rest.map((name, index) => [name, values[index] as string])
  else {
    throw new CcmcpError('INVALID_INPUT', `ccmcp task ${command} takes ${names.map((name) => `<${name}>`).join(' ')} (the session may be left out inside an agent's environment).`, {
      hint: `See \`ccmcp task ${command} --help\`.`,
    })
  }
  return Object.fromEntries(mapped) as {session?: string} & Record<N, string>
}

export function taskLine(task: Task): string {
  const holder = task.claimedBy ? ` @${task.claimedBy}` : ''
  return `${task.id} ${task.status}${holder}: ${oneLine(task.title, 100)}`
}

export function tasksTable(tasks: Task[], now: Date): string {
  if (tasks.length === 0) return 'No tasks.'
  return table(
    ['ID', 'STATUS', 'HOLDER', 'AGE', 'TITLE'],
    tasks.map((task) => [task.id, task.status, task.claimedBy ?? '', age(task.updatedAt, now), oneLine(task.title, 70)]),
  )
}

export function taskDetails(task: Task): string {
  const lines = [taskLine(task), `created by ${task.createdBy} at ${task.createdAt}`]
  if (task.blockedBy.length > 0) lines.push(`blocked by: ${task.blockedBy.join(', ')}`)
  if (task.body) lines.push('', terminalSafe(task.body))
  if (task.result) lines.push('', `result: ${terminalSafe(task.result)}`)
  if (task.notes.length > 0) lines.push('', 'notes:', ...task.notes.map((note) => `  ${note.at} ${note.by}: ${oneLine(note.text, 200)}`))
  lines.push('', 'history:', ...task.events.map((event) => `  ${event.at} ${event.type}${event.agent ? ` ${event.agent}` : ''} by ${event.by}${event.reason ? ` (${oneLine(event.reason, 200)})` : ''}`))
  return lines.join('\n')
}

function age(since: string, now: Date): string {
  const seconds = Math.max(0, Math.round((now.getTime() - Date.parse(since)) / 1000))
  if (seconds < 120) return `${seconds}s`
  if (seconds < 7200) return `${Math.round(seconds / 60)}m`
  return `${Math.round(seconds / 3600)}h`
}
