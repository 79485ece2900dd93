/**
 * Issue 2's "done when", run as a user would: the built binary, a real private tmux server,
 * real agent processes (the byte-recording fake agent) reporting status through the hook.
 */
import {existsSync} from 'node:fs'
import {readFile, readdir} from 'node:fs/promises'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {type Sandbox, createSandbox, eventually} from '../helpers/cli.js'
import {HOSTILE_MESSAGES} from '../helpers/hostile.js'
import {readStoreFile} from '../helpers/at-rest.js'

let box: Sandbox
beforeAll(async () => {
  box = await createSandbox()
})
afterAll(async () => {
  await box.cleanup()
})

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

async function prompts(agent: string): Promise<string[]> {
  const text = await readFile(path.join(box.records, `${agent}.prompts.jsonl`), 'utf8').catch(() => '')
  return text.split('\n').filter(Boolean).map((line) => JSON.parse(line).prompt)
}

describe('ccmcp CLI with real tmux and real agent processes', () => {
  it('session → 3 agents → hostile messages byte-exact → status → clear → delete leaves nothing', async () => {
    const created = await box.run(['session', 'create', 'flow', '--root', box.root, '--json'])
    expect(created.exitCode).toBe(0)
    expect((created.json as Json).session).toMatchObject({name: 'flow', backend: 'tmux'})

    const names: string[] = []
    for (let index = 0; index < 3; index++) {
      const agent = await box.run(['agent', 'create', 'flow', '--command', box.fakeAgentCommand(), '--json'])
      expect(agent.exitCode, agent.stderr).toBe(0)
      names.push((agent.json as Json).agent.name)
    }
    expect(names).toEqual(['Agent_1', 'Agent_2', 'Agent_3'])
    // Each fake agent reports SessionStart through the hook entry point → idle.
    await eventually(async () => {
      const status = (await box.run(['session', 'status', 'flow', '--json'])).json as Json
      return status.agents.every((agent: Json) => agent.status === 'idle') ? true : undefined
    })

    // One CLI process per message, agents in parallel (each agent's messages in order).
    await Promise.all(names.map(async (name) => {
      for (const message of HOSTILE_MESSAGES) {
        // `--` ends the flags, so a message may start with a dash.
        const sent = await box.run(['agent', 'send', '--json', `flow/${name}`, '--', message])
        expect(sent.exitCode, sent.stderr).toBe(0)
        // The fake agent reports UserPromptSubmit, so delivery is confirmed (or queued while it is mid-turn).
        expect(['delivered', 'queued']).toContain((sent.json as Json).delivery)
        // Let the turn end before the next message (delivered directly), except after the last:
        // Agent_2's stdin message below then finds it mid-turn and goes through its queue.
        if (message !== HOSTILE_MESSAGES.at(-1)) expect((await box.run(['agent', 'wait', `flow/${name}`, '--timeout', '120'])).exitCode).toBe(0)
      }
    }))
    // A message from stdin ("-"), multi-line, with a trailing newline trimmed once.
    expect((await box.run(['agent', 'send', 'Agent_2', '-'], {input: 'from stdin;\nsecond line\n'})).exitCode).toBe(0)

    for (const name of names) {
      const expected = name === 'Agent_2' ? [...HOSTILE_MESSAGES, 'from stdin;\nsecond line'] : HOSTILE_MESSAGES
      expect(await eventually(async () => {
        const got = await prompts(name)
        return got.length === expected.length ? got : undefined
        // Messages sent while an agent was mid-turn drain from its queue one turn at a time.
      }, 120_000)).toEqual(expected)
      const bytes = await readFile(path.join(box.records, `${name}.bytes`))
      const wanted = Buffer.concat(expected.map((message) => Buffer.from(message.includes('\n') ? `\u001B[200~${message}\u001B[201~\r` : `${message}\r`)))
      expect(bytes.equals(wanted), `${name} received exactly what was sent`).toBe(true)
    }
    expect(existsSync('/tmp/ccmcp-pwned') || existsSync('/tmp/ccmcp-redirect')).toBe(false)

    // The fake agent records a prompt before its hooks report the turn (busy, then idle with the reply).
    const json = await eventually(async () => {
      const status = await box.run(['session', 'status', 'flow', '--json'])
      expect(status.exitCode).toBe(0)
      const current = status.json as Json
      return current.agents.every((agent: Json) => agent.status === 'idle') && current.agents[1].lastReply === 'echo: from stdin;\nsecond line' ? current : undefined
    }, 60_000)
    expect(json.session.name).toBe('flow')
    expect(json.agents.map((agent: Json) => [agent.name, agent.status])).toEqual(names.map((name) => [name, 'idle']))
    expect(json.agents[1].lastReply).toBe('echo: from stdin;\nsecond line')

    const read = await box.run(['agent', 'read', 'flow/Agent_1', '--lines', '3', '--json'])
    expect((read.json as Json).screen.split('\n').length).toBeLessThanOrEqual(3)

    const windowsBefore = (await box.tmux(['list-windows', '-a', '-F', '#{window_id}'])).stdout.split('\n').filter(Boolean)
    expect(windowsBefore).toHaveLength(3)
    const cleared = await box.run(['agent', 'clear', 'flow/Agent_3', '--json'])
    expect((cleared.json as Json).agent).toMatchObject({status: 'closed', tab: null})
    expect((await box.tmux(['list-windows', '-a', '-F', '#{window_id}'])).stdout.split('\n').filter(Boolean)).toHaveLength(2)

    const refused = await box.run(['session', 'delete', 'flow'])
    expect(refused.exitCode).toBe(10)
    expect(refused.stderr).toMatch(/--yes/)
    expect(((await box.run(['session', 'list', '--json'])).json as Json).sessions).toHaveLength(1)

    const deleted = await box.run(['session', 'delete', 'flow', '--yes', '--json'])
    expect(deleted.exitCode).toBe(0)
    expect((deleted.json as Json).deleted.agents).toEqual(names)
    const panes = await box.tmux(['list-panes', '-a'])
    expect(panes.stdout).toBe('')
    expect(await readStoreFile(box.home)).toEqual({schemaVersion: 1, sessions: [], agents: []})
    expect(await readdir(path.join(box.home, 'events', 'flow')).catch(() => [])).toEqual([])
  }, 180_000)

  it('new-conversation brings a cleared agent back in a fresh tab', async () => {
    await box.run(['session', 'create', 'again', '--root', box.root])
    await box.run(['agent', 'create', 'again', '--command', box.fakeAgentCommand(), '--name', 'worker'])
    await box.run(['agent', 'clear', 'again/worker'])
    const fresh = await box.run(['agent', 'new-conversation', 'again/worker', '--json'])
    expect(fresh.exitCode, fresh.stderr).toBe(0)
    await eventually(async () => (((await box.run(['agent', 'list', '--session', 'again', '--json'])).json as Json).agents[0].status === 'idle' ? true : undefined))
    expect((await box.run(['agent', 'delete', 'again/worker', '--yes'])).exitCode).toBe(0)
    expect((await box.run(['session', 'delete', 'again', '--yes'])).exitCode).toBe(0)
  }, 60_000)

  it('an agent that ends itself is exited; a killed terminal server makes agents lost', async () => {
    await box.run(['session', 'create', 'life', '--root', box.root])
    await box.run(['agent', 'create', 'life', '--command', 'sh -c "sleep 2; exit 4"'])
    await box.run(['agent', 'create', 'life', '--command', 'sleep 600'])
    const exited = await eventually(async () => {
      const agents = ((await box.run(['agent', 'list', '--session', 'life', '--json'])).json as Json).agents
      return agents[0].status === 'exited' ? agents : undefined
    })
    // tmux records the status a moment after the pane is dead (rarely never): once it has it, it is 4.
    const withStatus = await eventually(async () => {
      const agents = ((await box.run(['agent', 'list', '--session', 'life', '--json'])).json as Json).agents
      return agents[0].lastError ? agents : undefined
    }, 5000).catch(() => exited)
    expect([null, 'exited with status 4']).toContain(withStatus[0].lastError)
    expect(exited[1].status).toBe('unknown')
    await box.tmux(['kill-server'])
    const agents = ((await box.run(['agent', 'list', '--session', 'life', '--json'])).json as Json).agents
    expect(agents.map((agent: Json) => agent.status)).toEqual(['exited', 'lost'])
    const send = await box.run(['agent', 'send', 'life/Agent_2', 'hello', '--json'])
    expect(send.exitCode).toBe(11)
    expect((send.json as Json).error.code).toBe('AGENT_NOT_RUNNING')
    await box.run(['session', 'delete', 'life', '--yes'])
  }, 60_000)
})
