/**
 * --security-level over MCP: tools above the level are neither listed nor run, and a refused
 * call says why with the FORBIDDEN code, changing nothing.
 */
import {afterEach, describe, expect, it} from 'vitest'

import {mcpOperations} from '../../src/core/pipeline/clearance.js'
import {EXIT_CODES} from '../../src/core/domain/errors.js'
import type {SecurityLevel} from '../../src/core/pipeline/operation.js'
import {type McpHarness, connectInMemory, errorCodeOf, textOf} from '../helpers/mcp.js'

let h: McpHarness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

const listed = async (clearance: SecurityLevel) => {
  h = await connectInMemory({clearance})
  return (await h.client.listTools()).tools
}

describe('security level', () => {
  it('LOW lists only read-only tools', async () => {
    const tools = await listed('LOW')
    expect(tools.map((tool) => tool.name).sort()).toEqual(['doctor', 'get_session_status', 'get_task', 'list_agents', 'list_messages', 'list_sessions', 'list_tasks', 'read_agent_screen', 'wait_for_agent'])
    expect(tools.every((tool) => tool.annotations?.readOnlyHint === true)).toBe(true)
  })

  it('MEDIUM adds creating and messaging, but nothing destructive at HIGH level', async () => {
    const names = (await listed('MEDIUM')).map((tool) => tool.name)
    expect(names).toEqual(expect.arrayContaining(['create_session', 'create_agent', 'send_message_to_agent', 'focus_agent', 'restart_agent']))
    for (const high of ['delete_session', 'delete_agent', 'clear_agent_conversation', 'start_new_agent_conversation']) expect(names).not.toContain(high)
  })

  it('HIGH lists every MCP operation', async () => {
    expect((await listed('HIGH')).map((tool) => tool.name)).toEqual(mcpOperations().map((operation) => operation.name))
  })

  it('refuses a HIGH call at LOW with FORBIDDEN, and nothing is deleted', async () => {
    h = await connectInMemory({clearance: 'LOW'})
    await h.core.run('create_session', {name: 'api', root: h.root})
    const result = await h.call('delete_session', {name: 'api'})
    expect(result.isError).toBe(true)
    expect(textOf(result)).toBe(
      'FORBIDDEN: delete_session is a HIGH-level operation, and this server runs at security level LOW; nothing was done.\nHint: Whoever starts the server can allow it with --security-level HIGH.',
    )
    expect(result._meta?.['ccmcp/error']).toMatchObject({code: 'FORBIDDEN', exitCode: EXIT_CODES.FORBIDDEN, details: {operation: 'delete_session', level: 'HIGH', clearance: 'LOW'}})
    expect((await h.core.run('list_sessions', {})).sessions.map((session) => session.name)).toEqual(['api'])
  })

  it('refuses before validating, so an invalid call above the level is still FORBIDDEN', async () => {
    h = await connectInMemory({clearance: 'MEDIUM'})
    expect(errorCodeOf(await h.call('delete_agent', {}))).toBe('FORBIDDEN')
    expect(errorCodeOf(await h.call('create_session', {}))).toBe('INVALID_INPUT')
  })
})
