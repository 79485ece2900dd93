/**
 * Issue 10 item 6 (and issue 9 item 24): an MCP client's error hints name tools and arguments,
 * never CLI commands or flags; the CLI keeps its own wording; error details never carry the text
 * of a queued message.
 */
import {afterEach, describe, expect, it} from 'vitest'

import type {CcmcpError} from '../../src/core/domain/errors.js'
import {simulateClaude} from '../helpers/core-harness.js'
import {type McpHarness, connectInMemory, errorCodeOf, textOf} from '../helpers/mcp.js'

let h: McpHarness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

const CLI_WORDS = /ccmcp |--[a-z]/
const result = (call: {_meta?: Record<string, unknown>}) => call._meta?.['ccmcp/error']

describe('error hints per surface', () => {
  it('a missing agent: MCP hears list_agents, the CLI hears `ccmcp agent list`', async () => {
    h = await connectInMemory()
    const result = await h.call('read_agent_screen', {agent: 'ghost'})
    expect(errorCodeOf(result)).toBe('NOT_FOUND')
    expect(textOf(result)).toBe('NOT_FOUND: No agent named "ghost".\nHint: List agents with list_agents; refer to one as session/Agent_N.')
    expect(result._meta?.['ccmcp/error']).toMatchObject({hint: 'List agents with list_agents; refer to one as session/Agent_N.'})
    const direct = (await h.core.run('read_agent_screen', {agent: 'ghost'}).catch((error: unknown) => error)) as CcmcpError
    expect(direct.hintFor('cli')).toBe('List agents with `ccmcp agent list`; refer to one as session/Agent_N.')
  })

  it('a wait that times out: MCP is told about timeoutSeconds, not --timeout, and the details hold no queued text', async () => {
    h = await connectInMemory()
    await h.core.run('create_session', {name: 's', root: h.root})
    simulateClaude(h, {ready: false})
    await h.core.run('create_agent', {session: 's', wait: false})
    // Still starting: the message is queued.
    expect((await h.call('send_message_to_agent', {agent: 's/Agent_1', message: 'SECRET-QUEUED-WORD'})).structuredContent).toMatchObject({delivery: 'queued'})
    const result = await h.call('wait_for_agent', {agent: 's/Agent_1', timeoutSeconds: 1})
    expect(errorCodeOf(result)).toBe('TIMEOUT')
    const hint = (result._meta?.['ccmcp/error'] as {hint: string}).hint
    expect(hint).toMatch(/read_agent_screen .*timeoutSeconds/)
    expect(hint).not.toMatch(CLI_WORDS)
    expect(textOf(result)).not.toMatch(CLI_WORDS)
    expect(JSON.stringify(result)).not.toContain('SECRET-QUEUED-WORD')
    expect(result._meta?.['ccmcp/error']).toMatchObject({details: {agent: {queue: [{text: ''}]}}})
  })

  it('a name taken: the hint speaks of the name argument; restarting a running agent is a CONFLICT', async () => {
    h = await connectInMemory()
    await h.core.run('create_session', {name: 's', root: h.root})
    await h.core.run('create_agent', {session: 's', command: 'prog'})
    const taken = await h.call('create_agent', {session: 's', name: 'Agent_1', command: 'prog'})
    expect(errorCodeOf(taken)).toBe('ALREADY_EXISTS')
    expect(textOf(taken)).toContain('Pick another name, or leave it out')
    expect(textOf(taken)).not.toMatch(CLI_WORDS)
    const restart = await h.call('restart_agent', {agent: 's/Agent_1'})
    expect(result(restart)).toMatchObject({code: 'CONFLICT', exitCode: 16})
  })
})
