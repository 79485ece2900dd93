/**
 * Issue 9 item 12 with the REAL Claude Code: an existing session whose root Claude Code does
 * not trust has working remedies (`session trust`, `config set trustRoots true`), and an agent
 * stuck at the trust dialog is not left behind.
 */
import {mkdir, readFile} from 'node:fs/promises'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {type ClaudeTestEnv, claudeBin, claudeSuiteName, startClaudeEnv} from '../claude/env.js'
import {type Sandbox, createSandbox, eventually} from '../helpers/cli.js'

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

describe.skipIf(!claudeBin())(claudeSuiteName('the trust dialog on an existing session'), () => {
  let cc: ClaudeTestEnv
  let box: Sandbox
  const ccmcp = async (args: string[]) => box.run([...args, '--json'], {env: {...cc.env, CCMCP_CLAUDE_BIN: cc.bin}})
  const agents = async (session: string) => ((await ccmcp(['session', 'status', session])).json as Json).agents as Json[]
  const claudeJson = () => path.join(cc.env.HOME ?? '', '.claude.json')
  const livePanes = async () => (await box.tmux(['list-panes', '-a', '-F', '#{pane_dead}'])).stdout.split('\n').filter((line) => line === '0').length

  beforeAll(async () => {
    cc = await startClaudeEnv()
    box = await createSandbox()
  })
  afterAll(async () => {
    await box?.cleanup()
    await cc?.cleanup()
  })

  it('exit 6 names `session trust`, leaves no agent behind; session trust records this root only and restarts a stuck agent', async () => {
    expect((await ccmcp(['session', 'create', 'strange', '--root', cc.untrustedRoot])).exitCode).toBe(0)
    const created = await ccmcp(['agent', 'create', 'strange'])
    expect(created.exitCode).toBe(6)
    expect((created.json as Json).error.message).toMatch(/workspace-trust dialog/)
    expect((created.json as Json).error.hint).toContain('ccmcp session trust strange')
    expect(await agents('strange')).toEqual([])
    expect(await livePanes()).toBe(0)

    // An agent created without waiting sits at the dialog; trusting the session brings it past it.
    expect((await ccmcp(['agent', 'create', 'strange', '--no-wait'])).exitCode).toBe(0)
    await eventually(async () => ((await agents('strange'))[0]?.waitingFor?.startsWith('trust') ? true : undefined), 60_000)
    const trusted = await ccmcp(['session', 'trust', 'strange'])
    expect(trusted.exitCode, trusted.stderr).toBe(0)
    expect(trusted.json).toMatchObject({trust: {file: claudeJson(), changed: true}, restarted: ['Agent_2']})
    expect((await agents('strange')).map((agent) => [agent.name, agent.status])).toEqual([['Agent_2', 'idle']])
    expect(await livePanes()).toBe(1)
    const config = JSON.parse(await readFile(claudeJson(), 'utf8'))
    expect(config.projects[cc.untrustedRoot].hasTrustDialogAccepted).toBe(true)
    expect(config.projects[path.dirname(cc.untrustedRoot)]).toBeUndefined()

    const fine = await ccmcp(['agent', 'create', 'strange'])
    expect(fine.exitCode, fine.stderr).toBe(0)
    expect((fine.json as Json).agent.status).toBe('idle')
  }, 300_000)

  it('`config set trustRoots true` makes the next agent of an existing session start past the dialog', async () => {
    const other = path.join(path.dirname(cc.untrustedRoot), 'untrusted-too')
    await mkdir(other, {recursive: true})
    expect((await ccmcp(['session', 'create', 'other', '--root', other])).exitCode).toBe(0)
    expect((await ccmcp(['config', 'set', 'trustRoots', 'true'])).exitCode).toBe(0)
    const created = await ccmcp(['agent', 'create', 'other'])
    expect(created.exitCode, created.stderr).toBe(0)
    expect((created.json as Json).agent.status).toBe('idle')
  }, 300_000)
})
