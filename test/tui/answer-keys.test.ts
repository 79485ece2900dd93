/** Issue 14 item 1 in the TUI: y/n answer a waiting agent with one core call each; elsewhere they keep their meaning. */
import {describe, expect, it} from 'vitest'

import {type KeyPress, handleInput, initialUi} from '../../src/tui/controller.js'
import {buildList} from '../../src/tui/view-model.js'
import {TRUST_WAITING_FOR} from '../../src/core/agents/trust.js'
import {agent, overviewOf} from './fake-core.js'

const NONE: KeyPress = {
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageUp: false, pageDown: false, home: false, end: false,
  return: false, escape: false, ctrl: false, shift: false, meta: false, backspace: false, delete: false, tab: false,
}
const press = (status: Parameters<typeof agent>[1], key: string) => {
  const items = buildList(overviewOf([agent('Agent_1', status)]), '').items
  return handleInput(initialUi(), key, NONE, {items, pageSize: 5})
}
const ran = (result: ReturnType<typeof press>) => result.effects.map((effect) => (effect.kind === 'run' ? {op: effect.action.op, input: effect.action.input} : effect.kind))

describe('answer keys on a waiting agent', () => {
  const waiting = {status: 'waiting' as const, waitingFor: 'permission: Bash(npm test)'}
  it('y allows and n denies at once (the key is the answer, no y/N question)', () => {
    expect(ran(press(waiting, 'y'))).toEqual([{op: 'answer_agent', input: {agent: 'api/Agent_1', answer: 'allow'}}])
    expect(ran(press(waiting, 'n'))).toEqual([{op: 'answer_agent', input: {agent: 'api/Agent_1', answer: 'deny'}}])
  })
  it('at the trust dialog y trusts; n keeps its meaning (asks about a new conversation)', () => {
    const atDialog = {status: 'waiting' as const, waitingFor: TRUST_WAITING_FOR}
    expect(ran(press(atDialog, 'y'))).toEqual([{op: 'answer_agent', input: {agent: 'api/Agent_1', answer: 'trust'}}])
    expect(press(atDialog, 'n').ui.mode).toMatchObject({kind: 'confirm', action: {op: 'start_new_agent_conversation'}})
  })
  it('on an agent that is not waiting: y only explains, n asks about a new conversation', () => {
    const idle = press({status: 'idle'}, 'y')
    expect(idle.effects).toEqual([])
    expect(idle.ui.message?.text).toMatch(/y answers an agent that waits/)
    expect(press({status: 'idle'}, 'n').ui.mode).toMatchObject({kind: 'confirm', action: {op: 'start_new_agent_conversation'}})
  })
})
