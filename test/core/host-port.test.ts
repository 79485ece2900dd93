/**
 * Core's files go through the Host port it is given: with a recording Host in CoreDeps, every
 * file a session and a claude agent leave under the ccmcp home (besides the stores) and the trust
 * record in Claude Code's config were written through it, and a Host that refuses stops the
 * operation with nothing half-written.
 */
import {readdir} from 'node:fs/promises'
import path from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {localHost} from '../../src/core/adapters/local-host.js'
import type {Host} from '../../src/core/ports.js'
import {type Harness, createHarness, simulateClaude} from '../helpers/core-harness.js'

let h: Harness
beforeEach(async () => {
  h = await createHarness()
})
afterEach(async () => {
  await h.cleanup()
})

/** localHost, with every call noted as `method path`. */
function recordingHost(calls: string[], override: Partial<Host> = {}): Host {
  const host: Host = {...localHost, ...override}
  return Object.fromEntries(
    Object.entries(host).map(([name, member]) => [name, typeof member !== 'function' ? member : (...args: unknown[]) => {
      calls.push(`${name} ${typeof args[0] === 'string' ? args[0] : ''}`.trim())
      return (member as (...values: unknown[]) => unknown)(...args)
    }]),
  ) as unknown as Host
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, {recursive: true, withFileTypes: true})
  return entries.filter((entry) => entry.isFile()).map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
}

describe('the Host port', () => {
  it('carries every file core writes: trust, agent settings, event logs, and their removal', async () => {
    const calls: string[] = []
    h.deps.ports.host = recordingHost(calls)
    simulateClaude(h)
    await h.core.run('create_session', {name: 's', root: h.root, trust: true})
    await h.core.run('create_agent', {session: 's'})
    await h.core.run('send_message_to_agent', {agent: 'Agent_1', message: 'hello'})
    await h.core.run('wait_for_agent', {agent: 'Agent_1', until: 'idle', timeoutSeconds: 5})

    const written = new Set(calls.filter((call) => /^(writeAtomic|append) /.test(call)).map((call) => path.relative(h.home, call.replace(/^\w+ /, ''))))
    // Stores and the key source keep their own adapters; transcripts/ is the simulated Claude Code's, not ccmcp's.
    const own = (await filesUnder(h.home)).filter((file) => !/^(state|config)\.json/.test(file) && !file.startsWith(`transcripts${path.sep}`) && !file.startsWith(`messages${path.sep}`) && !file.startsWith(`keys${path.sep}`))
    expect(own.sort()).toEqual([path.join('agents', 's', 'Agent_1', 'settings.json'), path.join('agents', 's', 'Agent_1', 'mcp.json'), '.claude.json', path.join('events', 's', 'Agent_1.jsonl')].sort())
    for (const file of own) expect(written, file).toContain(file)
    expect(calls).toContain(`realpath ${h.root}`)

    await h.core.run('delete_session', {name: 's'})
    expect(calls).toEqual(expect.arrayContaining([`remove ${path.join(h.home, 'agents', 's')}`, `remove ${path.join(h.home, 'events', 's')}`]))
    expect((await filesUnder(h.home)).filter((file) => /^(agents|events|messages)/.test(file))).toEqual([])
  })

  it('a Host that refuses to write stops agent creation before any tab opens', async () => {
    await h.core.run('create_session', {name: 's', root: h.root})
    h.deps.ports.host = recordingHost([], {writeAtomic: async () => Promise.reject(Object.assign(new Error('EACCES: permission denied'), {code: 'EACCES'}))})
    await expect(h.core.run('create_agent', {session: 's'})).rejects.toMatchObject({message: expect.stringContaining('EACCES')})
    expect(h.backend.tabs).toHaveLength(0)
  })

  it('the home directory comes from the Host when HOME is unset', async () => {
    h.deps.launch.env = {PATH: process.env.PATH ?? ''}
    h.deps.ports.host = recordingHost([], {homeDir: () => h.home})
    const {claudeDesktop} = await h.core.run('doctor', {})
    expect(claudeDesktop.configFile.startsWith(h.home)).toBe(true)
  })
})
