/**
 * Keys → what happens, as a pure state machine: browsing the list, answering y/N, or typing into
 * an inline input. A key yields the next UI state and at most one effect (run an action, quit);
 * the app performs effects, so every key binding is testable without a terminal.
 */
import {type RunAction, actions} from './actions.js'
import {CONTROL_CHAR, type KeyPress, NO_KEY, PASTE_END, PASTE_START, SHIFT_ENTER_SEQUENCE, UNKNOWN_SEQUENCE, keyOf} from './key-press.js'
import {TRUST_WAITING_FOR} from '../core/agents/trust.js'
import {
  type TextBuffer,
  bufferOf,
  deleteBack,
  deleteToLineStart,
  insertText,
  lineEnd,
  lineStart,
  moveCursor,
} from './text-buffer.js'
import {taskIdOf} from './task-model.js'
import type {Message} from './types.js'
import {type Item, resolveSelection} from './view-model.js'
import {RESTARTABLE} from '../core/domain/status.js'

export type InputPurpose = 'send' | 'add' | 'filter' | 'task' | 'assign'

export type Mode =
  | {kind: 'browse'}
  | {kind: 'confirm'; action: RunAction}
  /** target: the agent key (send, assign) or session name (add, task). */
  | {kind: 'input'; purpose: InputPurpose; target: string; buffer: TextBuffer}

export interface UiState {
  selected: {key: string | null; index: number}
  filter: string
  mode: Mode
  message: Message | null
  /** Inside a bracketed paste: text arrives as data, never as keys. */
  pasting: boolean
}

export type {KeyPress}

export type Effect = {kind: 'run'; action: RunAction} | {kind: 'quit'}

export interface KeyResult {
  ui: UiState
  effect?: Effect
}

export interface InputResult {
  ui: UiState
  effects: Effect[]
}

export interface KeyContext {
  items: readonly Item[]
  /** How far PageUp/PageDown move. */
  pageSize: number
  /** The task `A` offers for this session (the first ready one), if the view knows the board. */
  readyTask?: (session: string) => string | undefined
}

export const initialUi = (): UiState => ({selected: {key: null, index: 0}, filter: '', mode: {kind: 'browse'}, message: null, pasting: false})

/** Keys that act on the selected agent (besides Enter). */
const AGENT_KEYS = new Set(['s', 'c', 'n', 'r', 'd', 'y', 'A'])
/**
 * One input event from Ink. Ink hands over everything read at once as one event, so keys typed
 * ahead ("jj", "hello" + Enter) come together; they are taken one by one here. A bracketed paste
 * is text, line breaks included.
 */
export function handleInput(ui: UiState, input: string, key: KeyPress, context: KeyContext): InputResult {
  if (input === PASTE_START) return {ui: {...ui, pasting: true}, effects: []}
  if (input === PASTE_END) return {ui: {...ui, pasting: false}, effects: []}
  if (ui.pasting) {
    if (ui.mode.kind !== 'input') return {ui, effects: []}
    return {ui: handleKey(ui, input, NO_KEY, context).ui, effects: []}
  }
  const plain = input.length > 1 && !key.meta && !key.ctrl && !UNKNOWN_SEQUENCE.test(input)
  if (!plain) {
    const result = handleKey(ui, input, key, context)
    return {ui: result.ui, effects: result.effect ? [result.effect] : []}
  }
  let current = ui
  const effects: Effect[] = []
  // Runs of text stay whole while typing into an input (cheap for long text); all else is per key.
  for (const part of input.split(CONTROL_CHAR)) {
    if (part === '') continue
    const chars = current.mode.kind === 'input' && !CONTROL_CHAR.test(part) ? [part] : [...part]
    for (const char of chars) {
      const result = handleKey(current, ...keyOf(char), context)
      current = result.ui
      if (result.effect) effects.push(result.effect)
      if (result.effect?.kind === 'quit') return {ui: current, effects}
    }
  }
  return {ui: current, effects}
}

