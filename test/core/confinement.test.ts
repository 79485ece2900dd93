/**
 * Confinement through the core: sessions are sandboxed by default and say so; a claude agent's
 * settings file carries the sandbox; where bubblewrap or socat are missing the agent is refused
 * with the remedy (never launched unconfined); a sandbox refusal on screen is named as such.
 */
import {readFile} from 'node:fs/promises'
import path from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {localHost} from '../../src/core/adapters/local-host.js'
import {sandboxSupport} from '../../src/core/agents/confinement.js'
import type {CcmcpError} from '../../src/core/domain/errors.js'
import {type Harness, claudeScreen, createHarness, simulateClaude} from '../helpers/core-harness.js'

let h: Harness
beforeEach(async () => {
  h = await createHarness()
})
afterEach(async () => {
  await h.cleanup()
})

async function failure(promise: Promise<unknown>): Promise<CcmcpError> {
  try {
    await promise
  } catch (error) {
    return error as CcmcpError
  }
  throw new Error('expected a failure')
}

/** A machine where only `present` of bwrap/socat exist, on PATH=/fakebin. */
function machineWith(present: string[]): void {
  h.deps.ports.host = {...localHost, isExecutable: async (file) => present.some((name) => file === `/fakebin/${name}`) || (!/\/(bwrap|socat)$/.test(file) && localHost.isExecutable(file))}
  h.deps.launch.env = {...h.deps.launch.env, PATH: `/fakebin:${h.deps.launch.env.PATH ?? ''}`}
}

describe('sandbox by default', () => {
  it('a new session is sandboxed, shown in its status; --no-sandbox opts out; allowances are kept', async () => {
    await h.core.run('create_session', {name: 'boxed', root: h.root})
    expect((await h.core.run('get_session_status', {name: 'boxed'})).session.sandbox).toEqual({enabled: true, allowRead: [], allowWrite: [], allowDomains: []})
    await h.core.run('create_session', {name: 'open', root: h.root, sandbox: false})
    expect((await h.core.run('get_session_status', {name: 'open'})).session.sandbox).toMatchObject({enabled: false})
    const {session} = await h.core.run('create_session', {name: 'wide', root: h.root, sandboxAllowWrite: [h.home], sandboxAllowDomains: ['registry.npmjs.org']})
    expect(session.sandbox).toMatchObject({enabled: true, allowWrite: [h.home], allowDomains: ['registry.npmjs.org']})
  })

  it('refuses allowances without the sandbox, a bad domain and a relative path over MCP', async () => {
    expect((await failure(h.core.run('create_session', {name: 'x', root: h.root, sandbox: false, sandboxAllowWrite: [h.home]}))).code).toBe('INVALID_INPUT')
    expect((await failure(h.core.run('create_session', {name: 'x', root: h.root, sandboxAllowDomains: ['a b; rm -rf /']}))).code).toBe('INVALID_INPUT')
    const relative = await failure(h.core.run('create_session', {name: 'x', root: h.root, sandboxAllowRead: ['cache']}))
    expect(relative.code).toBe('INVALID_INPUT')
    expect((await h.core.run('list_sessions', {})).sessions).toEqual([])
  })

  it("writes the sandbox into a claude agent's settings, with every other session's root hidden", async () => {
    simulateClaude(h)
    await h.core.run('create_session', {name: 'a', root: h.root})
    await h.core.run('create_session', {name: 'b', root: h.home})
    await h.core.run('create_agent', {session: 'a'})
    const settings = JSON.parse(await readFile(path.join(h.home, 'agents', 'a', 'Agent_1', 'settings.json'), 'utf8'))
    expect(settings.hooks.SessionStart).toBeDefined()
    expect(settings.crossSessionInbound).toBe('refuse')
    expect(settings.sandbox).toMatchObject({enabled: true, failIfUnavailable: true, allowUnsandboxedCommands: false})
    expect(settings.sandbox.filesystem.denyRead).toEqual(expect.arrayContaining(['/', h.home]))
    expect(settings.sandbox.filesystem.allowRead[0]).toBe(h.root)
    expect(settings.permissions).toMatchObject({blockReadsOutsideWorkingDirectories: true, denyInsteadOfPrompting: true})
  })
})

