/**
 * A command no program can be given is refused by create_agent's input schema (in core, so every
 * surface says the same): a NUL byte (was UNEXPECTED) and a 1 MB command line (was "exit
 * undefined" from a failed exec). Through the built server and real tmux; nothing is left behind.
 */
import {afterEach, describe, expect, it} from 'vitest'

import {type Sandbox, createSandbox} from '../helpers/cli.js'
import {textOf} from '../helpers/mcp.js'
import {type StdioServer, startStdioServer} from '../helpers/serve.js'

let sandbox: Sandbox | undefined
let server: StdioServer | undefined
afterEach(async () => {
  await server?.close()
  await sandbox?.cleanup()
  server = undefined
  sandbox = undefined
})

describe('create_agent command validation (built binary over stdio, real tmux)', () => {
  it('refuses a NUL byte and an over-long command with INVALID_INPUT naming the problem, and creates no agent', async () => {
    sandbox = await createSandbox()
    server = await startStdioServer(sandbox)
    await server.call('create_session', {name: 'cmd', root: sandbox.root})
    const nul = await server.call('create_agent', {session: 'cmd', command: 'printf a\u0000b'})
    expect(nul.isError).toBe(true)
    expect(textOf(nul)).toMatch(/^INVALID_INPUT: .*command: contains a NUL byte/)
    const huge = await server.call('create_agent', {session: 'cmd', command: `echo ${'x'.repeat(1024 * 1024)}`})
    expect(huge.isError).toBe(true)
    expect(textOf(huge)).toMatch(/^INVALID_INPUT: .*command: is longer than 16384 characters/)
    expect((await server.call('list_agents', {session: 'cmd'})).structuredContent).toEqual({agents: []})
    // A long but real command still runs.
    const fine = await server.call('create_agent', {session: 'cmd', command: `sh -c 'sleep 30' ${'y'.repeat(8000)}`})
    expect(fine.isError, textOf(fine)).toBeFalsy()
  }, 60_000)
})
