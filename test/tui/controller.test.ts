/** Keys → UI state and effects, without a terminal: the parts the app tests do not reach. */
import {describe, expect, it} from 'vitest'

import {type KeyPress, type UiState, handleInput, initialUi} from '../../src/tui/controller.js'
import {bufferOf} from '../../src/tui/text-buffer.js'
import {buildList} from '../../src/tui/view-model.js'
import {agent, overviewOf} from './fake-core.js'

const NONE: KeyPress = {
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageUp: false, pageDown: false, home: false, end: false,
  return: false, escape: false, ctrl: false, shift: false, meta: false, backspace: false, delete: false, tab: false,
}
const items = buildList(overviewOf(Array.from({length: 12}, (_, index) => agent(`Agent_${index + 1}`, {status: index === 0 ? 'exited' : 'idle'}))), '').items
const context = {items, pageSize: 5}

/** Feeds keys ([input, key flags]) and returns the final state and every effect. */
function feed(ui: UiState, ...keys: Array<string | [string, Partial<KeyPress>]>) {
  const effects = []
  let current = ui
  for (const entry of keys) {
    const [input, flags] = typeof entry === 'string' ? [entry, {}] : entry
    const result = handleInput(current, input, {...NONE, ...flags}, context)
    current = result.ui
    effects.push(...result.effects)
  }
  return {ui: current, effects}
}

const sending = (text: string, cursor = text.length): UiState => ({...initialUi(), mode: {kind: 'input', purpose: 'send', target: 'api/Agent_1', buffer: {text, cursor}}})
const textOf = (ui: UiState) => (ui.mode.kind === 'input' ? ui.mode.buffer : null)

describe('browsing', () => {
  it('pages, jumps to the ends and clamps', () => {
    const at = (ui: UiState) => ui.selected.key
    expect(at(feed(initialUi(), ['', {pageDown: true}]).ui)).toBe('api/Agent_6')
    expect(at(feed(initialUi(), ['', {pageDown: true}], ['', {pageDown: true}], ['', {pageDown: true}]).ui)).toBe('api/Agent_12')
    expect(at(feed(initialUi(), 'G', ['', {pageUp: true}]).ui)).toBe('api/Agent_7')
    expect(at(feed(initialUi(), ['', {end: true}], ['', {home: true}], 'k').ui)).toBe('api/Agent_1')
  })

  it('Esc clears the filter and the message; unknown keys change nothing', () => {
    const ui = {...initialUi(), filter: 'busy', message: {tone: 'info' as const, text: 'x'}}
    expect(feed(ui, ['', {escape: true}]).ui).toMatchObject({filter: '', message: null})
    expect(feed(ui, 'x', 'Z', ['', {tab: true}]).ui).toEqual(ui)
  })

  it('r on an exited agent asks, and Y (capital) confirms', () => {
    const {effects} = feed(initialUi(), 'r', 'Y')
    expect(effects.map((effect) => (effect.kind === 'run' ? [effect.action.op, effect.action.input] : effect.kind))).toEqual([['restart_agent', {agent: 'api/Agent_1'}]])
  })

  it('typed-ahead keys stop at q: nothing after it runs', () => {
    const {effects} = feed(initialUi(), 'jqd')
    expect(effects).toEqual([{kind: 'quit'}])
  })

  it('a paste outside an input is ignored, not taken as keys', () => {
    const {ui, effects} = feed(initialUi(), '[200~', 'dy', '[201~')
    expect(effects).toEqual([])
    expect(ui).toEqual(initialUi())
  })
})

describe('typing', () => {
  it('moves and edits: ←/→, Home/End, Ctrl-A/Ctrl-E, Ctrl-U, Backspace and Delete both delete left', () => {
    expect(textOf(feed(sending('hello world'), ['', {leftArrow: true}], ['', {backspace: true}], 'X').ui)).toEqual({text: 'hello worXd', cursor: 10})
    expect(textOf(feed(sending('one\ntwo'), ['a', {ctrl: true}], '>', ['', {end: true}], '<').ui)?.text).toBe('one\n>two<')
    expect(textOf(feed(sending('one\ntwo'), ['', {home: true}], ['e', {ctrl: true}], ['', {delete: true}]).ui)?.text).toBe('one\ntw')
    expect(textOf(feed(sending('one\ntwo three'), ['u', {ctrl: true}]).ui)).toEqual({text: 'one\n', cursor: 4})
    expect(textOf(feed(sending('ab', 0), ['', {rightArrow: true}], ['', {rightArrow: true}], ['', {rightArrow: true}], '!').ui)?.text).toBe('ab!')
  })

  it("Shift+Enter makes a new line, from the kitty protocol or xterm's modifyOtherKeys; other unknown sequences are dropped", () => {
    expect(textOf(feed(sending('a'), ['\r', {return: true, shift: true}], '[27;2;13~', 'b', '[1;5P').ui)?.text).toBe('a\n\nb')
  })

  it('the add and filter inputs are one line: line breaks become spaces', () => {
    const adding: UiState = {...initialUi(), mode: {kind: 'input', purpose: 'add', target: 'api', buffer: bufferOf('')}}
    const {ui, effects} = feed(adding, '[200~', 'aider\r--model x', '[201~', ['\r', {return: true}])
    expect(ui.mode.kind).toBe('browse')
    expect(effects.map((effect) => (effect.kind === 'run' ? effect.action.input : null))).toEqual([{session: 'api', command: 'aider --model x'}])
  })

  it('a long paste is inserted at once', () => {
    const long = 'x'.repeat(60_000) + '\r' + 'y'.repeat(4_000)
    const {ui} = feed(sending(''), '[200~', long, '[201~')
    expect(textOf(ui)?.text).toHaveLength(64_001)
    expect(textOf(ui)?.text.split('\n').map((line) => line.length)).toEqual([60_000, 4_000])
  })
})
