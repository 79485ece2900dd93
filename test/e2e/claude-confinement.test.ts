/**
 * Issue 12 item 2 against the REAL Claude Code binary (CCMCP_TEST_CLAUDE_BIN), offline against
 * the mock Messages API: an agent of session A, whose root is a sibling of session B's, tries
 * B's secret with Bash and with Read, writes into B with Bash and with Write, and reads ccmcp's
 * home and Claude Code's transcripts and registry. None of it reaches anything, no permission
 * prompt stops it, and it still reads and writes its own root. The mock server sees every
 * tool_result the agent sends back, so the assertions are on what the model would have seen.
 */
import {mkdir, readFile, readdir, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {type ClaudeTestEnv, claudeBin, claudeSuiteName, startClaudeEnv} from '../claude/env.js'
import {type Sandbox, createSandbox} from '../helpers/cli.js'
import {readEventLog} from '../helpers/at-rest.js'

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

const SECRET = 'B_SECRET_7f3a91'
const HOME_MARK = 'CCMCP_HOME_MARK_52c0'
const TRANSCRIPT_MARK = 'TRANSCRIPT_MARK_e41d'
const REGISTRY_MARK = 'REGISTRY_MARK_9b77'
/** Several real turns each; the machine running the suite may be loaded. */
const TURNS_TIMEOUT_MS = 240_000

describe.skipIf(!claudeBin())(claudeSuiteName('real Claude Code agents confined to their session root'), () => {
  let cc: ClaudeTestEnv
  let box: Sandbox
  let rootA: string
  let rootB: string
  let conversation: string
  const ccmcp = async (args: string[]) => box.run([...args, '--json'], {env: {...cc.env, CCMCP_CLAUDE_BIN: cc.bin}})
  /** Sends a prompt and waits for the turn; the agent must end it idle, never waiting on a prompt. */
  const turn = async (prompt: string): Promise<string> => {
    // Bounded below the test's timeout, so a stuck turn fails with what it was stuck on.
    const sent = await ccmcp(['agent', 'send', 'A/Agent_1', '--wait', '--timeout', '150', '--raw', prompt])
    if (sent.exitCode !== 0) {
      const screen = ((await ccmcp(['agent', 'read', 'A/Agent_1'])).json as Json).screen
      const hookLog = await readFile(path.join(box.home, 'logs', 'hook.log'), 'utf8').catch(() => '(no hook.log)')
      const events = ((await readEventLog(box.home, 'A', 'Agent_1')) as Json[]).slice(-6).map((event) => `${event.at} ${event.hook_event_name}`)
      expect.fail(`${prompt}: exit ${sent.exitCode} ${JSON.stringify(sent.json)}\n${screen}\nlast events: ${events.join(', ')}\nhook.log: ${hookLog.slice(-2000)}`)
    }
    expect((sent.json as Json).agent.status).toBe('idle')
    return (sent.json as Json).reply as string
  }
  /** Every tool_result block the agent sent to the model, as text. */
  const toolResults = (): string[] => {
    const seen = new Set<string>()
    for (const request of cc.api.requests().filter((one) => one.sessionId === conversation)) {
      for (const message of request.messages) {
        for (const block of Array.isArray(message.content) ? (message.content as Json[]) : []) {
          if (block.type === 'tool_result') seen.add(typeof block.content === 'string' ? block.content : JSON.stringify(block.content))
        }
      }
    }
    return [...seen]
  }

  beforeAll(async () => {
    cc = await startClaudeEnv()
    box = await createSandbox()
    rootA = path.join(cc.dir, 'A')
    rootB = path.join(cc.dir, 'B')
    await mkdir(rootA)
    await mkdir(rootB)
    await writeFile(path.join(rootB, 'secret.txt'), `${SECRET}\n`)
    await writeFile(path.join(rootA, 'mine.txt'), 'MINE_A\n')
    await writeFile(path.join(box.home, 'marker.txt'), `${HOME_MARK}\n`)
    const claudeDir = path.join(cc.home.home, '.claude')
    await mkdir(path.join(claudeDir, 'projects', '-elsewhere'), {recursive: true})
    await writeFile(path.join(claudeDir, 'projects', '-elsewhere', 'other.jsonl'), `${TRANSCRIPT_MARK}\n`)
    await mkdir(path.join(claudeDir, 'sessions'), {recursive: true})
    await writeFile(path.join(claudeDir, 'sessions', '99999.json'), `{"mark":"${REGISTRY_MARK}"}\n`)
    // The hook confirming a prompt can take many seconds on a loaded machine: wait for it, never retype.
    expect((await box.run(['config', 'set', 'deliveryTimeoutMs', '30000'])).exitCode).toBe(0)
    for (const [name, root] of [['A', rootA], ['B', rootB]]) {
      const created = await ccmcp(['session', 'create', name!, '--root', root!, '--trust'])
      expect(created.exitCode, created.stderr).toBe(0)
    }
    // Every tool call outside the sandbox's auto-allow would ask here: a prompt shows as `waiting`.
    const agent = await ccmcp(['agent', 'create', 'A', '--permission-mode', 'manual'])
    expect(agent.exitCode, agent.stderr).toBe(0)
    conversation = (agent.json as Json).agent.conversationId
  }, 180_000)
  afterAll(async () => {
    await box?.cleanup()
    await cc?.cleanup()
  })

  it('session status says the session is sandboxed', async () => {
    const status = await ccmcp(['session', 'status', 'A'])
    expect((status.json as Json).session.sandbox).toEqual({enabled: true, allowRead: [], allowWrite: [], allowDomains: []})
  })

  it("gets neither B's secret nor a file in B, by Bash or by its file tools, and is never asked", async () => {
    const secret = path.join(rootB, 'secret.txt')
    expect(await turn(`MOCK_TOOL_BASH cat ${secret}`)).toMatch(/No such file or directory/)
    expect(await turn(`MOCK_TOOL_READ ${secret}`)).not.toContain(SECRET)
    expect(await turn(`MOCK_TOOL_BASH echo x > ${path.join(rootB, 'f')}`)).toMatch(/No such file or directory/)
    await turn(`MOCK_TOOL_BASH python3 -c "print(open('${secret}').read())"`)
    await turn(`MOCK_TOOL_BASH find ${rootB} -type f -exec cat {} +`)
    await turn(`MOCK_TOOL_BASH cd ${rootB} && cat secret.txt`)
    await turn(`MOCK_TOOL_WRITE ${path.join(rootB, 'g')} written`)
    const results = toolResults()
    expect(results.length).toBeGreaterThanOrEqual(5)
    for (const result of results) expect(result).not.toContain(SECRET)
    expect(await readdir(rootB)).toEqual(['secret.txt'])
    expect(await readFile(secret, 'utf8')).toBe(`${SECRET}\n`)
    const events = (await readEventLog(box.home, 'A', 'Agent_1')) as Json[]
    expect(events.filter((event) => event.hook_event_name === 'Notification' && event.notification_type === 'permission_prompt')).toEqual([])
    // The PermissionRequest hook is installed (agent answer works when sandboxed), yet none of this reached it as a question.
    expect(events.filter((event) => event.hook_event_name === 'PermissionRequest')).toEqual([])
  }, TURNS_TIMEOUT_MS)

  it("reads neither ccmcp's home nor Claude Code's transcripts and session registry", async () => {
    const claudeDir = path.join(cc.home.home, '.claude')
    await turn(`MOCK_TOOL_BASH cat ${box.home}/marker.txt ${box.home}/state.json; ls ${box.home}; cat ${claudeDir}/projects/*/*.jsonl ${claudeDir}/sessions/*.json`)
    await turn(`MOCK_TOOL_READ ${path.join(box.home, 'marker.txt')}`)
    await turn(`MOCK_TOOL_READ ${path.join(claudeDir, 'projects', '-elsewhere', 'other.jsonl')}`)
    const results = toolResults().join('\n')
    for (const mark of [HOME_MARK, TRANSCRIPT_MARK, REGISTRY_MARK, '"schemaVersion"']) expect(results).not.toContain(mark)
  }, TURNS_TIMEOUT_MS)

  it('still reads and writes its own root, and runs git there', async () => {
    expect(await turn(`MOCK_TOOL_BASH cat ${rootA}/mine.txt && echo own > ${rootA}/own.txt && git -C ${rootA} init -q && echo git-ok`)).toMatch(/MINE_A[\s\S]*git-ok/)
    expect(await readFile(path.join(rootA, 'own.txt'), 'utf8')).toBe('own\n')
    expect(await turn(`MOCK_TOOL_READ ${path.join(rootA, 'mine.txt')}`)).toContain('MINE_A')
  }, TURNS_TIMEOUT_MS)
})
