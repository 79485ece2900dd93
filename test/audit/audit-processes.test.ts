/**
 * Issue 12 items 4 and 7 with real processes: many processes appending at once keep one total
 * order (seq contiguous, chain and checkpoints verify), and a real run — CLI, agents reporting
 * through bin/hook.js, refusals — verifies with `ccmcp audit verify`, holds no message text, and
 * fails verification once a line is changed.
 */
import {execa} from 'execa'
import {readFile, readdir} from 'node:fs/promises'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'

import {readAuditSnapshot} from '../../src/core/adapters/audit-log-read.js'
import {auditRecords} from '../../src/core/audit/show.js'
import {verifyAudit} from '../../src/core/audit/verify.js'
import {canonicalJson} from '../../src/core/audit/record.js'
import {type Sandbox, createSandbox, eventually, hookScript, repoRoot} from '../helpers/cli.js'
import {type AuditBox, createAuditBox, fakeKeySource} from '../helpers/audit.js'
import {startStdioServer} from '../helpers/serve.js'

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

const KEY = Buffer.alloc(32, 7).toString('base64')
let box: AuditBox | undefined
let sandbox: Sandbox | undefined
afterEach(async () => {
  await box?.cleanup()
  await sandbox?.cleanup()
  box = sandbox = undefined
})

describe('appends from many processes', () => {
  it('10 processes writing at once: one contiguous, verifiable chain with every record', async () => {
    box = await createAuditBox({keySource: fakeKeySource(7)})
    const writer = path.join(repoRoot, 'test', 'fixtures', 'audit-writer.mjs')
    const runs = Array.from({length: 10}, () => execa(process.execPath, [writer, box!.dir, box!.anchorDir, '15', '7'], {env: {AUDIT_TEST_KEY: KEY}, reject: false}))
    const results = await Promise.all(runs)
    for (const result of results) expect(result.exitCode, result.stderr).toBe(0)
    const snapshot = await readAuditSnapshot({dir: box.dir, anchorDir: box.anchorDir}, fakeKeySource(7))
    const report = verifyAudit(snapshot)
    expect(report).toMatchObject({ok: true, records: 150, signedSize: 150})
    const records = auditRecords(snapshot)
    expect(records.map((record) => record.seq)).toEqual(Array.from({length: 150}, (_, index) => index + 1))
    const perProcess = new Map<number, number>()
    for (const record of records) perProcess.set(record.pid, (perProcess.get(record.pid) ?? 0) + 1)
    expect([...perProcess.values()]).toEqual(Array.from({length: 10}, () => 15))
    expect(report.checkpoints).toBeGreaterThan(10)
  }, 120_000)
})

