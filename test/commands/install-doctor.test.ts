/**
 * `ccmcp install claude-desktop|claude-code`, `ccmcp doctor` and `ccmcp serve --help` as a new
 * user runs them: the built binary, a private HOME, JSON and human output, exit codes.
 */
import {mkdir, readFile, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'

import {EXIT_CODES} from '../../src/core/domain/errors.js'
import {type Sandbox, binPath, createSandbox} from '../helpers/cli.js'

let sandbox: Sandbox | undefined
afterEach(async () => {
  await sandbox?.cleanup()
  sandbox = undefined
})

const desktopConfig = (home: string) => path.join(home, '.config', 'Claude', 'claude_desktop_config.json')

describe('ccmcp install claude-desktop', () => {
  it('--print gives an entry that runs this ccmcp with node, absolute paths, nothing written', async () => {
    sandbox = await createSandbox()
    const result = await sandbox.run(['install', 'claude-desktop', '--print'], {env: {HOME: sandbox.home}})
    expect(result.exitCode).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual({mcpServers: {ccmcp: {command: process.execPath, args: [binPath, 'serve']}}})
    await expect(readFile(desktopConfig(sandbox.home))).rejects.toThrow(/ENOENT/)
  })

  it('writes into the existing config, keeping other keys, with a backup, and says to restart', async () => {
    sandbox = await createSandbox()
    const file = desktopConfig(sandbox.home)
    await mkdir(path.dirname(file), {recursive: true})
    await writeFile(file, JSON.stringify({mcpServers: {fs: {command: 'npx', args: ['fs']}}, preferences: {x: 1}}))
    const result = await sandbox.run(['install', 'claude-desktop', '--security-level', 'MEDIUM'], {env: {HOME: sandbox.home}})
    expect(result.exitCode, result.stderr).toBe(0)
    expect(result.stdout).toMatch(/^Added the ccmcp entry in .*claude_desktop_config\.json \(backup: .*\.bak\)\.\nRestart Claude Desktop/)
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({
      mcpServers: {fs: {command: 'npx', args: ['fs']}, ccmcp: {command: process.execPath, args: [binPath, 'serve', '--security-level', 'MEDIUM']}},
      preferences: {x: 1},
    })
    const again = await sandbox.run(['install', 'claude-desktop', '--security-level', 'MEDIUM', '--json'], {env: {HOME: sandbox.home}})
    expect(again.json).toMatchObject({written: false, backup: null})
  })

  it('refuses an invalid config with exit 5 and leaves it alone', async () => {
    sandbox = await createSandbox()
    const file = path.join(sandbox.home, 'broken.json')
    await writeFile(file, '{"mcpServers": ')
    const result = await sandbox.run(['install', 'claude-desktop', '--config-file', file, '--json'])
    expect(result.exitCode).toBe(EXIT_CODES.STATE_INVALID)
    expect(result.json).toMatchObject({error: {code: 'STATE_INVALID', message: expect.stringContaining('was left untouched: it is not valid JSON')}})
    expect(await readFile(file, 'utf8')).toBe('{"mcpServers": ')
  })
})

describe('ccmcp install claude-code', () => {
  it('--print shows the claude mcp add line for the user scope', async () => {
    sandbox = await createSandbox()
    const result = await sandbox.run(['install', 'claude-code', '--print'], {env: {CCMCP_CLAUDE_BIN: 'claude'}})
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toMatch(new RegExp(`claude mcp add ccmcp -s user -- ${process.execPath} ${binPath} serve$`))
  })

  it('without claude anywhere, fails with NOT_FOUND (exit 3) and says where it looked', async () => {
    sandbox = await createSandbox()
    const result = await sandbox.run(['install', 'claude-code', '--json'], {env: {CCMCP_CLAUDE_BIN: 'claude-missing-for-test', PATH: '/usr/bin:/bin'}})
    expect(result.exitCode).toBe(EXIT_CODES.NOT_FOUND)
    expect(result.json).toMatchObject({
      error: {code: 'NOT_FOUND', message: expect.stringMatching(/claude-missing-for-test was not found on PATH or in the usual install locations \(looked in: \/usr\/bin, \/bin/)},
    })
  })
})

describe('ccmcp doctor', () => {
  it('checks everything, prints the Claude Desktop JSON, and exits with the failed check code', async () => {
    sandbox = await createSandbox()
    const result = await sandbox.run(['doctor'], {env: {HOME: sandbox.home, CCMCP_CLAUDE_BIN: 'claude-missing-for-test'}})
    expect(result.stdout).toMatch(/^✓ state store +.*state\.json: 0 sessions, 0 agents$/m)
    expect(result.stdout).toMatch(/^✓ backend tmux +tmux works/m)
    expect(result.stdout).toMatch(/^✓ program tmux +tmux: \S+ \(tmux \d/m)
    expect(result.stdout).toMatch(/^✗ program claude +claude-missing-for-test was not found/m)
    expect(result.stdout).toContain(`"command": "${process.execPath}"`)
    expect(result.exitCode).toBe(EXIT_CODES.NOT_FOUND)
    const json = await sandbox.run(['doctor', '--json'], {env: {HOME: sandbox.home, CCMCP_CLAUDE_BIN: process.execPath}})
    expect(json.exitCode).toBe(0)
    expect(json.json).toMatchObject({ok: true, programs: [{name: 'tmux'}, {name: 'claude', path: process.execPath, version: process.version}]})
  })
})

describe('ccmcp serve --help', () => {
  it('documents every flag', async () => {
    sandbox = await createSandbox()
    const result = await sandbox.run(['serve', '--help'])
    for (const flag of ['--security-level', '--max-agents', '--max-sessions', '--log-dir', '--transport', '--port', '--host', '--token']) expect(result.stdout).toContain(flag)
    expect(result.stdout).toContain('[env: CCMCP_TOKEN]')
    expect(result.stdout).toContain('[default: 127.0.0.1]')
    expect(result.stdout).toContain('[default: 8000]')
  })
})
