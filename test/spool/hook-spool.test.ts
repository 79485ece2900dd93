/**
 * The hook spool (entry/spool-hook.ts → delivery/hook-fold.ts) with real files, the real encrypted
 * home and real hook processes (bin/hook.js; needs `npm run build`): events from concurrent hook
 * processes are folded in the order their processes started, a line cut short by a killed hook is
 * skipped, a line sealed without the agent's secret is refused by the pipeline, and two readers
 * folding at once apply every event once.
 */
import {execa} from 'execa'
import {createHash, randomBytes} from 'node:crypto'
import {appendFile, mkdtemp, readFile, readdir, rm, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'

import {parsePublicKey, sealLine} from '../../src/core/adapters/spool/seal.js'
import {SPOOL_NAME, spoolPaths} from '../../src/core/adapters/spool/spool-paths.js'
import {Agent, NAME_PATTERN, type State} from '../../src/core/domain/state.js'
import {createRuntime} from '../../src/core/entry/runtime.js'
import {spoolHookEvent} from '../../src/core/entry/spool-hook.js'
import {readEventLog} from '../helpers/at-rest.js'
import {hookScript} from '../helpers/cli.js'

const KEY = Buffer.alloc(32, 5).toString('base64')
const SECRET = randomBytes(32).toString('base64url')
const digest = (secret: string) => createHash('sha256').update(secret).digest('hex')
let home = ''

afterEach(async () => {
  if (home) await rm(home, {recursive: true, force: true})
  home = ''
})

/** A home with session "s" and agent s/Agent_1 (launch L1, SECRET), read once so the spool key exists. */
async function seeded(): Promise<void> {
  home = await mkdtemp(path.join(os.tmpdir(), 'ccmcp-spool-'))
  const {deps} = await createRuntime({env: {CCMCP_HOME: home, CCMCP_KEY: KEY}, keySource: null})
  const now = new Date().toISOString()
  const agent = Agent.parse({session: 's', name: 'Agent_1', kind: 'claude', command: ['claude'], status: 'busy', tab: null, conversationId: null, createdAt: now, lastEventAt: null, lastError: null, launchId: 'L1', secretDigest: digest(SECRET)})
  await deps.ports.state.update((state) => ({value: {...state, sessions: [{name: 's', root: home, backend: 'tmux', createdAt: now, nextAgentNumber: 2}], agents: [agent]}, result: null}))
}

/** A reader as any ccmcp command is one (the home's key file, no CCMCP_KEY). */
async function reader() {
  const runtime = await createRuntime({env: {CCMCP_HOME: home}, keySource: null})
  return {read: () => runtime.deps.ports.state.read(), close: runtime.close}
}

const agentOf = (state: State) => state.agents.find((agent) => agent.name === 'Agent_1')!
const hookEnv = (extra: Record<string, string> = {}) => ({CCMCP_HOME: home, CCMCP_SESSION: 's', CCMCP_AGENT: 'Agent_1', CCMCP_LAUNCH_ID: 'L1', CCMCP_AGENT_SECRET: SECRET, ...extra})
const runHook = (event: Record<string, unknown>, extra: Record<string, string> = {}) =>
  execa(process.execPath, [hookScript], {input: JSON.stringify(event), env: hookEnv(extra), extendEnv: false})

async function auditEvents(): Promise<Array<{event: string | null; outcome: string; code: string | null}>> {
  const text = await readFile(path.join(home, 'audit', 'current.jsonl'), 'utf8')
  return text.split('\n').filter(Boolean).map((line) => JSON.parse(line)).filter((record) => record.op === 'record_hook_event').map((record) => ({event: record.event ?? null, outcome: record.outcome, code: record.code ?? null}))
}

const spoolFile = () => spoolPaths(home).spool('s', 'Agent_1')
const noKick = () => undefined

describe('the hook spool', () => {
  it('the hook checks names by the same rule as the state (a name it refuses could never be an agent)', () => {
    expect(SPOOL_NAME.source).toBe(NAME_PATTERN.source)
  })

  it('a hook process spools its event sealed (no prompt text on disk) and the next reader folds it through the pipeline', async () => {
    await seeded()
    const word = `wombat${Date.now()}`
    const result = await runHook({hook_event_name: 'UserPromptSubmit', prompt: `say ${word}`})
    expect(result.exitCode).toBe(0)
    const spooled = await readFile(spoolFile(), 'utf8')
    expect(spooled).toMatch(/^\nccmcp-spool\.v1\./)
    expect(spooled).not.toContain(word)
    // Spooled, not yet in the state file: the hook never touched it.
    const {read} = await reader()
    const agent = agentOf(await read())
    expect(agent).toMatchObject({status: 'busy', lastPrompt: `say ${word}`})
    expect(agent.hookSpoolOffset).toBe(spooled.length)
    expect(await auditEvents()).toEqual([{event: 'UserPromptSubmit', outcome: 'ok', code: null}])
    expect((await readEventLog(home, 's', 'Agent_1')).map((record) => record.hook_event_name)).toEqual(['UserPromptSubmit'])
  }, 60_000)

  it('events are applied in the order their hook processes started, whatever order they were appended in', async () => {
    await seeded()
    const key = parsePublicKey(await readFile(spoolPaths(home).publicKey, 'utf8'))
    expect(key).not.toBeNull()
    const base = Date.now()
    // The Stop hook finished first; the prompt's hook, started earlier, appended later.
    expect(spoolHookEvent(hookEnv(), JSON.stringify({hook_event_name: 'Stop', last_assistant_message: 'the reply'}), base + 50, noKick)).toEqual({spooled: true})
    expect(spoolHookEvent(hookEnv(), JSON.stringify({hook_event_name: 'UserPromptSubmit', prompt: 'the prompt'}), base + 10, noKick)).toEqual({spooled: true})
    const {read} = await reader()
    expect(agentOf(await read())).toMatchObject({status: 'idle', lastPrompt: 'the prompt', lastReply: 'the reply', lastEventAt: new Date(base + 50).toISOString()})
    expect((await readEventLog(home, 's', 'Agent_1')).map((record) => record.hook_event_name)).toEqual(['UserPromptSubmit', 'Stop'])
  })

  it('a failed turn and the next turn folded in one read notify both: the error and the turn finished', async () => {
    // Defect: a fold is one state write, and transitions were taken from that write's before and
    // after only: busy → error → busy → idle read as busy → idle, and the error was never told.
    await seeded()
    const told = path.join(home, 'told.txt')
    const command = ['/bin/sh', '-c', 'printf "%s %s %s\\n" "$CCMCP_NOTIFY_KIND" "$CCMCP_OLD_STATUS" "$CCMCP_NEW_STATUS" >> "$0"', told]
    await writeFile(path.join(home, 'config.json'), JSON.stringify({notifyCommand: command, notifyTurnFinished: true}))
    const base = Date.now()
    const events = [{hook_event_name: 'StopFailure', error: 'rate_limit'}, {hook_event_name: 'UserPromptSubmit', prompt: 'again'}, {hook_event_name: 'Stop', last_assistant_message: 'done'}]
    for (const [index, event] of events.entries()) expect(spoolHookEvent(hookEnv(), JSON.stringify(event), base + index * 10, noKick)).toEqual({spooled: true})
    const {read} = await reader()
    const agent = agentOf(await read())
    expect(agent).toMatchObject({status: 'idle', lastReply: 'done', lastTransition: {seq: 2, kind: 'turnFinished', from: 'busy', to: 'idle'}})
    const expected = ['error busy error', 'turnFinished busy idle']
    const deadline = Date.now() + 15_000
    let lines: string[] = []
    while (Date.now() < deadline) {
      lines = (await readFile(told, 'utf8').catch(() => '')).split('\n').filter(Boolean)
      if (lines.length >= expected.length) break
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    // The detached commands may finish in either order.
    expect(lines.sort()).toEqual(expected)
  })

  it('concurrent hook processes: every event is folded once, in the order the processes started', async () => {
    await seeded()
    const count = 8
    const results = await Promise.all(Array.from({length: count}, (_, index) => runHook({hook_event_name: 'PreToolUse', tool_name: `Tool${index}`})))
    for (const result of results) expect(result.exitCode, result.stderr).toBe(0)
    const {read} = await reader()
    await read()
    const log = await readEventLog(home, 's', 'Agent_1')
    expect(log.map((record) => record.tool_name).sort()).toEqual(Array.from({length: count}, (_, index) => `Tool${index}`).sort())
    const times = log.map((record) => record.at as string)
    expect(times).toEqual([...times].sort())
    expect(await auditEvents()).toHaveLength(count)
  }, 120_000)

  it('a line cut short by a hook killed mid-append is skipped, not fatal, and the events after it are folded', async () => {
    await seeded()
    expect(spoolHookEvent(hookEnv(), JSON.stringify({hook_event_name: 'UserPromptSubmit', prompt: 'before'}), Date.now(), noKick)).toEqual({spooled: true})
    const whole = await readFile(spoolFile(), 'utf8')
    // What kill -9 in the middle of the append leaves: the start of a line and no newline.
    await appendFile(spoolFile(), whole.slice(0, Math.floor(whole.length / 2)))
    const {read} = await reader()
    // The cut line may still be being written: a reader leaves it.
    expect(agentOf(await read())).toMatchObject({lastPrompt: 'before'})
    expect(spoolHookEvent(hookEnv(), JSON.stringify({hook_event_name: 'Stop', last_assistant_message: 'after'}), Date.now(), noKick)).toEqual({spooled: true})
    expect(agentOf(await read())).toMatchObject({status: 'idle', lastReply: 'after'})
    expect(await auditEvents()).toEqual([{event: 'UserPromptSubmit', outcome: 'ok', code: null}, {event: 'Stop', outcome: 'ok', code: null}])
    expect(await readFile(path.join(home, 'logs', 'hook.log'), 'utf8')).toContain('skipped 1 unreadable line')
  })

  it('a line forged without the launch secret is refused at fold time, recorded as refused, and never folded again', async () => {
    await seeded()
    // The public key is public: anyone can seal a line to it, but not present the agent's secret.
    const forged = [{CCMCP_AGENT_SECRET: ''}, {CCMCP_AGENT_SECRET: 'guessed'}]
    for (const extra of forged) expect(spoolHookEvent(hookEnv(extra), JSON.stringify({hook_event_name: 'Stop', last_assistant_message: 'forged'}), Date.now(), noKick)).toEqual({spooled: true})
    // And a line sealed for another agent, copied into this one's spool, does not even open.
    const key = parsePublicKey(await readFile(spoolPaths(home).publicKey, 'utf8'))!
    const other = sealLine(key, 's/Agent_2', JSON.stringify({at: Date.now(), launchId: 'L1', digest: digest(SECRET), event: {hook_event_name: 'Stop', last_assistant_message: 'moved'}}))
    await appendFile(spoolFile(), `\n${other}\n`)
    const {read} = await reader()
    expect(agentOf(await read())).toMatchObject({status: 'busy', lastReply: null})
    expect(await auditEvents()).toEqual([
      {event: 'Stop', outcome: 'refused', code: 'FORBIDDEN'},
      {event: 'Stop', outcome: 'refused', code: 'FORBIDDEN'},
    ])
    expect(await readFile(path.join(home, 'logs', 'hook.log'), 'utf8')).toMatch(/FORBIDDEN[\s\S]*FORBIDDEN/)
    await read()
    expect(await auditEvents()).toHaveLength(2)
  })

  it('two readers racing fold each event exactly once', async () => {
    await seeded()
    const readers = await Promise.all([reader(), reader(), reader()])
    for (let round = 0; round < 4; round++) {
      for (const [index, name] of ['UserPromptSubmit', 'PreToolUse', 'Stop'].entries()) {
        spoolHookEvent(hookEnv(), JSON.stringify({hook_event_name: name, prompt: `p${round}`, last_assistant_message: `r${round}`}), Date.now() + index, noKick)
      }
      const states = await Promise.all(readers.map((one) => one.read()))
      for (const state of states) expect(agentOf(state)).toMatchObject({status: 'idle', lastPrompt: `p${round}`, lastReply: `r${round}`})
    }
    expect(await auditEvents()).toHaveLength(12)
    expect(await readEventLog(home, 's', 'Agent_1')).toHaveLength(12)
  }, 60_000)

  it('without a spool key (nothing of ccmcp read this home yet) the hook records the event itself; PermissionRequest never spools', async () => {
    await seeded()
    await rm(spoolPaths(home).publicKey)
    expect(spoolHookEvent(hookEnv(), JSON.stringify({hook_event_name: 'Stop'}), Date.now(), noKick)).toMatchObject({spooled: false})
    await writeFile(spoolPaths(home).publicKey, 'not a key\n')
    const result = await runHook({hook_event_name: 'Stop', last_assistant_message: 'direct'})
    expect(result.exitCode, result.stderr).toBe(0)
    expect((await readdir(spoolPaths(home).dir)).filter((name) => name.endsWith('.spool'))).toEqual([])
    const {read} = await reader()
    expect(agentOf(await read())).toMatchObject({status: 'idle', lastReply: 'direct'})
    expect(spoolHookEvent(hookEnv(), JSON.stringify({hook_event_name: 'PermissionRequest', tool_name: 'Bash'}), Date.now(), noKick)).toMatchObject({spooled: false})
  }, 60_000)

  it('a line spooled before `key rotate` is still folded after it (the spool key is re-encrypted, not replaced)', async () => {
    await seeded()
    expect(spoolHookEvent(hookEnv(), JSON.stringify({hook_event_name: 'Stop', last_assistant_message: 'kept'}), Date.now(), noKick)).toEqual({spooled: true})
    const keyBefore = await readFile(spoolPaths(home).privateKey, 'utf8')
    const rotator = await createRuntime({env: {CCMCP_HOME: home}, keySource: null})
    const rotated = await rotator.deps.ports.keyRotation.rotate()
    expect(rotated.files).toContain(spoolPaths(home).privateKey)
    expect(await readFile(spoolPaths(home).privateKey, 'utf8')).not.toBe(keyBefore)
    const {read} = await reader()
    expect(agentOf(await read())).toMatchObject({status: 'idle', lastReply: 'kept'})
  })

  it('a hook starts the flusher after Stop only when the agent has queued messages', async () => {
    await seeded()
    const kicked: string[] = []
    const kick = (agentKey: string) => void kicked.push(agentKey)
    spoolHookEvent(hookEnv(), JSON.stringify({hook_event_name: 'Stop'}), Date.now(), kick)
    expect(kicked).toEqual([])
    const runtime = await createRuntime({env: {CCMCP_HOME: home}, keySource: null})
    const message = {id: 'm1', from: 'operator', text: 'queued', queuedAt: new Date().toISOString()}
    await runtime.deps.ports.state.update((state) => ({value: {...state, agents: state.agents.map((agent) => ({...agent, queue: [message]}))}, result: null}))
    spoolHookEvent(hookEnv(), JSON.stringify({hook_event_name: 'UserPromptSubmit'}), Date.now(), kick)
    spoolHookEvent(hookEnv(), JSON.stringify({hook_event_name: 'Stop'}), Date.now(), kick)
    expect(kicked).toEqual(['s/Agent_1'])
    await runtime.deps.ports.state.update((state) => ({value: {...state, agents: state.agents.map((agent) => ({...agent, queue: []}))}, result: null}))
    spoolHookEvent(hookEnv(), JSON.stringify({hook_event_name: 'Stop'}), Date.now(), kick)
    expect(kicked).toEqual(['s/Agent_1'])
  })
})
