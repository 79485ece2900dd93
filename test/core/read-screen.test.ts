/** Issue 9 item 24: `agent read` of a full-screen program shows its content, not its empty rows. */
import {readFileSync} from 'node:fs'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {type Harness, createHarness} from '../helpers/core-harness.js'

const claudeReady = readFileSync(new URL('../claude/fixtures/2.1.330/ready-manual.txt', import.meta.url), 'utf8')

let h: Harness
beforeEach(async () => {
  h = await createHarness()
  await h.core.run('create_session', {name: 's', root: h.root})
})
afterEach(async () => {
  await h.cleanup()
})

describe('read_agent_screen', () => {
  it("of Claude Code's real ready screen (banner, 40 empty rows, prompt box): the last lines are content", async () => {
    await h.core.run('create_agent', {session: 's', command: 'prog'})
    const tab = h.backend.tabOf('s/Agent_1')
    if (!tab) throw new Error('no tab')
    tab.screen = `${claudeReady}\n\n   \n`
    const {screen} = await h.core.run('read_agent_screen', {agent: 's/Agent_1', lines: 10})
    const lines = screen.split('\n')
    expect(lines.length).toBeLessThanOrEqual(10)
    expect(lines.filter((line) => line === '').length).toBeLessThanOrEqual(2)
    expect(screen).toMatch(/trusted/)
    expect(screen).toMatch(/manual mode on/)
  })
})