export function handleKey(ui: UiState, input: string, key: KeyPress, context: KeyContext): KeyResult {
  if (key.ctrl && input === 'c') return {ui, effect: {kind: 'quit'}}
  switch (ui.mode.kind) {
    case 'confirm':
      return confirmKey(ui, ui.mode.action, input)
    case 'input':
      return inputKey(ui, ui.mode, input, key)
    default:
      return browseKey(ui, input, key, context)
  }
}

function browseKey(ui: UiState, input: string, key: KeyPress, context: KeyContext): KeyResult {
  const {items} = context
  const index = resolveSelection(items, ui.selected)
  const select = (to: number): KeyResult => {
    if (items.length === 0) return {ui}
    const next = Math.min(Math.max(to, 0), items.length - 1)
    return {ui: {...ui, selected: {key: items[next]?.key ?? null, index: next}}}
  }
  if (key.upArrow || input === 'k') return select(index - 1)
  if (key.downArrow || input === 'j') return select(index + 1)
  if (key.pageUp) return select(index - context.pageSize)
  if (key.pageDown) return select(index + context.pageSize)
  if (key.home || input === 'g') return select(0)
  if (key.end || input === 'G') return select(items.length - 1)
  if (input === 'q') return {ui, effect: {kind: 'quit'}}
  if (key.escape) return {ui: {...ui, filter: '', message: null}}
  if (input === '/') return {ui: {...ui, mode: {kind: 'input', purpose: 'filter', target: '', buffer: bufferOf(ui.filter)}}}

  const item = items[index]
  const note = (text: string): KeyResult => ({ui: {...ui, message: {tone: 'info', text}}})
  if (input === 'a') {
    if (!item) return note('There is no session to add to yet: create one with `ccmcp session create <name> --root <dir>`.')
    return {ui: {...ui, message: null, mode: {kind: 'input', purpose: 'add', target: item.session, buffer: bufferOf('')}}}
  }
  if (input === 't') {
    if (!item) return note('There is no session to add a task to yet: create one with `ccmcp session create <name> --root <dir>`.')
    return {ui: {...ui, message: null, mode: {kind: 'input', purpose: 'task', target: item.session, buffer: bufferOf('')}}}
  }
  if (!key.return && !AGENT_KEYS.has(input)) return {ui}
  if (item?.kind !== 'agent') return note('Select an agent first (↑/↓).')
  const agent = item.key
  const ask = (action: RunAction): KeyResult => ({ui: {...ui, message: null, mode: {kind: 'confirm', action}}})
  if (key.return) return {ui, effect: {kind: 'run', action: actions.focus(agent)}}
  switch (input) {
    case 's':
      return {ui: {...ui, message: null, mode: {kind: 'input', purpose: 'send', target: agent, buffer: bufferOf('')}}}
    case 'A':
      return {ui: {...ui, message: null, mode: {kind: 'input', purpose: 'assign', target: agent, buffer: bufferOf(context.readyTask?.(item.session) ?? '')}}}
    case 'c':
      return ask(actions.clear(agent))
    case 'y':
      if (item.agent.status !== 'waiting') return note(`y answers an agent that waits (allow, or trust at the trust dialog); ${agent} is ${item.agent.status}.`)
      return {ui: {...ui, message: null}, effect: {kind: 'run', action: actions.answer(agent, item.agent.waitingFor === TRUST_WAITING_FOR ? 'trust' : 'allow')}}
    case 'n':
      // On an agent waiting at a permission prompt, n is the answer "deny"; elsewhere a new conversation.
      if (item.agent.status === 'waiting' && item.agent.waitingFor !== TRUST_WAITING_FOR) return {ui: {...ui, message: null}, effect: {kind: 'run', action: actions.answer(agent, 'deny')}}
      return ask(actions.newConversation(agent))
    case 'r':
      if (!RESTARTABLE.has(item.agent.status)) return note(`r restarts a lost or exited agent; ${agent} is ${item.agent.status}. n starts a new conversation.`)
      return ask(actions.restart(agent))
    default:
      return ask(actions.remove(agent))
  }
}

