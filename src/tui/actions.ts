/**
 * Every action the TUI can take, as data: which operation, with what input, what to ask first,
 * and what to say when it is done. Each is exactly one core call; the TUI has no logic of its own.
 */
import type {InputOf, OutputOf} from '../core/pipeline/core.js'
import {agentKey} from '../core/domain/state.js'
import type {OperationName} from '../core/pipeline/registry.js'
import type {Message, WatchCore} from './types.js'

/**
 * What `r` runs on a lost or exited agent. Today: a fresh conversation in a new tab. When the
 * `restart_agent` operation (resume the same conversation) lands, change this one line.
 */
export const RESTART_OPERATION = 'restart_agent' satisfies OperationName

export interface ActionResult {
  message: Message
  /** Item to select afterwards (a new agent). */
  select?: string
}

export interface RunAction {
  op: OperationName
  input: unknown
  /** Shown while the call runs. */
  pending: string
  /** Asked (y/N) before the call, for destructive actions. */
  confirm?: string
  run(core: Pick<WatchCore, 'run'>): Promise<ActionResult>
}

function action<N extends OperationName>(
  op: N,
  input: InputOf<N>,
  texts: {pending: string; confirm?: string},
  done: (output: OutputOf<N>) => ActionResult,
): RunAction {
  return {op, input, ...texts, run: async (core) => done(await core.run(op, input))}
}

const success = (text: string): ActionResult => ({message: {tone: 'success', text}})

export const actions = {
  focus: (agent: string) =>
    action('focus_agent', {agent}, {pending: `Focusing ${agent}…`}, (output) =>
      output.focused
        ? success(`Switched to ${agent}'s tab.`)
        : {message: {tone: 'info', text: `No terminal shows ${agent}'s tab. To see it, run:`, hint: output.hint ?? undefined}},
    ),

  send: (agent: string, message: string) =>
    action('send_message_to_agent', {agent, message}, {pending: `Sending to ${agent}…`}, (output) => success(`Message ${output.delivery} to ${agent}.`)),

  answer: (agent: string, answer: 'allow' | 'deny' | 'trust') =>
    action('answer_agent', {agent, answer}, {pending: `Answering ${agent}: ${answer}…`}, (output) =>
      success(`${answer === 'trust' ? 'Trusted the folder of' : answer === 'allow' ? 'Allowed' : 'Denied'} ${agent}${output.answered.summary ? ` ${output.answered.summary}` : ''}; it is ${output.agent.status}.`),
    ),

  clear: (agent: string) =>
    action(
      'clear_agent_conversation',
      {agent},
      {pending: `Clearing ${agent}…`, confirm: `Clear ${agent}'s conversation? Its tab is closed.`},
      () => success(`Cleared ${agent}'s conversation; n starts a new one.`),
    ),

  newConversation: (agent: string) =>
    action(
      'start_new_agent_conversation',
      {agent},
      {pending: `Starting a new conversation for ${agent}…`, confirm: `Start a new conversation for ${agent}? The current one ends.`},
      () => success(`${agent} started a new conversation.`),
    ),

  restart: (agent: string) =>
    action(RESTART_OPERATION, {agent}, {pending: `Restarting ${agent}…`, confirm: `Restart ${agent} in a new tab, continuing its conversation?`}, () => success(`Restarted ${agent}.`)),

  remove: (agent: string) =>
    action(
      'delete_agent',
      {agent},
      {pending: `Deleting ${agent}…`, confirm: `Delete ${agent}? Its tab is closed and the agent forgotten.`},
      () => success(`Deleted ${agent}.`),
    ),

  addTask: (session: string, title: string) =>
    action('create_task', {session, title}, {pending: `Adding a task to ${session}…`}, (output) => success(`Added ${output.task.id} to ${session} (${output.task.status}).`)),

  assign: (session: string, id: string, agent: string) =>
    action('assign_task', {session, id, agent}, {pending: `Assigning ${id} to ${session}/${agent}…`}, (output) =>
      output.delivery === 'failed'
        ? {message: {tone: 'error', text: `${output.task.id} is claimed for ${session}/${agent}, but its message was not accepted.`, hint: `See \`ccmcp messages ${session}/${agent}\`; tell it with s.`}}
        : success(`Assigned ${output.task.id} to ${session}/${agent}; its message was ${output.delivery === 'queued' ? 'queued until it is ready' : output.delivery}.`),
    ),

  add: (session: string, command: string | undefined) =>
    action('create_agent', {session, command}, {pending: `Adding an agent to ${session}…`}, (output) => ({
      message: {tone: 'success', text: `Added ${agentKey(output.agent)} (${output.agent.status}).`},
      select: agentKey(output.agent),
    })),
}
