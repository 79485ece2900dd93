/** doctor over a core harness: each check's verdict, and the programs' versions via Exec. */
import {mkdir, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'

import {CcmcpError} from '../../src/core/domain/errors.js'
import type {Exec} from '../../src/core/ports.js'
import {type Harness, createHarness} from '../helpers/core-harness.js'

let h: Harness | undefined
afterEach(async () => {
  await h?.cleanup()
  h = undefined
})

/** Programs in a private bin directory, with versions answered by a scripted Exec. */
async function withPrograms(versions: Record<string, string | null>): Promise<{harness: Harness; calls: string[][]}> {
  const calls: string[][] = []
  const exec: Exec = async (file, args) => {
    calls.push([path.basename(file), ...args])
    const version = versions[path.basename(file)]
    return {stdout: version ? `${version}\n` : '', stderr: '', exitCode: version ? 0 : 1, notFound: false, timedOut: false}
  }
  const probe = await createHarness({exec})
  const bin = path.join(probe.home, 'bin')
  await mkdir(bin)
  // bwrap and socat: Claude Code's sandbox (Linux), found but never run.
  for (const name of [...Object.keys(versions), 'bwrap', 'socat']) await writeFile(path.join(bin, name), '#!/bin/sh\n', {mode: 0o755})
  // Only our bin on PATH, and a home without usual install dirs: nothing real can be found.
  probe.deps.launch.env = {PATH: bin, HOME: probe.home}
  return {harness: probe, calls}
}

describe('doctor', () => {
  it('passes when the store, the backend, tmux and claude are all there', async () => {
    const {harness, calls} = await withPrograms({tmux: 'tmux 3.3a', claude: '2.1.330 (Claude Code)'})
    h = harness
    const report = await h.core.run('doctor', {})
    expect(report.ok).toBe(true)
    expect(report.checks.map((check) => [check.name, check.status])).toEqual([
      ['state store', 'ok'],
      ['config', 'ok'],
      ['key', 'ok'],
      ['backend tmux', 'ok'],
      ['program tmux', 'ok'],
      ['program claude', 'ok'],
      ['sandbox', 'ok'],
    ])
    // Which source gives the master key (the harness sets CCMCP_KEY).
    expect(report.checks.find((check) => check.name === 'key')?.detail).toMatch(/^CCMCP_KEY \(key [0-9a-f]{12}\); agents' hooks read its copy in .*keys\/master\.key$/)
    expect(report.programs).toEqual([
      expect.objectContaining({name: 'tmux', path: path.join(h.home, 'bin', 'tmux'), version: 'tmux 3.3a'}),
      expect.objectContaining({name: 'claude', version: '2.1.330 (Claude Code)'}),
    ])
    expect(calls).toEqual([['tmux', '-V'], ['claude', '--version']])
    expect(report.claudeDesktop.snippet).toEqual({mcpServers: {ccmcp: {command: '/usr/bin/node', args: ['/opt/ccmcp/bin/run.js', 'serve']}}})
  })

  it('fails with NOT_FOUND and install advice when claude is nowhere', async () => {
    const {harness} = await withPrograms({tmux: 'tmux 3.3a'})
    h = harness
    // A name no machine has, so a real claude in /usr/local/bin cannot make this pass.
    await h.deps.ports.config.update((config) => ({value: {...config, claudeBin: 'claude-not-installed-here'}, result: undefined}))
    const report = await h.core.run('doctor', {})
    expect(report.ok).toBe(false)
    const claude = report.checks.find((check) => check.name === 'program claude')
    expect(claude).toMatchObject({status: 'fail', code: 'NOT_FOUND', detail: expect.stringMatching(/^claude-not-installed-here was not found on PATH/), hint: expect.stringContaining('claudeBin')})
  })

  it('warns when a program is there but will not tell its version', async () => {
    const {harness} = await withPrograms({tmux: 'tmux 3.3a', claude: null})
    h = harness
    const report = await h.core.run('doctor', {})
    expect(report.ok).toBe(true)
    expect(report.checks.find((check) => check.name === 'program claude')).toMatchObject({status: 'warn', hint: expect.stringContaining('--version')})
  })

  it('reports a backend that does not work with its error code and hint', async () => {
    const {harness} = await withPrograms({tmux: 'tmux 3.3a', claude: '2.1.330 (Claude Code)'})
    h = harness
    h.backend.listTabs = async () => {
      throw new CcmcpError('BACKEND_UNAVAILABLE', 'tmux is not installed (or not on PATH).', {hint: 'Install tmux.'})
    }
    const report = await h.core.run('doctor', {})
    expect(report.ok).toBe(false)
    expect(report.checks.find((check) => check.name === 'backend tmux')).toEqual({
      name: 'backend tmux',
      status: 'fail',
      detail: 'tmux is not installed (or not on PATH).',
      hint: 'Install tmux.',
      code: 'BACKEND_UNAVAILABLE',
    })
  })

  it('reports an unreadable state store instead of failing', async () => {
    const {harness} = await withPrograms({tmux: 'tmux 3.3a', claude: '2.1.330 (Claude Code)'})
    h = harness
    await writeFile(path.join(h.home, 'state.json'), '{"schemaVersion": 99}')
    const report = await h.core.run('doctor', {})
    expect(report.checks[0]).toMatchObject({name: 'state store', status: 'fail', code: 'STATE_INVALID', detail: expect.stringContaining('state.json')})
  })

  it('uses the configured claude program', async () => {
    const {harness, calls} = await withPrograms({tmux: 'tmux 3.3a', 'claude-beta': '2.2.0 (Claude Code)'})
    h = harness
    await h.deps.ports.config.update((config) => ({value: {...config, claudeBin: 'claude-beta'}, result: undefined}))
    const report = await h.core.run('doctor', {})
    expect(report.ok).toBe(true)
    expect(calls).toContainEqual(['claude-beta', '--version'])
  })
})
