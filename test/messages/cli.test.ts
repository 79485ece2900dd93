/**
 * A program agent (`--command`) gets the agent tools through the CLI: `ccmcp` run in its
 * environment acts as that agent, so `agent send` is a peer message, `broadcast` skips itself,
 * `messages` shows its own history, and other sessions are refused (exit 14).
 */
import {afterEach, describe, expect, it} from 'vitest'

import {agentEnvFromPane} from '../helpers/agent-env.js'
import {type Sandbox, createSandbox, eventually} from '../helpers/cli.js'

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

let box: Sandbox | undefined
afterEach(async () => {
  await box?.cleanup()
  box = undefined
})

describe('messages through the CLI', () => {
  it('inside an agent: send to a peer, broadcast, messages; another session refused with exit 14', async () => {
    box = await createSandbox()
    const sandbox = box
    const run = (args: string[], env: Record<string, string> = {}) => sandbox.run([...args, '--json'], {env})
    for (const session of ['s', 'other']) expect((await run(['session', 'create', session, '--root', sandbox.root])).exitCode).toBe(0)
    for (const session of ['s', 's', 'other']) expect((await run(['agent', 'create', session, '--command', sandbox.fakeAgentCommand()])).exitCode).toBe(0)
    const agents = ((await run(['agent', 'list'])).json as Json).agents as Json[]
    expect(agents.some((agent) => agent.session === 's' && agent.name === 'Agent_1')).toBe(true)
    // The agent's own environment, secret included, as its program has it.
    const inside = await agentEnvFromPane((args) => sandbox.tmux(args), 's/Agent_1')

    // The fake agent reports through hooks once it runs (which takes a while on a loaded machine).
    const idle = () => eventually(async () => ((((await run(['agent', 'list'])).json as Json).agents as Json[]).some((agent) => agent.session === 's' && agent.name === 'Agent_2' && agent.status === 'idle') ? true : undefined), 60_000)
    await idle()
    const sent = await run(['agent', 'send', 'Agent_2', 'over to you'], inside)
    expect(sent.exitCode, sent.stderr).toBe(0)
    expect(sent.json).toMatchObject({delivery: 'delivered', agent: {session: 's', name: 'Agent_2'}})

    const refused = await run(['agent', 'send', 'other/Agent_1', 'psst'], inside)
    expect(refused.exitCode).toBe(14)
    expect((refused.json as Json).error).toMatchObject({code: 'FORBIDDEN', message: expect.stringMatching(/limited to session s, and this send_message_to_agent reaches session other/)})

    await idle()
    const all = await run(['broadcast', 's', 'standup'], inside)
    expect(all.exitCode, all.stdout + all.stderr).toBe(0)
    expect((all.json as Json).messages.map((message: Json) => message.to)).toEqual(['s/Agent_2'])
    expect((await run(['broadcast', 'other', 'hi'], inside)).exitCode).toBe(14)

    const mine = (await run(['messages'], inside)).json as Json
    // (The refused send to another session never ran: the audit record has it, the history does not.)
    expect(mine.outbox.map((message: Json) => [message.to, message.state])).toEqual([['Agent_2', 'delivered'], ['Agent_2', 'delivered']])
    const text = await sandbox.run(['messages', 's/Agent_2'])
    expect(text.stdout).toMatch(/s\/Agent_2 inbox:\n.*delivered +from Agent_1: over to you\n.*delivered +from Agent_1: standup\noutbox:\n {2}\(none\)/)
    // The operator must name the session and the agent.
    expect((await run(['messages'])).exitCode).toBe(2)
  }, 120_000)
})
