import {describe, expect, it} from 'vitest'

import {
  isNoServerError,
  lastLines,
  parsePaneList,
  tmuxFormatLiteral,
  tmuxLiteral,
  tmuxSessionName,
} from '../../src/core/adapters/tmux/args.js'

describe('tmux argument escaping', () => {
  it.each([
    ['plain', 'plain'],
    ['a;', 'a\\;'],
    [';', '\\;'],
    ['a\\;', 'a\\\\;'],
    ['mid;dle', 'mid;dle'],
  ])('tmuxLiteral(%j) = %j', (input, output) => {
    expect(tmuxLiteral(input)).toBe(output)
  })

  it('doubles # in format-expanded arguments', () => {
    expect(tmuxFormatLiteral('/tmp/a#{pane_id}b;')).toBe('/tmp/a##{pane_id}b;')
  })

  it('makes session names tmux accepts', () => {
    expect(tmuxSessionName('my.proj:1')).toBe('ccmcp-my_proj_1')
  })
})

describe('parsePaneList', () => {
  it('reads ids, liveness, exit status (or signal), the launch id and the agent key', () => {
    const tabs = parsePaneList('$0 @0 %0 0   L1 demo/Agent_1\n$0 @1 %1 1 3  L2 demo/Agent_2\n$1 @2 %2 0    \n$1 @3 %3 1  15  \n\n')
    expect(tabs).toEqual([
      {tab: {backend: 'tmux', sessionId: '$0', windowId: '@0', paneId: '%0'}, agentKey: 'demo/Agent_1', launchId: 'L1', alive: true, exitStatus: null},
      {tab: {backend: 'tmux', sessionId: '$0', windowId: '@1', paneId: '%1'}, agentKey: 'demo/Agent_2', launchId: 'L2', alive: false, exitStatus: 3},
      {tab: {backend: 'tmux', sessionId: '$1', windowId: '@2', paneId: '%2'}, agentKey: null, launchId: null, alive: true, exitStatus: null},
      {tab: {backend: 'tmux', sessionId: '$1', windowId: '@3', paneId: '%3'}, agentKey: null, launchId: null, alive: false, exitStatus: 143},
    ])
  })

  it('counts a dead pane whose exit status tmux has not recorded (yet, or ever) as dead with an unknown status', () => {
    expect(parsePaneList('$0 @0 %0 1   L1 demo/Agent_1\n')).toMatchObject([{alive: false, exitStatus: null}])
  })
})

describe('screen helpers', () => {
  it('drops trailing blank lines before taking the last N', () => {
    expect(lastLines('a\nb\nc\n\n\n', 2)).toBe('b\nc')
  })

  it('recognises a missing server', () => {
    expect(isNoServerError('no server running on /tmp/x')).toBe(true)
    expect(isNoServerError('error connecting to /tmp/x (No such file or directory)')).toBe(true)
    expect(isNoServerError("can't find pane: %9")).toBe(false)
  })
})
