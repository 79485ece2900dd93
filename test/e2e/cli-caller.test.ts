/**
 * The built CLI run inside an agent's environment acts as that agent, and only with the agent's
 * current secret (issue 10 item 1, issue 12 item 3): the real hook path (bin/hook.js from the
 * fake agent, with the environment ccmcp gave it) is accepted; the launch id anyone can read off
 * the tab, without the secret or with a forged one, is refused with FORBIDDEN and changes nothing.
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {EXIT_CODES} from '../../src/core/domain/errors.js'
import {type Sandbox, createSandbox, eventually} from '../helpers/cli.js'
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
  it('acts as the agent with its secret, and refuses the launch id alone or a forged secret', async () => {
    expect((await box.run(['session', 'create', 'demo', '--root', box.root])).exitCode).toBe(0)
    expect((await box.run(['agent', 'create', 'demo', '--command', box.fakeAgentCommand()])).exitCode).toBe(0)
    // The fake agent's SessionStart went through bin/hook.js as the agent: accepted, so it becomes idle.
    // (Polled, not `agent wait`: on a loaded machine the first hook can come after the 5 s in which
    // wait decides whether a program reports at all.)
    await eventually(async () => ((((await box.run(['agent', 'list', '--json'])).json as Json).agents[0]?.status === 'idle') ? true : undefined), 60_000)
    // What any process of the same user can read: the launch id on the tab. It names the launch, it proves nothing.
    const shown = await box.tmux(['list-panes', '-a', '-F', '#{@ccmcp_launch}'])
    const state = (await readStoreFile(box.home)) as {agents: Array<{launchId: string}>}
    expect(shown.stdout.trim()).toBe(state.agents[0]?.launchId)
    const identity = {CCMCP_SESSION: 'demo', CCMCP_AGENT: 'Agent_1', CCMCP_LAUNCH_ID: shown.stdout.trim()}

    for (const secret of [undefined, 'forged']) {
      const forged = await box.run(['session', 'status', 'demo', '--json'], {env: secret === undefined ? identity : {...identity, CCMCP_AGENT_SECRET: secret}})
      expect(forged.exitCode).toBe(EXIT_CODES.FORBIDDEN)
      expect((forged.json as Json).error).toMatchObject({code: 'FORBIDDEN', message: expect.stringMatching(/^Acting as agent demo\/Agent_1 was refused/)})
    }
    expect(((await box.run(['session', 'list', '--json'])).json as Json).sessions.map((session: Json) => session.name)).toEqual(['demo'])
  }, 180_000)
})