describe('a real run', () => {
  it('CLI, agents and their hooks, refusals: verify passes, no message text, and an edited line fails it', async () => {
    sandbox = await createSandbox()
    const env = {CCMCP_KEY: KEY}
    const run = (args: string[], extra: Record<string, string> = {}) => sandbox!.run(args, {env: {...env, ...extra}})
    expect((await run(['session', 'create', 'au', '--root', sandbox.root])).exitCode).toBe(0)
    const created = await run(['agent', 'create', 'au', '--command', sandbox.fakeAgentCommand(), '--json'])
    expect(created.exitCode, created.stderr).toBe(0)
    await eventually(async () => (((await run(['agent', 'list', '--json'])).json as Json).agents[0]?.status === 'idle' ? true : undefined), 30_000)
    const word = `quokka${Date.now()}zanzibar`
    const sent = await run(['agent', 'send', 'au/Agent_1', `please echo ${word}`, '--json'])
    expect(sent.exitCode, sent.stderr).toBe(0)
    expect((await run(['agent', 'wait', 'au/Agent_1', '--timeout', '60'])).exitCode).toBe(0)
    // Refused: a caller claiming to be the agent without its launch id; a forged hook event.
    expect((await run(['session', 'list'], {CCMCP_SESSION: 'au', CCMCP_AGENT: 'Agent_1', CCMCP_LAUNCH_ID: 'forged'})).exitCode).toBe(14)
    await execa(process.execPath, [hookScript], {input: JSON.stringify({hook_event_name: 'Stop'}), env: {...sandbox.env, CCMCP_SESSION: 'au', CCMCP_AGENT: 'Agent_1', CCMCP_LAUNCH_ID: 'forged'}})
    // The flusher (as ccmcp itself), with nothing queued.
    const flushed = await execa(process.execPath, [path.join(repoRoot, 'bin', 'flush.js'), 'au/Agent_1'], {env: {...sandbox.env, ...env}, reject: false})
    expect(flushed.exitCode, flushed.stderr).toBe(0)
    // Failed: no such session.
    expect((await run(['session', 'status', 'nosuch'])).exitCode).toBe(3)
    expect((await run(['agent', 'delete', 'au/Agent_1', '--yes'])).exitCode).toBe(0)
    expect((await run(['session', 'delete', 'au', '--yes'])).exitCode).toBe(0)

    const verified = await sandbox.spawn(['audit', 'verify', '--json'], {env})
    expect(verified.exitCode, verified.stdout + verified.stderr).toBe(0)
    expect(verified.json).toMatchObject({ok: true, problem: null})
    const shown = (await sandbox.spawn(['audit', 'show', '--json', '--session', 'au'], {env})).json as Json
    const ops = shown.records.map((record: Json) => `${record.op}${record.event ? ` ${record.event}` : ''} ${record.caller.kind} ${record.outcome}${record.code ? ` ${record.code}` : ''}`)
    expect(ops).toEqual(expect.arrayContaining([
      'create_session operator ok',
      'create_agent operator ok',
      'record_hook_event SessionStart agent ok',
      'record_hook_event UserPromptSubmit agent ok',
      'send_message_to_agent operator ok',
      'record_hook_event Stop agent refused FORBIDDEN',
      'flush_queue ccmcp ok',
      'delete_agent operator ok',
      'delete_session operator ok',
    ]))
    const all = ((await sandbox.spawn(['audit', 'show', '--json'], {env})).json as Json).records
    expect(all.some((record: Json) => record.op === 'list_sessions' && record.outcome === 'refused' && record.caller.kind === 'agent')).toBe(true)
    expect(all.some((record: Json) => record.op === 'get_session_status' && record.code === 'NOT_FOUND' && record.target?.session === 'nosuch')).toBe(true)
    expect(all.map((record: Json) => record.seq)).toEqual(all.map((_: unknown, index: number) => index + 1))

    for (const dir of ['audit', 'audit-anchor']) {
      for (const name of await readdir(path.join(sandbox.home, dir))) {
        expect(await readFile(path.join(sandbox.home, dir, name), 'utf8'), `${dir}/${name}`).not.toContain(word)
      }
    }

    const file = path.join(sandbox.home, 'audit', 'current.jsonl')
    const lines = (await readFile(file, 'utf8')).split('\n').filter(Boolean)
    const index = lines.findIndex((line) => JSON.parse(line).op === 'send_message_to_agent')
    lines[index] = canonicalJson({...JSON.parse(lines[index] as string), outcome: 'failed'})
    await import('node:fs/promises').then(({writeFile}) => writeFile(file, lines.map((line) => `${line}\n`).join('')))
    const broken = await sandbox.spawn(['audit', 'verify', '--json'], {env})
    expect(broken.exitCode).toBe(20)
    expect((broken.json as Json).error).toMatchObject({code: 'AUDIT_BROKEN', details: {problem: {kind: 'edited', seq: index + 1}}})
  }, 240_000)
})

describe('ccmcp serve', () => {
  it('records its clients\' calls (refusals too) and signs a checkpoint when it shuts down', async () => {
    sandbox = await createSandbox()
    const server = await startStdioServer(sandbox, ['--security-level', 'LOW'], {CCMCP_KEY: KEY})
    expect((await server.call('list_sessions')).isError).toBeFalsy()
    expect((await server.call('delete_session', {name: 'x'})).isError).toBe(true)
    await server.close()
    const location = {dir: path.join(sandbox.home, 'audit'), anchorDir: path.join(sandbox.home, 'audit-anchor')}
    const report = await eventually(async () => {
      const verified = verifyAudit(await readAuditSnapshot(location, fakeKeySource(7)))
      return verified.signedSize === 2 ? verified : undefined
    }, 30_000)
    expect(report).toMatchObject({ok: true, records: 2})
    const records = auditRecords(await readAuditSnapshot(location, null))
    expect(records.map((record) => [record.op, record.caller, record.outcome, record.code])).toEqual([
      ['list_sessions', {kind: 'mcp', clearance: 'LOW', client: null}, 'ok', null],
      ['delete_session', {kind: 'mcp', clearance: 'LOW', client: null}, 'refused', 'FORBIDDEN'],
    ])
  }, 120_000)
})

describe('ccmcp key rotate', () => {
  it('leaves the audit log as it was written, and verify accepts the old key\'s checkpoints once the new key signs', async () => {
    sandbox = await createSandbox()
    expect((await sandbox.spawn(['session', 'list'])).exitCode).toBe(0)
    const before = await readFile(path.join(sandbox.home, 'audit', 'current.jsonl'), 'utf8')
    const rotated = await sandbox.spawn(['key', 'rotate', '--json'])
    expect(rotated.exitCode, rotated.stderr).toBe(0)
    expect((await readFile(path.join(sandbox.home, 'audit', 'current.jsonl'), 'utf8')).startsWith(before)).toBe(true)
    const verified = await sandbox.spawn(['audit', 'verify', '--json'])
    expect(verified.exitCode, verified.stdout).toBe(0)
    expect(verified.json).toMatchObject({ok: true, warnings: [expect.stringContaining('signed by another key')]})
  }, 120_000)
})
