/** The TUI's pure parts: text for display, the list model, layout, the input buffer, refresh scheduling. */
import {describe, expect, it, vi} from 'vitest'

import {MINUTE_AGE_BEAT_MS, ageSince, agentDetail, formatAge, oneLine, screenLines, statusCounts, timeLeft} from '../../src/tui/display.js'
import {planLayout, scrollStart} from '../../src/tui/layout.js'
import {type RefreshRequest, createRefresher} from '../../src/tui/refresher.js'
import {bufferOf, cursorPosition, deleteBack, deleteToLineStart, insertText, lineEnd, lineStart, moveCursor} from '../../src/tui/text-buffer.js'
import {buildList, resolveSelection, trackSince, viewSignature} from '../../src/tui/view-model.js'
import {agent, overviewOf, statusesOf} from './fake-core.js'

describe('display text', () => {
  it('oneLine drops escape sequences and control characters and folds whitespace', () => {
    expect(oneLine('a\nb\r\n\tc  \u001B[31mred\u001B[0m \u001B]0;title\u0007end\u0000')).toBe('a b c red end')
  })

  it('screenLines expands tabs, drops escapes and trailing blank lines', () => {
    expect(screenLines('ab\tc\r\n\u001B[1mbold\u001B[0m  \n\n\n')).toEqual(['ab      c', 'bold'])
  })

  it('formats ages coarsely', () => {
    expect([0, 59_999, 60_000, 3_599_999, 3_600_000, 86_400_000 * 3, -5].map(formatAge)).toEqual(['0s', '59s', '1m', '59m', '1h', '3d', '0s'])
  })

  it('agentDetail says what matters for each status', () => {
    expect(agentDetail(agent('A', {status: 'waiting', waitingFor: 'permission: Edit'}))).toEqual({text: 'waits for permission: Edit', tone: 'waiting'})
    expect(agentDetail(agent('A', {status: 'error', lastError: 'overloaded\nretry later'}))).toEqual({text: 'overloaded retry later', tone: 'error'})
    expect(agentDetail(agent('A', {status: 'idle', lastReply: 'done'})).text).toBe('↳ done')
    expect(agentDetail(agent('A', {status: 'busy', command: ['aider', '--model', 'x']}))).toEqual({text: 'aider --model x', tone: 'plain'})
    expect(agentDetail(agent('A', {status: 'closed'})).text).toBe('conversation cleared · n starts a new one')
  })

  it('counts statuses, what needs attention first', () => {
    expect(statusCounts(statusesOf('idle', 'lost', 'busy', 'busy', 'waiting'))).toEqual([
      {status: 'busy', count: 2},
      {status: 'waiting', count: 1},
      {status: 'lost', count: 1},
      {status: 'idle', count: 1},
    ])
  })
})

