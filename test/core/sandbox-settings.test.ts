/** The confinement part of a claude agent's settings (claude-code-2.md §1), and how it merges with the rest. */
import {describe, expect, it} from 'vitest'

import {claudeConfigDir} from '../../src/core/agents/confinement.js'
import {agentSettings, hookSettings} from '../../src/core/agents/launch-spec.js'
import {type ConfinementInput, SYSTEM_READ_DIRS, confinementSettings, mergeSettings} from '../../src/core/agents/sandbox-settings.js'

const on = {enabled: true, allowRead: [], allowWrite: [], allowDomains: []}
const input = (overrides: Partial<ConfinementInput> = {}): ConfinementInput => ({
  sandbox: on,
  root: '/src/a',
  workDir: '/src/a',
  otherRoots: ['/src/b', '/opt/c'],
  ccmcpHome: '/home/me/.local/state/ccmcp',
  claudeConfigDir: '/home/me/.claude',
  platform: 'linux',
  ...overrides,
})

describe('confinementSettings', () => {
  it('denies reading / and re-opens the system, the root; hides ccmcp, transcripts, the registry and other roots', () => {
    expect(confinementSettings(input())).toEqual({
      crossSessionInbound: 'refuse',
      sandbox: {
        enabled: true,
        failIfUnavailable: true,
        autoAllowBashIfSandboxed: true,
        allowUnsandboxedCommands: false,
        filesystem: {
          denyRead: ['/', '/home/me/.local/state/ccmcp', '/home/me/.claude/projects', '/home/me/.claude/sessions', '/src/b', '/opt/c'],
          allowRead: ['/src/a', ...SYSTEM_READ_DIRS.linux!],
          allowWrite: ['/src/a'],
        },
      },
      permissions: {blockReadsOutsideWorkingDirectories: true, blockWritesOutsideWorkingDirectories: true, denyInsteadOfPrompting: true},
    })
  })

  it('lets an agent in a worktree read and write both the worktree and the root, with the root a file-tool directory too', () => {
    const settings = confinementSettings(input({workDir: '/wt/a-agent1'})) as {sandbox: {filesystem: Record<string, string[]>}; permissions: Record<string, unknown>}
    expect(settings.sandbox.filesystem.allowRead?.slice(0, 2)).toEqual(['/src/a', '/wt/a-agent1'])
    expect(settings.sandbox.filesystem.allowWrite).toEqual(['/src/a', '/wt/a-agent1'])
    expect(settings.permissions.additionalDirectories).toEqual(['/src/a'])
  })

  it('never hides its own root because another session shares it', () => {
    const settings = confinementSettings(input({otherRoots: ['/src/a', '/src/b']})) as {sandbox: {filesystem: Record<string, string[]>}}
    expect(settings.sandbox.filesystem.denyRead).not.toContain('/src/a')
    expect(settings.sandbox.filesystem.denyRead).toContain('/src/b')
  })

  it('widens per session: extra reads, writes (a cache) and network domains', () => {
    const sandbox = {enabled: true, allowRead: ['/data/ref'], allowWrite: ['/home/me/.npm'], allowDomains: ['registry.npmjs.org']}
    const settings = confinementSettings(input({sandbox})) as {sandbox: {filesystem: Record<string, string[]>; network: unknown}; permissions: Record<string, unknown>}
    expect(settings.sandbox.filesystem.allowRead).toEqual(expect.arrayContaining(['/data/ref', '/home/me/.npm']))
    expect(settings.sandbox.filesystem.allowWrite).toEqual(['/src/a', '/home/me/.npm'])
    expect(settings.sandbox.network).toEqual({allowedDomains: ['registry.npmjs.org']})
    expect(settings.permissions.additionalDirectories).toEqual(['/home/me/.npm'])
  })

  it('--no-sandbox: no sandbox and no permission limits, but still no peer messages around ccmcp', () => {
    expect(confinementSettings(input({sandbox: {...on, enabled: false}}))).toEqual({crossSessionInbound: 'refuse'})
  })

  it('uses the macOS system directories there', () => {
    const settings = confinementSettings(input({platform: 'darwin'})) as {sandbox: {filesystem: Record<string, string[]>}}
    expect(settings.sandbox.filesystem.allowRead).toEqual(['/src/a', ...SYSTEM_READ_DIRS.darwin!])
  })
})

describe('claudeConfigDir', () => {
  it('is $CLAUDE_CONFIG_DIR when set, else ~/.claude', () => {
    expect(claudeConfigDir({CLAUDE_CONFIG_DIR: '/cfg/claude'}, '/home/os')).toBe('/cfg/claude')
    expect(claudeConfigDir({HOME: '/home/me'}, '/home/os')).toBe('/home/me/.claude')
    expect(claudeConfigDir({}, '/home/os')).toBe('/home/os/.claude')
  })
})

describe('agentSettings', () => {
  it('keeps every hook, PermissionRequest too (it denies outside the root, agent answer decides the rest), and adds the confinement; other parts merge into permissions', () => {
    const confinement = confinementSettings(input())
    const settings = agentSettings("'node' '/hook.js'", confinement)
    expect(settings.hooks).toEqual(hookSettings("'node' '/hook.js'").hooks)
    // Whatever the hook does not answer is refused, never shown as a dialog.
    expect(settings.permissions).toMatchObject({denyInsteadOfPrompting: true})
    const open = agentSettings("'node' '/hook.js'", confinementSettings(input({sandbox: {...on, enabled: false}})))
    expect(open.hooks).toEqual(hookSettings("'node' '/hook.js'").hooks)
    expect(settings.sandbox).toEqual(confinement.sandbox)
    const withMcp = mergeSettings(settings, {permissions: {allow: ['mcp__ccmcp']}})
    expect(withMcp.permissions).toEqual({...(confinement.permissions as object), allow: ['mcp__ccmcp']})
    expect(mergeSettings({a: [1, 2]}, {a: [2, 3]})).toEqual({a: [1, 2, 3]})
  })
})
