/** 20 `ccmcp agent create` processes (the built binary: real processes racing for the lock) at once on one session: 20 agents, unique names, nothing lost. */
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {type Sandbox, createSandbox} from '../helpers/cli.js'

let box: Sandbox
beforeAll(async () => {
  box = await createSandbox()
})
afterAll(async () => {
  await box.cleanup()
})

describe('concurrent agent creation', () => {
  it('20 processes → 20 agents with unique names and 20 windows', async () => {
    expect((await box.run(['session', 'create', 'race', '--root', box.root])).exitCode).toBe(0)
    const results = await Promise.all(
      Array.from({length: 20}, () => box.spawn(['agent', 'create', 'race', '--command', 'sleep 600', '--max-agents', '20', '--json'])),
    )
    for (const result of results) expect(result.exitCode, result.stderr).toBe(0)
    const names = results.map((result) => (result.json as {agent: {name: string}}).agent.name)
    expect(new Set(names).size).toBe(20)
    expect([...names].sort((a, b) => Number(a.slice(6)) - Number(b.slice(6)))).toEqual(Array.from({length: 20}, (_, index) => `Agent_${index + 1}`))
    const listed = (await box.run(['agent', 'list', '--session', 'race', '--json'])).json as {agents: Array<{name: string; status: string}>}
    expect(listed.agents).toHaveLength(20)
    expect(listed.agents.every((agent) => agent.status === 'unknown')).toBe(true)
    const windows = (await box.tmux(['list-windows', '-a', '-F', '#{window_id}'])).stdout.split('\n').filter(Boolean)
    expect(windows).toHaveLength(20)
    expect((await box.run(['session', 'delete', 'race', '--yes'])).exitCode).toBe(0)
  }, 120_000)
})
