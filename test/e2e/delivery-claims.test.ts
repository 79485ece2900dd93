/**
 * Issue 9 items 3 and 6 on real tmux with the built binary: two `agent send` processes at once to
 * one program agent never interleave, and Ctrl-C of a sender mid-delivery lets the queue drain.
 */
import {execa} from 'execa'
import {readFile} from 'node:fs/promises'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {type Sandbox, binPath, createSandbox, eventually, fakeAgent, hookScript, repoRoot} from '../helpers/cli.js'
import {readFoldedState} from '../helpers/at-rest.js'

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

let box: Sandbox
beforeAll(async () => {
  box = await createSandbox()
  expect((await box.run(['session', 'create', 's', '--root', box.root])).exitCode).toBe(0)
}, 120_000)
afterAll(async () => {
  await box.cleanup()
}, 60_000)

/** Read in this process (spawning `agent list` takes seconds on a loaded machine), folding what the hooks spooled. */
const agentOf = async (name: string) => ((await readFoldedState(box.home)) as Json).agents.find((agent: Json) => agent.name === name) as Json

describe('delivery claims across processes', () => {
  it('two concurrent sends to a program agent arrive as two whole lines (10 tries)', async () => {
    // A wide gap between the text and its Enter, so two unserialised senders overlap every time
    // despite seconds of start-up jitter (before the fix: 3 of 3 tries gave "echo two 1echo one 1").
    expect((await box.run(['config', 'set', 'submitDelayMs', '3000'])).exitCode).toBe(0)
    // The fake agent without a hook script: a program that reports nothing.
    const created = await box.run(['agent', 'create', 's', '--name', 'plain', '--command', `${JSON.stringify(process.execPath)} ${JSON.stringify(fakeAgent)} ${JSON.stringify(box.records)}`, '--json'])
    expect(created.exitCode, created.stderr).toBe(0)
    const prompts = async () =>
      (await readFile(path.join(box.records, 'plain.prompts.jsonl'), 'utf8').catch(() => ''))
        .split('\n')
        .filter(Boolean)
        .map((line) => (JSON.parse(line) as {prompt: string}).prompt)
    await eventually(async () => ((await box.tmux(['capture-pane', '-p', '-t', (created.json as Json).agent.tab.paneId])).stdout.includes('ready') ? true : undefined))
    for (let attempt = 0; attempt < 10; attempt++) {
      const [one, two] = await Promise.all([box.run(['agent', 'send', 's/plain', `echo one ${attempt}`, '--json']), box.run(['agent', 'send', 's/plain', `echo two ${attempt}`, '--json'])])
      expect([one.exitCode, two.exitCode], one.stderr + two.stderr).toEqual([0, 0])
      expect([(one.json as Json).delivery, (two.json as Json).delivery]).toEqual(['sent', 'sent'])
      const lines = await eventually(async () => {
        const seen = await prompts()
        return seen.length >= 2 * (attempt + 1) ? seen : undefined
      })
      expect(lines.slice(-2).sort()).toEqual([`echo one ${attempt}`, `echo two ${attempt}`])
    }
  }, 600_000)

  it('Ctrl-C of a sender mid-delivery releases its claim and the message queued behind it is delivered', async () => {
    const deaf = path.join(repoRoot, 'test', 'fixtures', 'deaf-agent.mjs')
    expect((await box.run(['config', 'set', 'submitDelayMs', '120'])).exitCode).toBe(0)
    expect((await box.run(['config', 'set', 'deliveryTimeoutMs', '20000'])).exitCode).toBe(0)
    const created = await box.run(['agent', 'create', 's', '--name', 'deaf', '--command', `${JSON.stringify(process.execPath)} ${JSON.stringify(deaf)} ${JSON.stringify(box.records)} ${JSON.stringify(hookScript)}`, '--json'])
    expect(created.exitCode, created.stderr).toBe(0)
    // Until its first hook event the agent is a program that reports nothing, and a wait is refused.
    await eventually(async () => ((await agentOf('deaf'))?.lastEventAt ? true : undefined), 30_000)
    expect((await box.run(['agent', 'wait', 's/deaf', '--until', 'idle', '--timeout', '30'])).exitCode).toBe(0)

    const first = execa(process.execPath, [binPath, 'agent', 'send', 's/deaf', 'first message'], {reject: false, env: box.env})
    const claimed = await eventually(async () => ((await agentOf('deaf')).deliveringBy ? await agentOf('deaf') : undefined), 30_000)
    expect(claimed.deliveringBy).toMatch(new RegExp(`^${first.pid}:`))
    const second = await box.run(['agent', 'send', 's/deaf', 'second message', '--json'])
    expect((second.json as Json).delivery).toBe('queued')

    first.kill('SIGINT')
    const ended = await first
    expect(ended.signal ?? ended.exitCode).toMatch(/SIGINT|130/)
    // The claim is gone with the process and a flusher takes "second message" off the queue.
    const drained = await eventually(async () => {
      const agent = await agentOf('deaf')
      return agent.queue.length === 0 ? agent : undefined
    }, 30_000)
    expect(drained.deliveringBy ?? '').not.toMatch(new RegExp(`^${first.pid}:`))
    await eventually(async () => ((await readFile(path.join(box.records, 'deaf.bytes'), 'utf8').catch(() => '')).includes('second message') ? true : undefined), 30_000)
  }, 300_000)
})
