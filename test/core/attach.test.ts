/** The attach line of `agent focus`: tmux's own, tmux -CC for iTerm2, and through ssh -t for another host. */
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {inITerm2, withControlMode} from '../../src/core/agents/attach.js'
import {Agent} from '../../src/core/domain/state.js'
import type {RemoteHosts} from '../../src/core/ports.js'
import {type Harness, createHarness} from '../helpers/core-harness.js'

describe('tmux control mode', () => {
  it('goes right after the tmux program, once, and leaves anything else alone', () => {
    expect(withControlMode(['tmux', '-S', '/h/tmux.sock', 'attach', '-t', '$1'])).toEqual(['tmux', '-CC', '-S', '/h/tmux.sock', 'attach', '-t', '$1'])
    expect(withControlMode(['/usr/bin/tmux', 'attach'])).toEqual(['/usr/bin/tmux', '-CC', 'attach'])
    expect(withControlMode(['tmux', '-CC', 'attach'])).toEqual(['tmux', '-CC', 'attach'])
    expect(withControlMode(['ssh', '-t', '--', 'host', 'tmux attach'])).toEqual(['ssh', '-t', '--', 'host', 'tmux attach'])
  })

  it('is what iTerm2 is recognised by: its own variables (LC_TERMINAL also crosses ssh)', () => {
    expect(inITerm2({TERM_PROGRAM: 'iTerm.app'})).toBe(true)
    expect(inITerm2({LC_TERMINAL: 'iTerm2'})).toBe(true)
    expect(inITerm2({TERM_PROGRAM: 'Apple_Terminal'})).toBe(false)
    expect(inITerm2({})).toBe(false)
  })
})

describe('focus_agent on an agent of another host', () => {
  let h: Harness
  const asked: unknown[] = []
  const remote: RemoteHosts = {
    async call(_target, operation, input) {
      if (operation === 'create_session') return {session: {root: '/srv/x', backend: 'tmux'}, trust: null}
      asked.push(input)
      const controlMode = (input as {tmuxControlMode?: boolean}).tmuxControlMode === true
      // What the host's ccmcp answers: its agent, as its own schema parsed it.
      const agent = Agent.parse({session: 'far', name: 'Agent_1', kind: 'command', command: ['sleep', '600'], status: 'unknown', tab: null, conversationId: null, createdAt: new Date(0).toISOString(), lastEventAt: null, lastError: null})
      return {agent, focused: false, hint: 'the host line', attach: ['tmux', ...(controlMode ? ['-CC'] : []), '-S', "/r/it's/tmux.sock", 'attach', '-t', '$0']}
    },
    interactiveArgv: (target, line) => ['ssh', '-F', '/cfg', '-t', '--', target.host, line],
  }
  beforeEach(async () => {
    h = await createHarness({remote})
    await h.core.run('create_session', {name: 'far', root: '/srv/x', host: 'box'})
  })
  afterEach(async () => h.cleanup())

  it('returns the ssh -t argv around the host argv, quoted once for the host shell, -CC when asked', async () => {
    const plain = (await h.core.run('focus_agent', {agent: 'far/Agent_1'})) as {attach: string[]; hint: string}
    expect(plain.attach).toEqual(['ssh', '-F', '/cfg', '-t', '--', 'box', `tmux -S '/r/it'\\''s/tmux.sock' attach -t '$0'`])
    expect(plain.hint).toBe(`ssh -F /cfg -t -- box 'tmux -S '\\''/r/it'\\''\\'\\'''\\''s/tmux.sock'\\'' attach -t '\\''$0'\\'''`)
    const controlled = (await h.core.run('focus_agent', {agent: 'far/Agent_1', tmuxControlMode: true})) as {attach: string[]}
    expect(controlled.attach.at(-1)).toBe(`tmux -CC -S '/r/it'\\''s/tmux.sock' attach -t '$0'`)
    expect(asked).toEqual([{agent: 'far/Agent_1', tmuxControlMode: false}, {agent: 'far/Agent_1', tmuxControlMode: true}])
  })
})
