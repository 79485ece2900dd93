/**
 * Issue 11, "Done when": claims that cannot collide, across real processes (the built binary,
 * each acting as a different agent of one session through its environment), and claims freed
 * within one reconciliation when the holder's real tmux tab dies or the agent is deleted.
 */
import {randomUUID} from 'node:crypto'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {createStateStore} from '../../src/core/adapters/stores.js'
import {Agent} from '../../src/core/domain/state.js'
import {type Sandbox, createSandbox} from '../helpers/cli.js'

let box: Sandbox
beforeAll(async () => {
  box = await createSandbox()
})
afterAll(async () => {
  await box.cleanup()
})

interface TaskJson {
  id: string
  status: string
  claimedBy: string | null
  events: Array<{type: string; agent: string | null; reason: string | null; by: string}>
}

/** Records of `count` running program agents of `session`, as `agent create` leaves them (no tabs needed to claim). */
async function agentRecords(session: string, count: number): Promise<Array<{name: string; launchId: string}>> {
  const agents = Array.from({length: count}, (_, index) => ({name: `Agent_${index + 1}`, launchId: randomUUID()}))
  const now = new Date().toISOString()
  await createStateStore(box.home).update((state) => ({
    value: {
      ...state,
      agents: [
        ...state.agents,
        ...agents.map((agent) =>
          Agent.parse({session, name: agent.name, kind: 'command', command: ['sleep', '600'], status: 'unknown', tab: null, conversationId: null, createdAt: now, lastEventAt: null, lastError: null, launchId: agent.launchId}),
        ),
      ],
    },
    result: null,
  }))
  return agents
}

const agentEnv = (session: string, agent: {name: string; launchId: string}) => ({CCMCP_SESSION: session, CCMCP_AGENT: agent.name, CCMCP_LAUNCH_ID: agent.launchId})

describe('claims across processes', () => {
  it('20 agents claim --next at once on 5 ready tasks: exactly 5 win, each task once, 15 hear nothing is ready; 20 rounds', async () => {
    expect((await box.run(['session', 'create', 'race', '--root', box.root])).exitCode).toBe(0)
    const agents = await agentRecords('race', 20)
    for (let round = 0; round < 20; round++) {
      for (let index = 0; index < 5; index++) expect((await box.run(['task', 'create', 'race', `round ${round} task ${index}`])).exitCode).toBe(0)
      const results = await Promise.all(agents.map((agent) => box.spawn(['task', 'claim', '--next', '--json'], {env: agentEnv('race', agent)})))
      const winners = results.filter((result) => result.exitCode === 0)
      const losers = results.filter((result) => result.exitCode !== 0)
      expect(winners, `round ${round}: ${results.map((result) => result.stderr || result.stdout).join('\n')}`).toHaveLength(5)
      const won = winners.map((result) => (result.json as {task: TaskJson}).task)
      const firstId = round * 5 + 1
      expect(won.map((task) => task.id).sort()).toEqual(Array.from({length: 5}, (_, index) => `T-${firstId + index}`).sort())
      for (const loser of losers) {
        expect(loser.exitCode, loser.stderr).toBe(18)
        expect(loser.json).toMatchObject({error: {code: 'NOTHING_READY', message: expect.stringContaining('No task is ready to claim in session "race"')}})
      }
      // Each winner holds exactly the task it was told it won.
      const listed = (await box.run(['task', 'list', 'race', '--json'])).json as {tasks: TaskJson[]}
      for (const task of won) expect(listed.tasks.find((candidate) => candidate.id === task.id)).toMatchObject({status: 'claimed', claimedBy: task.claimedBy})
    }
  }, 900_000)
})

describe('claims of holders that are gone', () => {
  it("killing the holder's tmux tab returns its task to open within one reconciliation; deleting the holder too", async () => {
    expect((await box.run(['session', 'create', 'gone', '--root', box.root, '--no-todo'])).exitCode).toBe(0)
    for (let index = 0; index < 2; index++) expect((await box.run(['agent', 'create', 'gone', '--command', 'sleep 600'])).exitCode).toBe(0)
    const state = await createStateStore(box.home).read()
    const [one, two] = state.agents.filter((agent) => agent.session === 'gone').map((agent) => ({name: agent.name, launchId: agent.launchId ?? '', tab: agent.tab}))
    expect((await box.run(['task', 'create', 'gone', 'first'])).exitCode).toBe(0)
    expect((await box.run(['task', 'create', 'gone', 'second'])).exitCode).toBe(0)
    expect((await box.spawn(['task', 'claim', 'T-1', '--json'], {env: agentEnv('gone', one!)})).exitCode).toBe(0)
    expect((await box.spawn(['task', 'claim', 'T-2', '--json'], {env: agentEnv('gone', two!)})).exitCode).toBe(0)

    const tab = one!.tab
    if (tab?.backend !== 'tmux') throw new Error('expected a tmux tab')
    expect((await box.tmux(['kill-window', '-t', tab.windowId])).exitCode).toBe(0)
    // One reconciling read: the task list itself.
    const listed = (await box.run(['task', 'list', 'gone', '--json'])).json as {tasks: TaskJson[]}
    expect(listed.tasks[0]).toMatchObject({id: 'T-1', status: 'open', claimedBy: null})
    expect(listed.tasks[0]?.events.at(-1)).toMatchObject({type: 'holder-gone', agent: 'Agent_1', by: 'ccmcp (task sweep)', reason: 'Agent_1 is lost'})
    expect(listed.tasks[1]).toMatchObject({status: 'claimed', claimedBy: 'Agent_2'})

    expect((await box.run(['agent', 'delete', 'gone/Agent_2', '--yes'])).exitCode).toBe(0)
    const shown = (await box.run(['task', 'show', 'gone', 'T-2', '--json'])).json as {task: TaskJson}
    expect(shown.task).toMatchObject({status: 'open', claimedBy: null})
    expect(shown.task.events.at(-1)).toMatchObject({type: 'holder-gone', agent: 'Agent_2', reason: 'Agent_2 was deleted'})
  }, 120_000)
})