function confirmKey(ui: UiState, action: RunAction, input: string): KeyResult {
  const browse = {...ui, mode: {kind: 'browse'} as const}
  if (input === 'y' || input === 'Y') return {ui: browse, effect: {kind: 'run', action}}
  return {ui: {...browse, message: {tone: 'info', text: 'Cancelled; nothing was changed.'}}}
}

function inputKey(ui: UiState, mode: Extract<Mode, {kind: 'input'}>, input: string, key: KeyPress): KeyResult {
  const browse = {...ui, mode: {kind: 'browse'} as const}
  const edit = (buffer: TextBuffer): KeyResult => ({
    ui: {...ui, message: null, mode: {...mode, buffer}, ...(mode.purpose === 'filter' ? {filter: buffer.text} : {})},
  })
  const multiLine = mode.purpose === 'send'
  const newline = (): KeyResult => edit(insertText(mode.buffer, multiLine ? '\n' : ' '))

  if (key.escape) {
    if (mode.purpose === 'filter') return {ui: {...browse, filter: ''}}
    return {ui: {...browse, message: {tone: 'info', text: CANCELLED[mode.purpose]}}}
  }
  if (key.return && (key.meta || key.shift)) return newline()
  if (SHIFT_ENTER_SEQUENCE.test(input)) return newline()
  if (key.return) {
    const {buffer} = mode
    // A backslash right before Enter continues the message on a new line (as in Claude Code).
    if (multiLine && buffer.text[buffer.cursor - 1] === '\\') return edit(insertText(deleteBack(buffer), '\n'))
    return submit(ui, browse, mode)
  }
  if (key.backspace || key.delete) return edit(deleteBack(mode.buffer))
  if (key.leftArrow) return edit(moveCursor(mode.buffer, -1))
  if (key.rightArrow) return edit(moveCursor(mode.buffer, 1))
  if (key.home || (key.ctrl && input === 'a')) return edit(lineStart(mode.buffer))
  if (key.end || (key.ctrl && input === 'e')) return edit(lineEnd(mode.buffer))
  if (key.ctrl && input === 'u') return edit(deleteToLineStart(mode.buffer))
  if (key.ctrl || key.meta || key.tab || input === '' || (input.length > 1 && UNKNOWN_SEQUENCE.test(input))) return {ui}
  // Typed or pasted text; a paste brings its line breaks as CR (or LF, as Ctrl-J does).
  const text = input.replaceAll('\r\n', '\n').replaceAll('\r', '\n')
  return edit(insertText(mode.buffer, multiLine ? text : text.replaceAll('\n', ' ')))
}

function submit(ui: UiState, browse: UiState, mode: Extract<Mode, {kind: 'input'}>): KeyResult {
  const text = mode.buffer.text
  switch (mode.purpose) {
    case 'filter':
      return {ui: browse}
    case 'add': {
      const command = text.trim()
      return {ui: browse, effect: {kind: 'run', action: actions.add(mode.target, command === '' ? undefined : command)}}
    }
    case 'task':
      if (text.trim() === '') return {ui: {...ui, message: {tone: 'info', text: 'Type the task\'s title first (Esc cancels).'}}}
      return {ui: browse, effect: {kind: 'run', action: actions.addTask(mode.target, text.trim())}}
    case 'assign': {
      const id = taskIdOf(text)
      if (id === '') return {ui: {...ui, message: {tone: 'info', text: 'Type a task id first, e.g. T-3 (Esc cancels).'}}}
      const slash = mode.target.indexOf('/')
      return {ui: browse, effect: {kind: 'run', action: actions.assign(mode.target.slice(0, slash), id, mode.target.slice(slash + 1))}}
    }
    default:
      if (text.trim() === '') return {ui: {...ui, message: {tone: 'info', text: 'Type a message first (Esc cancels).'}}}
      return {ui: browse, effect: {kind: 'run', action: actions.send(mode.target, text)}}
  }
}

const CANCELLED: Record<Exclude<InputPurpose, 'filter'>, string> = {send: 'Not sent.', add: 'No agent added.', task: 'No task added.', assign: 'Nothing assigned.'}

