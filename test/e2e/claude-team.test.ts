/**
 * Issue 11's "Done when" with the REAL Claude Code (CCMCP_TEST_CLAUDE_BIN), offline against the
 * mock Messages API scripted to call ccmcp's MCP tools (MOCK_TOOL_MCP: ToolSearch, then the tool):
 * the operator creates 3 tasks and two agents; each claims one through the ccmcp server in its
 * --mcp-config; Agent_1 messages Agent_2, whose next prompt is `[from Agent_1] …`; a message to
 * another session is refused; TODO.md shows the claims, then the results.
 */
import {readFile, readdir, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {type ClaudeTestEnv, claudeBin, claudeSuiteName, startClaudeEnv} from '../claude/env.js'
import {type Sandbox, binPath, createSandbox, eventually} from '../helpers/cli.js'

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

describe.skipIf(!claudeBin())(claudeSuiteName('agents as a team, real Claude Code'), () => {
  let cc: ClaudeTestEnv
  let box: Sandbox
  const ccmcp = async (args: string[]) => box.run([...args, '--json'], {env: {...cc.env, CCMCP_CLAUDE_BIN: cc.bin}})
  const agentOf = async (key: string) => (((await ccmcp(['agent', 'list'])).json as Json).agents as Json[]).find((agent) => `${agent.session}/${agent.name}` === key) as Json
  /** Types the keyword prompt (raw: no header) and returns the reply that ended the turn. */
  const turn = async (key: string, prompt: string) => {
    const sent = await ccmcp(['agent', 'send', key, '--raw', '--wait', '--timeout', '120', prompt])
    if (sent.exitCode !== 0) {
      // --json puts the error (with the agent's status) on stdout; the screen says what it was doing.
      const screen = ((await ccmcp(['agent', 'read', key])).json as Json | undefined)?.screen
      expect.fail(`${key} ${prompt}: exit ${sent.exitCode} ${sent.stdout}${sent.stderr}\n${screen}`)
    }
    return (sent.json as Json).reply as string
  }
  const todo = () => readFile(path.join(cc.root, 'TODO.md'), 'utf8')

  beforeAll(async () => {
    cc = await startClaudeEnv()
    box = await createSandbox()
    // The user's own MCP servers still load beside ccmcp's (--mcp-config adds, it does not replace).
    const config = JSON.parse(await readFile(cc.home.configPath, 'utf8')) as Json
    config.mcpServers = {mine: {type: 'stdio', command: process.execPath, args: [binPath, 'serve', '--security-level', 'LOW'], env: {CCMCP_HOME: path.join(box.home, 'user-server')}}}
    await writeFile(cc.home.configPath, JSON.stringify(config, null, 2))
    expect((await ccmcp(['session', 'create', 'team', '--root', cc.root])).exitCode).toBe(0)
    expect((await ccmcp(['session', 'create', 'elsewhere', '--root', cc.untrustedRoot])).exitCode).toBe(0)
  }, 120_000)
  afterAll(async () => {
    await box?.cleanup()
    await cc?.cleanup()
  })

  it('two agents split three tasks through their MCP tools, talk, and cannot reach another session', async () => {
    for (const title of ['Write the parser', 'Write the printer', 'Document both']) {
      expect((await ccmcp(['task', 'create', 'team', title])).exitCode).toBe(0)
    }
    for (const _ of [1, 2]) {
      const created = await ccmcp(['agent', 'create', 'team'])
      expect(created.exitCode, created.stderr).toBe(0)
    }
    expect((await ccmcp(['agent', 'create', 'elsewhere', '--command', 'sh'])).exitCode).toBe(0)
    // Each agent's ccmcp server runs as that agent. Claude Code connects to MCP servers in the
    // background (a first prompt may find them "still connecting"): wait until its own MCP log
    // says both agents' ccmcp servers are connected.
    const mcpLogs = path.join(cc.home.home, '.cache', 'claude-cli-nodejs', cc.root.replace(/[^a-zA-Z0-9]/g, '-'), 'mcp-logs-ccmcp')
    const connected = async () => {
      const files = await readdir(mcpLogs).catch(() => [])
      return Promise.all(files.map((file) => readFile(path.join(mcpLogs, file), 'utf8')))
    }
    await eventually(async () => ((await connected()).filter((text) => text.includes('Successfully connected')).length === 2 ? true : undefined), 150_000).catch(async (error: unknown) => {
      throw new Error(`${(error as Error).message}; Claude Code's MCP logs for ccmcp:\n${(await connected()).join('\n---\n')}`)
    })

    // Default permission mode: no prompt interrupts the MCP calls (permissions.allow in --settings).
    expect(await turn('team/Agent_1', 'MOCK_TOOL_MCP mcp__ccmcp__claim_task {"next":true}')).toMatch(/MOCK_TOOL_DONE: [\s\S]*"id":\s*"T-1"[\s\S]*"claimedBy":\s*"Agent_1"/)
    expect(await turn('team/Agent_2', 'MOCK_TOOL_MCP mcp__ccmcp__claim_task {"next":true}')).toMatch(/MOCK_TOOL_DONE: [\s\S]*"id":\s*"T-2"[\s\S]*"claimedBy":\s*"Agent_2"/)
    const claimed = await todo()
    expect(claimed).toContain('- [ ] T-1 Write the parser @Agent_1')
    expect(claimed).toContain('- [ ] T-2 Write the printer @Agent_2')
    expect(claimed).toContain('- [ ] T-3 Document both')

    // The system prompt carries the identity, the peers and the protocol; the user's server loaded too.
    const agent1 = await agentOf('team/Agent_1')
    const first = cc.api.requests().find((request) => request.kind === 'main' && request.sessionId === agent1.conversationId)
    expect(first?.system).toContain('You are Agent_1, one of several agents in session "team"')
    expect(first?.system).toContain('Take work ONLY by claiming a task')
    const deferred = JSON.stringify(first?.messages)
    expect(deferred).toContain('mcp__ccmcp__claim_task')
    expect(deferred).toContain('mcp__mine__list_sessions')
    expect(deferred).not.toContain('mcp__ccmcp__create_agent')

    // Agent_1 → Agent_2: Agent_2's next prompt is the message, with the sender header.
    const agent2 = await agentOf('team/Agent_2')
    const before = cc.api.requests().filter((request) => request.kind === 'main' && request.sessionId === agent2.conversationId).length
    expect(await turn('team/Agent_1', 'MOCK_TOOL_MCP mcp__ccmcp__send_message {"agent":"Agent_2","message":"The parser API is in parser.ts; take T-3 when you are done."}')).toMatch(/MOCK_TOOL_DONE: [\s\S]*"delivery":\s*"delivered"/)
    const received = await eventually(async () => cc.api.requests().filter((request) => request.kind === 'main' && request.sessionId === agent2.conversationId)[before])
    expect(received.lastUserText).toBe('[from Agent_1] The parser API is in parser.ts; take T-3 when you are done.')
    await eventually(async () => ((await agentOf('team/Agent_2')).lastReply === 'MOCK_REPLY: [from Agent_1] The parser API is in parser.ts; take T-3 when you are done.' ? true : undefined), 60_000)
    const messages = (await ccmcp(['messages', 'team/Agent_2'])).json as Json
    // The operator's keyword prompts are in the inbox too; the peer message is the last one.
    expect(messages.inbox.at(-1)).toMatchObject({from: 'Agent_1', to: 'Agent_2', state: 'delivered', text: 'The parser API is in parser.ts; take T-3 when you are done.'})

    // Another session's agent is out of reach: refused, recorded, nothing typed there.
    expect(await turn('team/Agent_1', 'MOCK_TOOL_MCP mcp__ccmcp__send_message {"agent":"elsewhere/Agent_1","message":"psst"}')).toMatch(/MOCK_TOOL_DONE: FORBIDDEN: agent team\/Agent_1 is limited to session team, and this send_message_to_agent reaches session elsewhere/)
    // Refused before it ran: the audit record has it; the history holds only what was sent.
    expect(((await ccmcp(['messages', 'team/Agent_1'])).json as Json).outbox).toEqual([expect.objectContaining({to: 'Agent_2', state: 'delivered'})])
    expect(((await ccmcp(['messages', 'elsewhere/Agent_1'])).json as Json).inbox).toEqual([])

    // complete_task with a result: TODO.md shows it done.
    expect(await turn('team/Agent_1', 'MOCK_TOOL_MCP mcp__ccmcp__complete_task {"id":"T-1","result":"parser.ts parses the grammar"}')).toMatch(/MOCK_TOOL_DONE: [\s\S]*"status":\s*"done"/)
    expect(await turn('team/Agent_2', 'MOCK_TOOL_MCP mcp__ccmcp__complete_task {"id":"T-2","result":"printer.ts round-trips"}')).toMatch(/"status":\s*"done"/)
    const finished = await todo()
    expect(finished).toContain('- [x] T-1 Write the parser — parser.ts parses the grammar')
    expect(finished).toContain('- [x] T-2 Write the printer — printer.ts round-trips')
    expect(finished).toContain('- [ ] T-3 Document both')
  }, 600_000)
})
