/**
 * Issue 11 items 5 and 6 at launch: each claude agent gets ccmcp's MCP server (as itself) in a
 * per-launch 0600 --mcp-config, its tools allowed, and the protocol prompt (default, the
 * session's own text, or none) after its identity.
 */
import {readFile, stat, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {type Harness, createHarness, simulateClaude} from '../helpers/core-harness.js'

let h: Harness
beforeEach(async () => {
  h = await createHarness()
  simulateClaude(h)
})
afterEach(async () => {
  await h.cleanup()
})

const argvOf = (key: string) => h.backend.tabOf(key)?.request.argv ?? []
const flag = (argv: readonly string[], name: string) => argv[argv.indexOf(name) + 1] ?? ''

describe('what a claude agent is launched with', () => {
  it('an --mcp-config running `serve --agent` as this launch of this agent (0600), mcp__ccmcp allowed, no --strict-mcp-config', async () => {
    await h.core.run('create_session', {name: 's', root: h.root})
    const {agent} = await h.core.run('create_agent', {session: 's'})
    const argv = argvOf('s/Agent_1')
    expect(argv).not.toContain('--strict-mcp-config')
    const file = flag(argv, '--mcp-config')
    expect(file).toBe(path.join(h.home, 'agents', 's', 'Agent_1', 'mcp.json'))
    expect((await stat(file)).mode & 0o777).toBe(0o600)
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({mcpServers: {ccmcp: {
      type: 'stdio',
      command: '/usr/bin/node',
      args: ['/opt/ccmcp/bin/run.js', 'serve', '--agent', '--security-level', 'MEDIUM'],
      // The launch's own secret too (the file is 0600 in ccmcp's home); never ccmcp's secrets.
      env: {CCMCP_HOME: h.home, CCMCP_SESSION: 's', CCMCP_AGENT: 'Agent_1', CCMCP_LAUNCH_ID: agent.launchId, CCMCP_AGENT_SECRET: h.backend.tabOf('s/Agent_1')?.request.env.CCMCP_AGENT_SECRET},
    }}})
    expect(h.backend.tabOf('s/Agent_1')?.request.env.MCP_TIMEOUT).toBe('90000')
    const settings = JSON.parse(await readFile(flag(argv, '--settings'), 'utf8'))
    expect(settings).toMatchObject({permissions: {allow: ['mcp__ccmcp']}, crossSessionInbound: 'refuse', hooks: {Stop: expect.any(Array)}})

    // A new conversation is a new launch: the file carries the new launch id.
    const fresh = await h.core.run('start_new_agent_conversation', {agent: 's/Agent_1'})
    expect(JSON.parse(await readFile(file, 'utf8')).mcpServers.ccmcp.env.CCMCP_LAUNCH_ID).toBe(fresh.agent.launchId)
    expect(fresh.agent.launchId).not.toBe(agent.launchId)
  })

  it('the protocol prompt names the agent, its session, root and peers; a session may replace it or turn it off', async () => {
    await h.core.run('create_session', {name: 's', root: h.root})
    await h.core.run('create_agent', {session: 's'})
    await h.core.run('create_agent', {session: 's'})
    const prompt = flag(argvOf('s/Agent_2'), '--append-system-prompt')
    expect(prompt).toMatch(/^You are Agent_2, one of several agents in session "s"/)
    expect(prompt).toContain(`You are Agent_2 in session "s"; the codebase root is ${h.root}. Your peers at launch: Agent_1`)
    expect(prompt).toContain('Take work ONLY by claiming a task')
    expect(prompt).toContain('complete_task')
    expect(prompt).toContain('Never edit a file another agent\'s claimed task is about without messaging that agent first.')

    const own = path.join(h.root, 'protocol.txt')
    await writeFile(own, 'Work in pairs. Commit after each task.\n')
    await h.core.run('create_session', {name: 'custom', root: h.root, protocol: own})
    await h.core.run('create_agent', {session: 'custom'})
    expect(flag(argvOf('custom/Agent_1'), '--append-system-prompt')).toMatch(/in session "custom".*\n\nWork in pairs\. Commit after each task\.$/s)

    await h.core.run('create_session', {name: 'bare', root: h.root, protocol: 'none'})
    await h.core.run('create_agent', {session: 'bare'})
    const bare = flag(argvOf('bare/Agent_1'), '--append-system-prompt')
    expect(bare).toMatch(/^You are Agent_1/)
    expect(bare).not.toContain('claim')

    await expect(h.core.run('create_session', {name: 'broken', root: h.root, protocol: path.join(h.root, 'missing.txt')})).rejects.toMatchObject({code: 'INVALID_INPUT', message: expect.stringMatching(/protocol file does not exist/)})
    expect((await h.core.run('list_sessions', {})).sessions.map((session) => session.name)).not.toContain('broken')
  })
})