describe.runIf(process.platform === 'linux')('bubblewrap or socat missing (Linux)', () => {
  it('agent create fails with ENVIRONMENT naming the remedy; nothing is launched or kept', async () => {
    machineWith(['socat'])
    simulateClaude(h)
    await h.core.run('create_session', {name: 'a', root: h.root})
    const error = await failure(h.core.run('create_agent', {session: 'a'}))
    expect(error.code).toBe('ENVIRONMENT')
    expect(error.message).toMatch(/bwrap is not on PATH/)
    expect(error.message).not.toMatch(/socat is not/)
    expect(error.hintFor('cli')).toMatch(/apt-get install bubblewrap socat.*--no-sandbox/)
    expect(error.hintFor('mcp')).toMatch(/sandbox: false/)
    expect(h.backend.tabs).toHaveLength(0)
    expect((await h.core.run('list_agents', {})).agents).toEqual([])
  })

  it('a --no-sandbox session starts its claude agents anyway, and a command agent never needs the sandbox', async () => {
    machineWith([])
    simulateClaude(h)
    await h.core.run('create_session', {name: 'open', root: h.root, sandbox: false})
    expect((await h.core.run('create_agent', {session: 'open'})).agent.status).toBe('idle')
    const settings = JSON.parse(await readFile(path.join(h.home, 'agents', 'open', 'Agent_1', 'settings.json'), 'utf8'))
    expect(settings.sandbox).toBeUndefined()
    await h.core.run('create_session', {name: 'boxed', root: h.root})
    expect(await h.core.run('create_agent', {session: 'boxed', command: 'sleep 30'})).toBeDefined()
  })

  it('sandboxSupport names a copy that is not on PATH (Claude Code looks only there)', async () => {
    h.deps.ports.host = {...localHost, isExecutable: async (file) => file === '/usr/bin/bwrap' || file === '/fakebin/socat'}
    h.deps.launch.env = {PATH: '/fakebin', HOME: h.home}
    const support = await sandboxSupport(h.deps, 'linux')
    expect(support).toMatchObject({ok: false, detail: expect.stringContaining('bwrap is at /usr/bin/bwrap, which is not on PATH')})
    expect(await sandboxSupport(h.deps, 'darwin')).toMatchObject({ok: true, detail: expect.stringContaining('Seatbelt')})
    expect((await sandboxSupport(h.deps, 'win32')).ok).toBe(false)
  })

  it('doctor fails the sandbox check with the remedy; only a warning when every session opted out', async () => {
    machineWith([])
    const check = async () => (await h.core.run('doctor', {})).checks.find((one) => one.name === 'sandbox')
    expect(await check()).toMatchObject({status: 'fail', code: 'ENVIRONMENT', hint: expect.stringContaining('apt-get install bubblewrap socat')})
    await h.core.run('create_session', {name: 'open', root: h.root, sandbox: false})
    expect(await check()).toMatchObject({status: 'warn', code: null})
    machineWith(['bwrap', 'socat'])
    expect(await check()).toMatchObject({status: 'ok', detail: expect.stringContaining('/fakebin/bwrap')})
  })
})

describe('Claude Code refusing to start without its sandbox', () => {
  it('is reported as "sandbox unavailable", with the remedy, and the agent is not kept', async () => {
    simulateClaude(h)
    const opened = h.backend.onOpen
    // What failIfUnavailable does: SessionStart, then the error and exit 1; no prompt ever shows.
    h.backend.onOpen = (tab) => {
      opened?.(tab)
      tab.screen = 'Error: sandbox required but unavailable: sandbox is enabled but dependencies are missing: bubblewrap (bwrap) not installed\n  Refusing to start without a working sandbox (see sandbox.failIfUnavailable).\n\nPane is dead (status 1)'
    }
    await h.core.run('create_session', {name: 'a', root: h.root})
    const error = await failure(h.core.run('create_agent', {session: 'a'}))
    expect(error.code).toBe('AGENT_START_FAILED')
    expect(error.message).toMatch(/a\/Agent_1 ended while starting: sandbox unavailable/)
    expect(error.message).toMatch(/Refusing to start without a working sandbox/)
    expect(error.hintFor('cli')).toMatch(/apt-get install bubblewrap socat.*doctor/)
    expect((await h.core.run('list_agents', {})).agents).toEqual([])
    expect(claudeScreen('')).not.toMatch(/sandbox/)
  })
})