describe('list model', () => {
  const overview = overviewOf([agent('Agent_1'), agent('Agent_2', {status: 'busy'}), agent('Agent_1', {session: 'web', status: 'lost'})], ['api', 'web', 'docs'])

  it('groups agents under their sessions; a session without agents gets a selectable placeholder', () => {
    const {items, lines} = buildList(overview, '')
    expect(items.map((item) => item.key)).toEqual(['api/Agent_1', 'api/Agent_2', 'web/Agent_1', 'docs/'])
    expect(lines.map((line) => (line.kind === 'session' ? `[${line.session.name}]` : line.item.key))).toEqual(['[api]', 'api/Agent_1', 'api/Agent_2', '[web]', 'web/Agent_1', '[docs]', 'docs/'])
  })

  it('filters by session/name and status, case-insensitively, hiding empty sessions', () => {
    expect(buildList(overview, 'LOST').items.map((item) => item.key)).toEqual(['web/Agent_1'])
    expect(buildList(overview, 'api/').items.map((item) => item.key)).toEqual(['api/Agent_1', 'api/Agent_2'])
    expect(buildList(overview, 'nothing').lines).toEqual([])
  })

  it('keeps the selection on its item, or the nearest place when it is gone', () => {
    const {items} = buildList(overview, '')
    expect(resolveSelection(items, {key: 'web/Agent_1', index: 0})).toBe(2)
    expect(resolveSelection(items, {key: 'api/Agent_9', index: 9})).toBe(3)
    expect(resolveSelection([], {key: null, index: 0})).toBe(-1)
  })

  it('signs what a frame would show: a later read with the same data and the same displayed ages is equal', () => {
    const data = (readAt: number, status: 'idle' | 'busy' = 'idle') => {
      const agents = [agent('A', {status, lastEventAt: new Date(0).toISOString()})]
      return {overview: overviewOf(agents), screen: null, error: null, readAt, since: trackSince(new Map(), agents, readAt)}
    }
    expect(viewSignature(data(61_000))).toBe(viewSignature(data(119_000)))
    expect(viewSignature(data(61_000))).not.toBe(viewSignature(data(120_000)))
    expect(viewSignature(data(61_000))).not.toBe(viewSignature(data(61_000, 'busy')))
    expect(viewSignature({...data(61_000), error: new Error('x')})).not.toBe(viewSignature(data(61_000)))
  })

  it('minute ages move on a 10 s beat: 100 agents crossing minutes at their own seconds redraw at most once a beat, not once a second', () => {
    // Defect: every agent crossed its minutes at its own second, so an idle watch of 100 agents redrew the whole frame about once a second.
    const agents = Array.from({length: 100}, (_, index) => agent(`A${index}`, {lastEventAt: new Date(index * 600).toISOString()}))
    const since = trackSince(new Map(), agents, 60_000)
    const signatures = new Set<string>()
    let changes = 0
    let previous = ''
    for (let readAt = 120_000; readAt < 180_000; readAt += 1000) {
      const signature = viewSignature({overview: overviewOf(agents), screen: null, error: null, readAt, since})
      if (signature !== previous) changes++
      previous = signature
      signatures.add(signature)
    }
    // The first read, then one change a beat (a minute of reads): 7, where every second made one (61).
    expect(changes).toBeLessThanOrEqual(7)
    expect(signatures.size).toBeGreaterThan(1)
  })

  it('a shown age is exact under a minute, late by under a beat after it, and a time left never shows more than is left', () => {
    expect(ageSince(0, 59_999)).toBe('59s')
    expect(ageSince(0, 1_000)).toBe('1s')
    const from = 3_333
    for (let readAt = from + 60_000; readAt < 400_000; readAt += 700) {
      const shownMinutes = Number(ageSince(from, readAt).replace('m', ''))
      const exactMinutes = Math.floor((readAt - from) / 60_000)
      expect(shownMinutes).toBeLessThanOrEqual(exactMinutes)
      expect(shownMinutes).toBeGreaterThanOrEqual(Math.max(1, Math.floor((readAt - from - MINUTE_AGE_BEAT_MS) / 60_000)))
      const left = timeLeft(readAt + from + 60_000, readAt)
      expect(Number(left?.replace('m', ''))).toBeLessThanOrEqual(Math.floor((from + 60_000) / 60_000))
    }
    expect(timeLeft(10_000, 10_000)).toBeNull()
    expect(timeLeft(10_001, 10_000)).toBe('0s')
    expect(timeLeft(75_000, 10_000)).toBe('1m')
  })

  it('tracks when each agent entered its status', () => {
    const first = trackSince(new Map(), [agent('A', {status: 'busy', lastEventAt: new Date(1_000).toISOString()})], 5_000)
    expect(first.get('api/A')).toEqual({status: 'busy', since: 1_000})
    expect(trackSince(first, [agent('A', {status: 'busy'})], 9_000).get('api/A')?.since).toBe(1_000)
    expect(trackSince(first, [agent('A', {status: 'idle'})], 9_000).get('api/A')).toEqual({status: 'idle', since: 9_000})
    expect(trackSince(first, [], 9_000).size).toBe(0)
  })
})

