/**
 * Issue 12 items 1 and 7: from inside an agent of session A, the built CLI (a real process with
 * exactly the environment ccmcp gave the agent) cannot address session B in any way, and cannot
 * do the operator's work (sessions, config) even in its own session; every refusal is FORBIDDEN
 * with a hint, and B is unchanged afterwards. Its own session stays usable.
 */
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {EXIT_CODES} from '../../src/core/domain/errors.js'
import {type Sandbox, createSandbox, eventually} from '../helpers/cli.js'
import {readStoreFile} from '../helpers/at-rest.js'

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

/** An agent program that writes the environment it got to a file, then stays alive. */
const DUMP_ENV = `import {writeFileSync} from 'node:fs'
writeFileSync(process.argv[2], JSON.stringify(process.env))
setInterval(() => {}, 1 << 30)
`

let box: Sandbox
let rootB: string
let agentEnv: Record<string, string>
beforeAll(async () => {
  box = await createSandbox()
  rootB = await mkdtemp(path.join(os.tmpdir(), 'ccrb-'))
  const script = path.join(box.home, 'dump-env.mjs')
  await writeFile(script, DUMP_ENV)
  const envFile = path.join(box.home, 'agent-env.json')
  const ok = async (args: string[]) => expect((await box.run(args)).exitCode, args.join(' ')).toBe(0)
  await ok(['session', 'create', 'A', '--root', box.root])
  await ok(['session', 'create', 'B', '--root', rootB])
  await ok(['agent', 'create', 'A', '--command', `${JSON.stringify(process.execPath)} ${JSON.stringify(script)} ${JSON.stringify(envFile)}`])
  await ok(['agent', 'create', 'B', '--name', 'victim', '--command', `${JSON.stringify(process.execPath)} -e "setInterval(() => {}, 1 << 30)"`])
  const dumped = await eventually(async () => JSON.parse(await readFile(envFile, 'utf8')) as Record<string, string>, 30_000)
  // Exactly the agent's own identity variables (whatever ccmcp puts there), nothing of the test's.
  agentEnv = Object.fromEntries(Object.entries(dumped).filter(([key]) => key.startsWith('CCMCP_')))
}, 120_000)
afterAll(async () => {
  await box?.cleanup()
  await rm(rootB, {recursive: true, force: true})
})

const asAgent = (args: string[]) => box.spawn([...args, '--json'], {env: agentEnv})

async function snapshotOfB(): Promise<unknown> {
  const state = (await readStoreFile(box.home)) as Json
  return {session: state.sessions.find((s: Json) => s.name === 'B'), agents: state.agents.filter((a: Json) => a.session === 'B').map((a: Json) => ({...a, lastEventAt: null, status: null}))}
}

describe('an agent of session A, through the CLI', () => {
  it('is FORBIDDEN every action on session B, with a hint, and B is unchanged', async () => {
    expect(agentEnv.CCMCP_SESSION).toBe('A')
    const before = await snapshotOfB()
    const attempts = [
      ['session', 'status', 'B'],
      ['agent', 'list', '--session', 'B'],
      ['agent', 'read', 'B/victim'],
      ['agent', 'read', 'victim'],
      ['agent', 'send', 'B/victim', 'hello from A'],
      ['agent', 'create', 'B'],
      ['agent', 'restart', 'B/victim', '--no-wait'],
      ['agent', 'clear', 'B/victim'],
      ['agent', 'delete', 'B/victim', '--yes'],
      ['session', 'recover', 'B'],
      ['session', 'delete', 'B', '--yes'],
    ]
    for (const args of attempts) {
      const result = await asAgent(args)
      expect(result.exitCode, `${args.join(' ')}: ${result.stdout}${result.stderr}`).toBe(EXIT_CODES.FORBIDDEN)
      expect((result.json as Json).error, args.join(' ')).toMatchObject({code: 'FORBIDDEN', hint: expect.any(String)})
    }
    expect(await snapshotOfB()).toEqual(before)
    expect((await box.run(['agent', 'list', '--session', 'B', '--json'])).json).toMatchObject({agents: [{name: 'victim', status: 'unknown'}]})
  }, 300_000)

  it("may not do the operator's work, even for its own session: sessions, config, trust", async () => {
    const attempts = [
      ['session', 'create', 'C', '--root', box.root],
      ['session', 'delete', 'A', '--yes'],
      ['session', 'trust', 'A', '--no-wait'],
      ['config', 'set', 'maxAgents', '3'],
      ['session', 'list'],
    ]
    for (const args of attempts) {
      const result = await asAgent(args)
      expect(result.exitCode, `${args.join(' ')}: ${result.stdout}${result.stderr}`).toBe(EXIT_CODES.FORBIDDEN)
      expect((result.json as Json).error.hint, args.join(' ')).toEqual(expect.any(String))
    }
    const sessions = ((await box.run(['session', 'list', '--json'])).json as Json).sessions.map((s: Json) => s.name)
    expect(sessions).toEqual(['A', 'B'])
    expect(((await box.run(['config', 'get', '--json'])).json as Json).config.maxAgents).not.toBe(3)
  }, 300_000)

  it('may still work in its own session', async () => {
    const status = await asAgent(['session', 'status', 'A'])
    expect(status.exitCode, status.stderr).toBe(0)
    expect((status.json as Json).agents.map((a: Json) => a.name)).toEqual(['Agent_1'])
    expect((await asAgent(['agent', 'list', '--session', 'A'])).exitCode).toBe(0)
    expect((await asAgent(['agent', 'read', 'A/Agent_1'])).exitCode).toBe(0)
  }, 120_000)
})
