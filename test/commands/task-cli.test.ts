/**
 * `ccmcp task …` as typed: the session first, or left out inside an agent's environment, where
 * the CLI acts as that agent (its launch id proves it). Runs the real core over a sandbox home.
 */
import {readFile} from 'node:fs/promises'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {agentEnvFromPane} from '../helpers/agent-env.js'
import {EXIT_CODES} from '../../src/core/domain/errors.js'
import {type Sandbox, createSandbox} from '../helpers/cli.js'

let box: Sandbox
let agentEnv: Record<string, string>
beforeAll(async () => {
  box = await createSandbox()
  expect((await box.run(['session', 'create', 'cli', '--root', box.root])).exitCode).toBe(0)
  expect((await box.run(['agent', 'create', 'cli', '--command', 'sleep 600'])).exitCode).toBe(0)
  // The agent's own environment (its per-launch secret included), as its program has it.
  agentEnv = await agentEnvFromPane((args) => box.tmux(args), 'cli/Agent_1')
})
afterAll(async () => {
  await box.cleanup()
})

describe('ccmcp task', () => {
  it('inside an agent the session may be left out: create, claim by id, note, done', async () => {
    const asAgent = (args: string[], input?: string) => box.run(args, {env: agentEnv, input})
    expect((await asAgent(['task', 'create', 'Write the parser', '--body', '-'], 'in src/parser.ts\n')).exitCode).toBe(0)
    expect((await asAgent(['task', 'create', 'Test it', '--blocked-by', 'T-1'])).exitCode).toBe(0)
    const claimed = await asAgent(['task', 'claim', 'T-1', '--json'])
    expect(claimed.json).toMatchObject({task: {id: 'T-1', claimedBy: 'Agent_1', body: 'in src/parser.ts'}})
    expect((await asAgent(['task', 'note', 'T-1', 'half way'])).stdout).toBe('Noted on T-1 claimed @Agent_1: Write the parser')
    const done = await asAgent(['task', 'done', 'T-1', '--result', 'parser written', '--json'])
    expect(done.json).toMatchObject({task: {status: 'done', result: 'parser written'}})
    const next = await asAgent(['task', 'claim', '--next', '--json'])
    expect(next.json).toMatchObject({task: {id: 'T-2', claimedBy: 'Agent_1'}})
    const list = await box.run(['task', 'list', 'cli'])
    expect(list.stdout).toMatch(/^ID +STATUS +HOLDER +AGE +TITLE\nT-1 +done +\d+s +Write the parser\nT-2 +claimed +Agent_1 +\d+s +Test it$/)
    expect(await readFile(path.join(box.root, 'TODO.md'), 'utf8')).toContain('- [x] T-1 Write the parser — parser written\n')
    const shown = await box.run(['task', 'show', 'cli', 'T-1'])
    expect(shown.stdout).toContain('history:\n')
    expect(shown.stdout).toContain('done Agent_1 by agent cli/Agent_1')
  })

  it('refuses what is not meant: another session from inside an agent, a missing argument, nothing ready', async () => {
    const other = await box.run(['task', 'list', 'elsewhere', '--json'], {env: agentEnv})
    expect(other.exitCode).toBe(EXIT_CODES.FORBIDDEN)
    const missing = await box.run(['task', 'show', '--json'])
    expect(missing.exitCode).toBe(EXIT_CODES.INVALID_INPUT)
    expect(missing.json).toMatchObject({error: {message: expect.stringContaining('ccmcp task show takes <session> <id>')}})
    const operatorClaim = await box.run(['task', 'claim', 'cli', '--next', '--json'])
    expect(operatorClaim.json).toMatchObject({error: {code: 'INVALID_INPUT', hint: expect.stringContaining('--agent')}})
    const nothing = await box.run(['task', 'claim', 'cli', '--next', '--agent', 'Agent_1', '--json'])
    expect(nothing.exitCode).toBe(18)
    expect(nothing.json).toMatchObject({error: {code: 'NOTHING_READY'}})
  })
})
