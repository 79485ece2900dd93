/**
 * Registering ccmcp with MCP clients: the Claude Desktop config merge (every other key kept,
 * backup, invalid files refused untouched) and `claude mcp add` through a scripted Exec.
 */
import {chmod, mkdir, readFile, readdir, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'

import {claudeDesktopConfigPath, mergeServerEntry, serverEntry, shellLine} from '../../src/core/platform/client-config.js'
import type {Exec, ExecResult} from '../../src/core/ports.js'
import {type Harness, createHarness} from '../helpers/core-harness.js'

let h: Harness | undefined
afterEach(async () => {
  await h?.cleanup()
  h = undefined
})

const ENTRY = {command: '/usr/bin/node', args: ['/opt/ccmcp/bin/run.js', 'serve']}

describe('Claude Desktop config', () => {
  it('lives where Claude Desktop reads it on each platform', () => {
    expect(claudeDesktopConfigPath({}, '/Users/ann', 'darwin')).toBe('/Users/ann/Library/Application Support/Claude/claude_desktop_config.json')
    expect(claudeDesktopConfigPath({APPDATA: 'C:\\Users\\ann\\AppData\\Roaming'}, 'C:\\Users\\ann', 'win32')).toBe(path.join('C:\\Users\\ann\\AppData\\Roaming', 'Claude', 'claude_desktop_config.json'))
    expect(claudeDesktopConfigPath({}, '/home/ann', 'linux')).toBe('/home/ann/.config/Claude/claude_desktop_config.json')
    expect(claudeDesktopConfigPath({XDG_CONFIG_HOME: '/cfg'}, '/home/ann', 'linux')).toBe('/cfg/Claude/claude_desktop_config.json')
  })

  it('merges the entry and keeps every other key and server', () => {
    const text = JSON.stringify({theme: 'dark', mcpServers: {other: {command: 'x', args: [], env: {A: '1'}}}, globalShortcut: 'Ctrl+Space'})
    const {config, changed, replaced} = mergeServerEntry(text, 'f.json', ENTRY)
    expect(config).toEqual({theme: 'dark', mcpServers: {other: {command: 'x', args: [], env: {A: '1'}}, ccmcp: ENTRY}, globalShortcut: 'Ctrl+Space'})
    expect([changed, replaced]).toEqual([true, false])
    expect(mergeServerEntry(JSON.stringify(config), 'f.json', ENTRY)).toMatchObject({changed: false, replaced: false})
    expect(mergeServerEntry(JSON.stringify(config), 'f.json', {...ENTRY, args: [...ENTRY.args, '--security-level', 'LOW']})).toMatchObject({changed: true, replaced: true})
  })

  it('starts from an empty or missing file', () => {
    expect(mergeServerEntry(null, 'f.json', ENTRY).config).toEqual({mcpServers: {ccmcp: ENTRY}})
    expect(mergeServerEntry('  \n', 'f.json', ENTRY).config).toEqual({mcpServers: {ccmcp: ENTRY}})
  })

  it('refuses files it would have to clobber, naming the file and the reason', () => {
    expect(() => mergeServerEntry('{"mcpServers": {', '/c/f.json', ENTRY)).toThrow(/^Claude Desktop's config \/c\/f.json was left untouched: it is not valid JSON/)
    expect(() => mergeServerEntry('[1]', 'f.json', ENTRY)).toThrow(/its top level is not a JSON object/)
    expect(() => mergeServerEntry('{"mcpServers": []}', 'f.json', ENTRY)).toThrow(/"mcpServers" is not a JSON object/)
  })

  it('builds the entry from how ccmcp runs, plus serve flags', () => {
    expect(serverEntry(['/n/node', '/c/bin/run.js'], ['--security-level', 'MEDIUM'])).toEqual({command: '/n/node', args: ['/c/bin/run.js', 'serve', '--security-level', 'MEDIUM']})
    expect(shellLine(['/n/node', "/it's here/run.js", 'serve'])).toBe("/n/node '/it'\\''s here/run.js' serve")
  })
})

describe('install_claude_desktop', () => {
  it('prints without touching anything', async () => {
    h = await createHarness()
    const configFile = path.join(h.home, 'Claude', 'claude_desktop_config.json')
    const result = await h.core.run('install_claude_desktop', {print: true, configFile})
    expect(result).toMatchObject({written: false, snippet: {mcpServers: {ccmcp: ENTRY}}})
    await expect(readFile(configFile)).rejects.toThrow(/ENOENT/)
  })

  it('uses the platform file under HOME by default', async () => {
    h = await createHarness({env: {HOME: '/home/someone', PATH: ''}})
    const result = await h.core.run('install_claude_desktop', {print: true})
    expect(result.configFile).toBe(claudeDesktopConfigPath({}, '/home/someone'))
  })

  it('writes the entry, backs up the old file with its mode, and is idempotent', async () => {
    h = await createHarness()
    const dir = path.join(h.home, 'Claude')
    const configFile = path.join(dir, 'claude_desktop_config.json')
    await mkdir(dir)
    const original = '{\n  "theme": "dark"\n}\n'
    await writeFile(configFile, original)
    await chmod(configFile, 0o640)
    const first = await h.core.run('install_claude_desktop', {configFile, serveArgs: ['--security-level', 'MEDIUM']})
    expect(first).toMatchObject({written: true, replaced: false, backup: expect.stringMatching(/claude_desktop_config\.json\..+\.bak$/)})
    expect(await readFile(first.backup as string, 'utf8')).toBe(original)
    expect(JSON.parse(await readFile(configFile, 'utf8'))).toEqual({theme: 'dark', mcpServers: {ccmcp: {...ENTRY, args: [...ENTRY.args, '--security-level', 'MEDIUM']}}})
    const {stat} = await import('node:fs/promises')
    expect((await stat(configFile)).mode & 0o777).toBe(0o640)
    const again = await h.core.run('install_claude_desktop', {configFile, serveArgs: ['--security-level', 'MEDIUM']})
    expect(again).toMatchObject({written: false, backup: null})
    expect((await readdir(dir)).filter((name) => name.endsWith('.bak'))).toHaveLength(1)
  })

  it('leaves an invalid file exactly as it was', async () => {
    h = await createHarness()
    const configFile = path.join(h.home, 'claude_desktop_config.json')
    await writeFile(configFile, '{"theme": "dark",}')
    await expect(h.core.run('install_claude_desktop', {configFile})).rejects.toMatchObject({code: 'STATE_INVALID', hint: expect.stringContaining('--print')})
    expect(await readFile(configFile, 'utf8')).toBe('{"theme": "dark",}')
    expect((await readdir(h.home)).filter((name) => name.endsWith('.bak') || name.endsWith('.tmp'))).toEqual([])
  })
})

/** A claude that answers `mcp add` / `mcp remove` like the real 2.1.330 does, recording calls. */
function scriptedClaude(existing: boolean): {exec: Exec; calls: string[][]} {
  const calls: string[][] = []
  let present = existing
  const result = (exitCode: number, stdout: string, stderr = ''): ExecResult => ({stdout, stderr, exitCode, notFound: false, timedOut: false})
  const exec: Exec = async (file, args) => {
    calls.push([file, ...args])
    if (args[1] === 'add') {
      if (present) return result(1, '', 'MCP server ccmcp already exists in user config\n')
      present = true
      return result(0, 'Added stdio MCP server ccmcp with command: … to user config\n')
    }
    if (args[1] === 'remove') {
      present = false
      return result(0, 'Removed MCP server ccmcp from user config\n')
    }
    return result(2, '', 'unexpected')
  }
  return {exec, calls}
}

describe('install_claude_code', () => {
  async function withClaude(existing: boolean) {
    const scripted = scriptedClaude(existing)
    h = await createHarness({exec: scripted.exec})
    const claude = path.join(h.home, 'bin', 'claude')
    await mkdir(path.dirname(claude))
    await writeFile(claude, '#!/bin/sh\n', {mode: 0o755})
    await h.deps.ports.config.update((config) => ({value: {...config, claudeBin: claude}, result: undefined}))
    return {claude, calls: scripted.calls}
  }

  it('prints the claude mcp add line with the user scope', async () => {
    const {claude, calls} = await withClaude(false)
    const result = await (h as Harness).core.run('install_claude_code', {print: true})
    expect(result.argv).toEqual([claude, 'mcp', 'add', 'ccmcp', '-s', 'user', '--', '/usr/bin/node', '/opt/ccmcp/bin/run.js', 'serve'])
    expect(result.commandLine).toBe(`${claude} mcp add ccmcp -s user -- /usr/bin/node /opt/ccmcp/bin/run.js serve`)
    expect(calls).toEqual([])
  })

  it('runs claude mcp add', async () => {
    const {claude, calls} = await withClaude(false)
    const result = await (h as Harness).core.run('install_claude_code', {scope: 'local'})
    expect(result).toMatchObject({ran: true, replaced: false, output: expect.stringContaining('Added stdio MCP server ccmcp')})
    expect(calls).toEqual([[claude, 'mcp', 'add', 'ccmcp', '-s', 'local', '--', '/usr/bin/node', '/opt/ccmcp/bin/run.js', 'serve']])
  })

  it('replaces an older ccmcp entry in the same scope', async () => {
    const {calls} = await withClaude(true)
    const result = await (h as Harness).core.run('install_claude_code', {})
    expect(result).toMatchObject({ran: true, replaced: true})
    expect(calls.map((call) => call.slice(1, 3).join(' '))).toEqual(['mcp add', 'mcp remove', 'mcp add'])
  })

  it('says where it looked when claude is not installed', async () => {
    h = await createHarness({env: {PATH: '/nowhere', HOME: '/nonexistent-home'}})
    await h.deps.ports.config.update((config) => ({value: {...config, claudeBin: 'claude-missing'}, result: undefined}))
    await expect(h.core.run('install_claude_code', {})).rejects.toMatchObject({code: 'NOT_FOUND', message: expect.stringMatching(/claude-missing was not found .*looked in: \/nowhere/)})
  })
})
