/**
 * Issue 9 item 8 through the real SDK client: a waiting tool sends notifications/progress (status
 * and time in it) at least every 10 s when the client asked for progress, and nothing otherwise.
 */
import type {Progress} from '@modelcontextprotocol/sdk/types.js'
import {afterEach, expect, it} from 'vitest'

import {fastClock, simulateClaude} from '../helpers/core-harness.js'
import {ManualClock} from '../helpers/manual-clock.js'
import {type McpHarness, connectInMemory, errorCodeOf} from '../helpers/mcp.js'

let h: McpHarness
afterEach(async () => {
  h.deps.ports.clock = fastClock
  await h.close()
})

async function busyAgent(): Promise<ManualClock> {
  h = await connectInMemory()
  simulateClaude(h)
  await h.core.run('create_session', {name: 's', root: h.root})
  await h.core.run('create_agent', {session: 's'})
  await h.deps.ports.state.update((state) => ({value: {...state, agents: state.agents.map((agent) => ({...agent, status: 'busy' as const}))}, result: undefined}))
  const clock = new ManualClock(Date.now())
  h.deps.ports.clock = clock
  return clock
}

it('wait_for_agent reports progress every ≤ 10 s with the status and how long it has lasted', async () => {
  const clock = await busyAgent()
  const seen: Array<{at: number; progress: Progress}> = []
  const started = clock.now().getTime()
  const call = h.client.callTool({name: 'wait_for_agent', arguments: {agent: 's/Agent_1', until: 'idle', timeoutSeconds: 40}}, undefined, {
    onprogress: (progress) => seen.push({at: clock.now().getTime() - started, progress}),
  })
  const result = await clock.runUntil(call)
  expect(errorCodeOf(result as never)).toBe('TIMEOUT')
  expect(seen.length).toBeGreaterThanOrEqual(4)
  expect(seen.map((entry) => entry.progress.progress)).toEqual(seen.map((_, index) => index + 1))
  expect(seen[0]?.progress.message).toMatch(/^s\/Agent_1 busy for \d+ s; waiting to reach idle/)
  const gaps = seen.map((entry, index) => entry.at - (seen[index - 1]?.at ?? 0))
  expect(Math.max(...gaps)).toBeLessThanOrEqual(10_000)
})

it('no progressToken, no notifications', async () => {
  const clock = await busyAgent()
  let notified = 0
  h.client.setNotificationHandler((await import('@modelcontextprotocol/sdk/types.js')).ProgressNotificationSchema, () => {
    notified++
  })
  const result = await clock.runUntil(h.client.callTool({name: 'wait_for_agent', arguments: {agent: 's/Agent_1', until: 'idle', timeoutSeconds: 20}}))
  expect(errorCodeOf(result as never)).toBe('TIMEOUT')
  expect(notified).toBe(0)
})
