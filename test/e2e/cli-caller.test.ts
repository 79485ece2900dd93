/**
 * The built CLI run inside an agent's environment acts as that agent, and only with the agent's
 * current launch id (issue 10 item 1): the real hook path (bin/hook.js from the fake agent, with
 * the environment ccmcp gave it) is accepted, a forged launch id is refused with FORBIDDEN and
 * changes nothing.
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {EXIT_CODES} from '../../src/core/domain/errors.js'
import {type Sandbox, createSandbox} from '../helpers/cli.js'
import {readStoreFile} from '../helpers/at-rest.js'

let box: Sandbox
beforeAll(async () => {
  box = await createSandbox()
})
afterAll(async () => {
  await box.cleanup()
})

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

describe('the CLI as an agent', () => {
  it('acts as the agent with its launch id, and refuses a forged one', async () => {
    expect((await box.run(['session', 'create', 'demo', '--root', box.root])).exitCode).toBe(0)
    expect((await box.run(['agent', 'create', 'demo', '--command', box.fakeAgentCommand()])).exitCode).toBe(0)
    // The fake agent's SessionStart went through bin/hook.js as the agent: accepted, so it becomes idle.
    expect((await box.run(['agent', 'wait', 'demo/Agent_1', '--timeout', '30'])).exitCode).toBe(0)
    const state = (await readStoreFile(box.home)) as {agents: Array<{launchId: string}>}
    const identity = {CCMCP_SESSION: 'demo', CCMCP_AGENT: 'Agent_1', CCMCP_LAUNCH_ID: state.agents[0]?.launchId ?? ''}

    const asAgent = await box.run(['session', 'list', '--json'], {env: identity})
    expect(asAgent.exitCode).toBe(0)

    const forged = await box.run(['session', 'create', 'stolen', '--root', box.root, '--json'], {env: {...identity, CCMCP_LAUNCH_ID: 'forged'}})
    expect(forged.exitCode).toBe(EXIT_CODES.FORBIDDEN)
    expect((forged.json as Json).error).toMatchObject({code: 'FORBIDDEN', message: expect.stringMatching(/^Acting as agent demo\/Agent_1 was refused/)})
    expect(((await box.run(['session', 'list', '--json'])).json as Json).sessions.map((session: Json) => session.name)).toEqual(['demo'])
  }, 180_000)
})