describe('layout', () => {
  it('shares the rows, always one fewer than the terminal has', () => {
    const plan = planLayout(40, 1)
    expect(1 + plan.list + plan.preview + plan.body + (plan.counts ? 1 : 0) + (plan.help ? 1 : 0)).toBe(39)
    expect(plan.preview).toBeGreaterThan(0)
  })

  it('drops the preview, then the help, then the counts on small terminals', () => {
    expect(planLayout(16, 1)).toEqual({list: 11, preview: 0, body: 1, counts: true, help: true})
    expect(planLayout(5, 1)).toEqual({list: 1, preview: 0, body: 1, counts: true, help: false})
    expect(planLayout(4, 1)).toEqual({list: 1, preview: 0, body: 1, counts: false, help: false})
    expect(planLayout(3, 3)).toEqual({list: 1, preview: 0, body: 0, counts: false, help: false})
  })

  it('scrolls only when needed and keeps the selection a third from the top', () => {
    expect(scrollStart(5, 10, 4)).toBe(0)
    expect(scrollStart(100, 9, 50)).toBe(47)
    expect(scrollStart(100, 9, 99)).toBe(91)
  })
})

describe('text buffer', () => {
  it('edits at the cursor across lines', () => {
    let buffer = insertText(bufferOf('hello'), '\nworld')
    buffer = moveCursor(lineStart(buffer), -1)
    expect(cursorPosition(buffer)).toEqual({lines: ['hello', 'world'], line: 0, column: 5})
    buffer = insertText(deleteBack(buffer), 'p!')
    expect(buffer.text).toBe('hellp!\nworld')
    buffer = lineEnd(moveCursor(buffer, 1))
    expect(deleteToLineStart(buffer)).toEqual({text: 'hellp!\n', cursor: 7})
  })

  it('treats a surrogate pair as one character', () => {
    const buffer = bufferOf('a😀')
    expect(deleteBack(buffer).text).toBe('a')
    expect(moveCursor(buffer, -1).cursor).toBe(1)
  })
})

describe('refresher', () => {
  it('never reads twice at once, and merges requests made meanwhile into one follow-up', async () => {
    const seen: RefreshRequest[] = []
    let release: () => void = () => undefined
    let running = 0
    const refresher = createRefresher(60_000, async (request) => {
      running++
      expect(running).toBe(1)
      seen.push(request)
      await new Promise<void>((resolve) => {
        release = resolve
      })
      running--
    })
    refresher.request('state')
    refresher.request('state')
    refresher.request('screen')
    refresher.request('state')
    release()
    await new Promise((resolve) => setTimeout(resolve, 5))
    release()
    await new Promise((resolve) => setTimeout(resolve, 5))
    refresher.stop()
    expect(seen).toEqual([
      {live: false, screen: false},
      {live: false, screen: true},
    ])
  })

  it('reads live once per interval, counting from the end of the last live read', async () => {
    vi.useFakeTimers()
    try {
      const starts: number[] = []
      const refresher = createRefresher(40, async (request) => {
        if (request.live) starts.push(Date.now())
        await new Promise((resolve) => setTimeout(resolve, 30))
      })
      const t0 = Date.now()
      refresher.start({immediate: true})
      await vi.advanceTimersByTimeAsync(300)
      refresher.stop()
      await vi.advanceTimersByTimeAsync(300)
      // A read takes 30 ms and the next starts 40 ms after it ends: at 0, 70, 140, 210, 280.
      expect(starts.map((at) => at - t0)).toEqual([0, 70, 140, 210, 280])
    } finally {
      vi.useRealTimers()
    }
  })

  it('with data already there, reads only the screen first and goes live after one interval', async () => {
    vi.useFakeTimers()
    try {
      const seen: RefreshRequest[] = []
      const refresher = createRefresher(1_000, async (request) => {
        seen.push(request)
      })
      refresher.start({immediate: false})
      await vi.advanceTimersByTimeAsync(999)
      expect(seen).toEqual([{live: false, screen: true}])
      await vi.advanceTimersByTimeAsync(1)
      expect(seen).toEqual([{live: false, screen: true}, {live: true, screen: true}])
      refresher.stop()
    } finally {
      vi.useRealTimers()
    }
  })
})
