/** The built `ccmcp watch` without a terminal: one table (or a --json snapshot), exit 0. */
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {type Sandbox, createSandbox} from '../helpers/cli.js'

let sandbox: Sandbox

beforeAll(async () => {
  sandbox = await createSandbox()
  expect((await sandbox.run(['session', 'create', 'api', '--root', sandbox.root])).exitCode).toBe(0)
  expect((await sandbox.run(['session', 'create', 'docs', '--root', sandbox.root])).exitCode).toBe(0)
  expect((await sandbox.run(['agent', 'create', 'api', '--command', 'sleep 600'])).exitCode).toBe(0)
})

afterAll(async () => {
  await sandbox?.cleanup()
})

describe('ccmcp watch without a terminal', () => {
  it('prints one plain table of every agent and the counts, and exits 0', async () => {
    const result = await sandbox.run(['watch'], {env: {NO_COLOR: ''}})
    expect(result.exitCode).toBe(0)
    expect(result.stdout).not.toContain('\u001B')
    const lines = result.stdout.split('\n')
    expect(lines[0]).toMatch(/^SESSION +AGENT +STATUS +LAST EVENT +DETAIL$/)
    expect(lines[1]).toMatch(/^api +Agent_1 +~ unknown +\d+s ago +sleep 600$/)
    expect(lines[2]).toMatch(/^docs +- +\(no agents\)$/)
    expect(lines.at(-1)).toBe('1 unknown')
  })

  it('--json prints the snapshot', async () => {
    const result = await sandbox.run(['watch', '--json'])
    expect(result.exitCode).toBe(0)
    expect(result.json).toMatchObject({
      sessions: [{name: 'api', agents: 1}, {name: 'docs', agents: 0}],
      agents: [{session: 'api', name: 'Agent_1', status: 'unknown', command: ['sleep', '600']}],
      screen: null,
    })
  })

  it('--session limits it, and an unknown session fails with its exit code before anything is drawn', async () => {
    const docs = await sandbox.run(['watch', '--session', 'docs'])
    expect(docs.stdout).not.toContain('Agent_1')
    const missing = await sandbox.run(['watch', '--session', 'nope', '--json'])
    expect(missing.exitCode).toBe(3)
    expect(missing.json).toMatchObject({error: {code: 'NOT_FOUND', hint: 'Known sessions: api, docs.'}})
  })

  it("then each session's task board that has tasks: claimed first with the time its claim has left, long titles cut", async () => {
    expect((await sandbox.run(['task', 'create', 'api', 'Write the parser'])).exitCode).toBe(0)
    expect((await sandbox.run(['task', 'create', 'api', `Test it ${'x'.repeat(100)}`, '--blocked-by', 'T-1'])).exitCode).toBe(0)
    expect((await sandbox.run(['task', 'assign', 'api', 'T-1', 'Agent_1'])).exitCode).toBe(0)
    const result = await sandbox.run(['watch'], {env: {NO_COLOR: ''}})
    expect(result.exitCode).toBe(0)
    expect(result.stdout).not.toContain('\u001B')
    const tasks = result.stdout.split('\n\n').at(-1)!.split('\n')
    expect(tasks[0]).toBe('TASKS api: 1 claimed · 1 blocked')
    expect(tasks[1]).toMatch(/^ID +STATUS +HOLDER +TIME +TITLE$/)
    expect(tasks[2]).toMatch(/^T-1 +claimed +Agent_1 +\d+m left +Write the parser$/)
    expect(tasks[3]).toMatch(new RegExp(`^T-2 +blocked +\\d+s ago +Test it x{71}…$`))
    // docs has no tasks: no board is printed for it.
    expect(result.stdout).not.toContain('TASKS docs')
  })

  it('refuses an interval it cannot use', async () => {
    const result = await sandbox.run(['watch', '--interval', '0'])
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain('--interval must be a number of seconds from 0.2 to 3600')
  })
})
