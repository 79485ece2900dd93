/**
 * Issue 11, "Done when": claims that cannot collide, across real processes (the built binary,
 * each acting as a different agent of one session through its environment), and claims freed
 * within one reconciliation when the holder's real tmux tab dies or the agent is deleted.
 */
import {randomUUID} from 'node:crypto'
import path from 'node:path'

import {execa} from 'execa'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {createStateStore} from '../../src/core/adapters/stores.js'
import {atRest} from '../../src/core/adapters/at-rest.js'
import {Agent} from '../../src/core/domain/state.js'
import {secretDigest} from '../../src/core/pipeline/caller.js'
import {agentEnvFromPane} from '../helpers/agent-env.js'
import {type Sandbox, binPath, createSandbox, repoRoot} from '../helpers/cli.js'

const claimerScript = path.join(repoRoot, 'test', 'fixtures', 'task-claimer.mjs')

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
async function agentRecords(session: string, count: number): Promise<Array<{name: string; launchId: string; secret: string}>> {
  // Each with the per-launch secret its environment would carry; state keeps only the digest.
  const agents = Array.from({length: count}, (_, index) => ({name: `Agent_${index + 1}`, launchId: randomUUID(), secret: randomUUID()}))
  const now = new Date().toISOString()
  await stateOf(box.home).update((state) => ({
    value: {
      ...state,
      agents: [
        ...state.agents,
        ...agents.map((agent) =>
          Agent.parse({session, name: agent.name, kind: 'command', command: ['sleep', '600'], status: 'unknown', tab: null, conversationId: null, createdAt: now, lastEventAt: null, lastError: null, launchId: agent.launchId, secretDigest: secretDigest(agent.secret)}),
        ),
      ],
    },
    result: null,
  }))
  return agents
}

/** The home's state as its processes keep it: encrypted with the home's key. */
const stateOf = (home: string) => createStateStore(home, undefined, {codec: atRest({env: {}, home}).codec})

const agentEnv = (session: string, agent: {name: string; launchId: string; secret: string}) => ({CCMCP_SESSION: session, CCMCP_AGENT: agent.name, CCMCP_LAUNCH_ID: agent.launchId, CCMCP_AGENT_SECRET: agent.secret})

describe('claims across processes', () => {
  it('20 agents run `ccmcp task claim --next` at once on 5 ready tasks: exactly 5 win, each task once, 15 exit 18 NOTHING_READY', async () => {
    expect((await box.run(['session', 'create', 'race', '--root', box.root])).exitCode).toBe(0)
    const agents = await agentRecords('race', 20)
    for (let index = 0; index < 5; index++) expect((await box.run(['task', 'create', 'race', `task ${index}`])).exitCode).toBe(0)
    // The machine may be loaded: 20 Node start-ups at once get all the time they need.
    const results = await Promise.all(agents.map((agent) => execa(process.execPath, [binPath, 'task', 'claim', '--next', '--json'], {reject: false, stdin: 'ignore', env: {...box.env, ...agentEnv('race', agent)}, timeout: 600_000})))
    const outcomes = results.map((result) => ({exitCode: result.exitCode, json: JSON.parse(result.stdout) as {task?: TaskJson; error?: {code: string; message: string}}}))
    expectFiveWinners(outcomes.map((outcome) => outcome.json), 1)
    for (const outcome of outcomes) expect(outcome.exitCode).toBe(outcome.json.task ? 0 : 18)
    expect(outcomes.find((outcome) => outcome.json.error)?.json.error?.message).toMatch(/^No task is ready to claim in session "race": 5 claimed, 0 blocked, 0 done, 0 cancelled\. Nothing was changed\.$/)
  }, 900_000)

  it('the same race 20 times over: 20 agent processes, 5 new tasks a round, exactly 5 winners each round', async () => {
    expect((await box.run(['session', 'create', 'rounds', '--root', box.root, '--no-todo'])).exitCode).toBe(0)
    const agents = await agentRecords('rounds', 20)
    const claimers = agents.map((agent) => startClaimer(agentEnv('rounds', agent)))
    try {
      await Promise.all(claimers.map((claimer) => claimer.next()))
      for (let round = 0; round < 20; round++) {
        for (let index = 0; index < 5; index++) expect((await box.run(['task', 'create', 'rounds', `round ${round} task ${index}`])).exitCode).toBe(0)
        const answers = await Promise.all(claimers.map((claimer) => claimer.claim()))
        expectFiveWinners(answers.map((answer) => JSON.parse(answer) as {task?: TaskJson; error?: {code: string}}), round * 5 + 1)
      }
      const listed = (await box.run(['task', 'list', 'rounds', '--json'])).json as {tasks: TaskJson[]}
      expect(listed.tasks).toHaveLength(100)
      expect(listed.tasks.every((task) => task.status === 'claimed' && task.events.filter((event) => event.type === 'claimed').length === 1)).toBe(true)
    } finally {
      for (const claimer of claimers) claimer.stop()
    }
  }, 900_000)
})

