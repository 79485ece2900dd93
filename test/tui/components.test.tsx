/** The presentational pieces, props in and text out: colours, NO_COLOR, truncation, notes. */
import chalk from 'chalk'
import {render} from 'ink-testing-library'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {AgentList} from '../../src/tui/components/agent-list.js'
import type {AgentView} from '../../src/core/agents/agent-view.js'
import {Footer} from '../../src/tui/components/footer.js'
import {Header} from '../../src/tui/components/header.js'
import {Preview} from '../../src/tui/components/preview.js'
import {actions} from '../../src/tui/actions.js'
import {bufferOf} from '../../src/tui/text-buffer.js'
import {buildList} from '../../src/tui/view-model.js'
import {agent, overviewOf, statusesOf} from './fake-core.js'

// Tests run without a terminal, where chalk would drop every style; force 16 colours to see them.
const savedLevel = chalk.level
beforeAll(() => {
  chalk.level = 1
})
afterAll(() => {
  chalk.level = savedLevel
})

const YELLOW = '\u001B[33m'
const INVERSE = '\u001B[7m'
// eslint-disable-next-line no-control-regex -- colour codes are what these look for
const ANY_COLOR = /\u001B\[(3[0-7]|9[0-7])m/
// eslint-disable-next-line no-control-regex -- styles are what this strips
const unstyled = (frame: string | undefined) => (frame ?? '').replaceAll(/\u001B\[[0-9;]*m/g, '')

function list(color: boolean, props: {width?: number; height?: number; filter?: string} = {}) {
  const overview = overviewOf(statusesOf('busy', 'idle', 'waiting', 'error', 'exited', 'closed', 'lost', 'unknown', 'starting'))
  const {lines} = buildList(overview, props.filter ?? '')
  return render(
    <AgentList
      lines={lines}
      selectedIndex={0}
      height={props.height ?? 20}
      width={props.width ?? 80}
      loaded
      filter={props.filter ?? ''}
      readAt={Date.now()}
      since={new Map()}
      color={color}
    />,
  )
}

describe('AgentList', () => {
  it('draws each status with its symbol and colour, and the selection inverse', () => {
    const frame = list(true).lastFrame() ?? ''
    expect(frame).toContain(`${YELLOW}● `)
    expect(frame).toContain(INVERSE)
    for (const [symbol, status] of [['●', 'busy'], ['○', 'idle'], ['?', 'waiting'], ['✗', 'error'], ['■', 'exited'], ['·', 'closed'], ['!', 'lost'], ['~', 'unknown'], ['…', 'starting']]) {
      expect(unstyled(frame)).toMatch(new RegExp(`\\${symbol} Agent_\\d+ ${status}`))
    }
  })

  it('with NO_COLOR (color false) keeps symbols and the inverse selection but no colour', () => {
    const frame = list(false).lastFrame() ?? ''
    expect(frame).not.toMatch(ANY_COLOR)
    expect(frame).toContain(INVERSE)
    expect(frame).toContain('● Agent_1 busy')
  })

  it('truncates lines to its width instead of wrapping', () => {
    const plain = unstyled(list(false, {width: 24, height: 10}).lastFrame()).split('\n')
    expect(plain).toHaveLength(10)
    for (const line of plain) expect(line.length).toBeLessThanOrEqual(24)
    expect(plain[1]).toMatch(/^› ● Agent_1 busy .*…$/)
  })

  it('scrolls so the selection stays in view', () => {
    const overview = overviewOf(Array.from({length: 30}, (_, index) => agent(`Agent_${index + 1}`)))
    const {lines} = buildList(overview, '')
    const frame = render(<AgentList lines={lines} selectedIndex={25} height={6} width={60} loaded filter="" readAt={0} since={new Map()} color={false} />).lastFrame() ?? ''
    expect(frame.split('\n')).toHaveLength(6)
    expect(frame).toContain('› ○ Agent_26')
    expect(frame).not.toContain('Agent_1 ')
  })

  it('says so when the filter matches nothing, and while the first read runs', () => {
    expect(list(false, {filter: 'nobody'}).lastFrame()).toContain('No agent matches "nobody" (Esc clears the filter).')
    const loading = render(<AgentList lines={[]} selectedIndex={-1} height={3} width={60} loaded={false} filter="" readAt={0} since={new Map()} color={false} />)
    expect(loading.lastFrame()).toContain('Reading agents…')
  })

  it('shows a reply with newlines and escape sequences as one clean line', () => {
    const overview = overviewOf([agent('Agent_1', {lastReply: 'line one\n\u001B[31mred\u001B[0m\tand a tab\u0007'})])
    const frame = render(<AgentList lines={buildList(overview, '').lines} selectedIndex={0} height={3} width={80} loaded filter="" readAt={0} since={new Map()} color={false} />).lastFrame() ?? ''
    expect(unstyled(frame)).toContain('↳ line one red and a tab')
    expect(frame).not.toContain('\u0007')
  })

  it("shows a claude agent's tokens and estimated cost; a program agent shows none", () => {
    const usage = {tokens: {input: 1200, output: 300, cacheRead: 10_000, cacheWrite: 500}, byModel: {}, costUsd: 0.0421, costNote: 'estimate from list prices'}
    const agents: AgentView[] = [{...agent('Agent_1', {kind: 'claude'}), usage}, {...agent('Agent_2'), usage: null}]
    const overview = overviewOf(agents)
    const frame = unstyled(render(<AgentList lines={buildList(overview, '').lines} selectedIndex={0} height={4} width={100} loaded filter="" readAt={0} since={new Map()} color={false} />).lastFrame() ?? '')
    expect(frame).toMatch(/Agent_1 .*12k tok ~\$0\.04/)
    expect(frame).not.toMatch(/Agent_2 .*tok/)
  })
})

describe('Preview', () => {
  it("shows the last lines of the selected agent's screen that fit", () => {
    const screen = {agent: 'api/Agent_1', text: Array.from({length: 20}, (_, index) => `line ${index + 1}`).join('\n'), error: null}
    const frame = unstyled(render(<Preview agent="api/Agent_1" screen={screen} height={4} width={40} />).lastFrame())
    expect(frame.split('\n')).toEqual([`── api/Agent_1 · screen ${'─'.repeat(16)}`, 'line 18', 'line 19', 'line 20'])
  })

  it("says why there is no screen, and does not show another agent's", () => {
    const lost = {agent: 'api/Agent_2', text: null, error: 'no tab (status: lost)'}
    expect(render(<Preview agent="api/Agent_2" screen={lost} height={3} width={60} />).lastFrame()).toContain('No screen to show: no tab (status: lost).')
    const other = {agent: 'api/Agent_1', text: 'secret', error: null}
    const frame = render(<Preview agent="api/Agent_2" screen={other} height={3} width={60} />).lastFrame() ?? ''
    expect(frame).toContain('Reading the screen…')
    expect(frame).not.toContain('secret')
  })
})

describe('Footer and Header', () => {
  const base = {counts: [{status: 'busy' as const, count: 3}, {status: 'waiting' as const, count: 1}, {status: 'lost' as const, count: 1}], position: '2/5', readOnly: false, body: 1, showCounts: true, showHelp: true, width: 100, color: true}

  it('counts statuses in their colours', () => {
    const frame = render(<Footer {...base} mode={{kind: 'browse'}} message={null} />).lastFrame() ?? ''
    expect(unstyled(frame)).toContain('3 busy · 1 waiting · 1 lost   2/5')
    expect(frame).toContain(`${YELLOW}3 busy`)
  })

  it('asks y/N for a destructive action', () => {
    const frame = render(<Footer {...base} mode={{kind: 'confirm', action: actions.remove('api/Agent_2')}} message={null} />).lastFrame() ?? ''
    expect(frame).toContain('Delete api/Agent_2? Its tab is closed and the agent forgotten. [y/N]')
    expect(frame).toContain('y confirms · any other key cancels')
  })

  it('shows an error with its hint, the hint wrapped over the rows it has', () => {
    const hint = 'tmux -S /a/very/long/path/to/the/ccmcp/home/directory/tmux.sock attach -t $1'
    const frame = render(<Footer {...base} width={40} body={3} mode={{kind: 'browse'}} message={{tone: 'info', text: 'To see it, run:', hint}} />).lastFrame() ?? ''
    const plain = unstyled(frame)
    expect(plain.split('\n').slice(2, 4).join('')).toBe(hint)
  })

  it('shows the input being typed, with the cursor', () => {
    const frame = render(<Footer {...base} body={2} mode={{kind: 'input', purpose: 'send', target: 'api/Agent_1', buffer: bufferOf('first\nsecond')}} message={null} />).lastFrame() ?? ''
    expect(frame).toContain('› first')
    expect(frame).toContain(`  second${INVERSE} `)
    expect(frame).toContain('message to api/Agent_1 · ⏎ send · Alt+⏎ or Ctrl-J new line · Esc cancel')
  })

  it('header names the scope, the filter, read-only mode and a failed refresh', () => {
    const frame = unstyled(render(<Header session="api" sessions={1} agents={4} filter="busy" readOnly error="locked" color={false} />).lastFrame())
    expect(frame).toBe('ccmcp watch · session api · 4 agents · filter "busy" · read-only · ✗ refresh failed: locked')
  })
})
