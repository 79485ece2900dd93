/**
 * A relative root means "relative to where the caller is". The CLI knows (its cwd); an MCP server
 * does not (Claude Desktop starts it in /), so over MCP `create_session {root: "."}` is a clear
 * error and creates nothing, instead of a session rooted at the server's cwd.
 */
import {Client} from '@modelcontextprotocol/sdk/client/index.js'
import {StdioClientTransport} from '@modelcontextprotocol/sdk/client/stdio.js'
import type {CallToolResult} from '@modelcontextprotocol/sdk/types.js'
import {execa} from 'execa'
import {realpath} from 'node:fs/promises'
import {afterEach, describe, expect, it} from 'vitest'

import {type Sandbox, binPath, createSandbox} from '../helpers/cli.js'
import {textOf} from '../helpers/mcp.js'
import {serverEnv} from '../helpers/serve.js'

let sandbox: Sandbox | undefined
let client: Client | undefined
afterEach(async () => {
  await client?.close()
  await sandbox?.cleanup()
  client = undefined
  sandbox = undefined
})

describe('relative session roots', () => {
  it('over MCP (built binary, started in a directory) are refused with the remedy, and nothing is created', async () => {
    sandbox = await createSandbox()
    client = new Client({name: 'rel-root', version: '1.0.0'})
    await client.connect(new StdioClientTransport({command: process.execPath, args: [binPath, 'serve'], env: serverEnv(sandbox), cwd: sandbox.root, stderr: 'pipe'}))
    for (const root of ['.', 'sub/dir', '~/src']) {
      const result = (await client.callTool({name: 'create_session', arguments: {name: 'rel', root}})) as CallToolResult
      expect(result.isError, textOf(result)).toBe(true)
      expect(textOf(result)).toMatch(/^INVALID_INPUT: The root ".*" is a relative path/)
      expect(textOf(result)).toMatch(/absolute path/)
    }
    expect(((await client.callTool({name: 'list_sessions', arguments: {}})) as CallToolResult).structuredContent).toEqual({sessions: []})
    const absolute = (await client.callTool({name: 'create_session', arguments: {name: 'abs', root: sandbox.root}})) as CallToolResult
    expect(absolute.structuredContent).toMatchObject({session: {name: 'abs', root: await realpath(sandbox.root)}})
  })

  it('at the CLI resolve against its current directory', async () => {
    sandbox = await createSandbox()
    const result = await execa(process.execPath, [binPath, 'session', 'create', 'here', '--root', '.', '--json'], {cwd: sandbox.root, env: sandbox.env, reject: false})
    expect(result.exitCode, result.stderr).toBe(0)
    expect(JSON.parse(result.stdout)).toMatchObject({session: {name: 'here', root: await realpath(sandbox.root)}})
  })
})