function expectFiveWinners(answers: Array<{task?: TaskJson; error?: {code: string}}>, firstId: number): void {
  const won = answers.flatMap((answer) => (answer.task ? [answer.task] : []))
  expect(won.map((task) => task.id).sort(), JSON.stringify(answers.filter((answer) => !answer.task && answer.error?.code !== 'NOTHING_READY'))).toEqual(Array.from({length: 5}, (_, index) => `T-${firstId + index}`).sort())
  expect(new Set(won.map((task) => task.claimedBy)).size).toBe(5)
  expect(answers.filter((answer) => answer.error?.code === 'NOTHING_READY')).toHaveLength(15)
}

/** A claimer process (test/fixtures/task-claimer.mjs): each claim() makes it claim the next task once. */
function startClaimer(env: Record<string, string>) {
  const child = execa(process.execPath, [claimerScript], {env: {...box.env, ...env}, stdin: 'pipe', reject: false})
  const lines: string[] = []
  const waiting: Array<(line: string) => void> = []
  let buffer = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    buffer += chunk.toString()
    for (let newline = buffer.indexOf('\n'); newline >= 0; newline = buffer.indexOf('\n')) {
      const line = buffer.slice(0, newline)
      buffer = buffer.slice(newline + 1)
      const waiter = waiting.shift()
      if (waiter) waiter(line)
      else lines.push(line)
    }
  })
  const next = () => new Promise<string>((resolve) => (lines.length > 0 ? resolve(lines.shift()!) : waiting.push(resolve)))
  return {
    next,
    claim() {
      child.stdin?.write('claim\n')
      return next()
    },
    stop: () => child.kill(),
  }
}

describe('claims of holders that are gone', () => {
  it("killing the holder's tmux tab returns its task to open within one reconciliation; deleting the holder too", async () => {
    expect((await box.run(['session', 'create', 'gone', '--root', box.root, '--no-todo'])).exitCode).toBe(0)
    for (let index = 0; index < 2; index++) expect((await box.run(['agent', 'create', 'gone', '--command', 'sleep 600'])).exitCode).toBe(0)
    const state = await stateOf(box.home).read()
    const [one, two] = state.agents.filter((agent) => agent.session === 'gone').map((agent) => ({name: agent.name, launchId: agent.launchId ?? '', tab: agent.tab}))
    expect((await box.run(['task', 'create', 'gone', 'first'])).exitCode).toBe(0)
    expect((await box.run(['task', 'create', 'gone', 'second'])).exitCode).toBe(0)
    // Each claims from its own environment (secret included), as its program would.
    expect((await box.spawn(['task', 'claim', 'T-1', '--json'], {env: await agentEnvFromPane((args) => box.tmux(args), `gone/${one!.name}`)})).exitCode).toBe(0)
    expect((await box.spawn(['task', 'claim', 'T-2', '--json'], {env: await agentEnvFromPane((args) => box.tmux(args), `gone/${two!.name}`)})).exitCode).toBe(0)

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
