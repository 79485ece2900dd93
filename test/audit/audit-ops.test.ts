/**
 * Issue 12 item 4 through core: every operation reaches the audit log from the pipeline's record
 * step (refusals and failures too), and audit_verify / audit_show are the operator's alone.
 */
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {auditReader} from '../../src/core/adapters/audit-log-read.js'
import {type Core, createCore} from '../../src/core/pipeline/core.js'
import type {Caller} from '../../src/core/pipeline/caller.js'
import {type AuditBox, createAuditBox, fakeKeySource} from '../helpers/audit.js'
import {type Harness, createHarness} from '../helpers/core-harness.js'

let h: Harness
let box: AuditBox
let core: Core
beforeEach(async () => {
  h = await createHarness()
  box = await createAuditBox()
  core = createCore({...h.deps, ports: {...h.deps.ports, audit: auditReader({dir: box.dir, anchorDir: box.anchorDir}, fakeKeySource())}}, {recorder: box.log.recorder})
})
afterEach(async () => {
  await h.cleanup()
  await box.cleanup()
})

const low: Caller = {kind: 'mcp', clearance: 'LOW', client: 'token:abc'}

describe('the record step writes the audit log', () => {
  it('ok, refused and failed operations are recorded with caller, target and code', async () => {
    await core.run('create_session', {name: 's', root: h.root})
    await expect(core.run('delete_session', {name: 's'}, {caller: low})).rejects.toMatchObject({code: 'FORBIDDEN'})
    await expect(core.run('get_session_status', {name: 'nope'})).rejects.toMatchObject({code: 'NOT_FOUND'})
    const {records} = await core.run('audit_show', {})
    expect(records.map((record) => [record.seq, record.op, record.caller.kind, record.target, record.outcome, record.code])).toEqual([
      [1, 'create_session', 'operator', {session: 's', agent: null}, 'ok', null],
      [2, 'delete_session', 'mcp', {session: 's', agent: null}, 'refused', 'FORBIDDEN'],
      [3, 'get_session_status', 'operator', {session: 'nope', agent: null}, 'failed', 'NOT_FOUND'],
    ])
    expect(records[1]?.caller).toEqual({kind: 'mcp', clearance: 'LOW', client: 'token:abc'})
    await box.log.close()
    expect(await core.run('audit_verify', {})).toMatchObject({ok: true, records: 4, signedSize: 4})
  })

  it('audit_show filters by session, agent and time', async () => {
    await core.run('create_session', {name: 'a', root: h.root})
    await core.run('create_session', {name: 'b', root: h.root})
    expect((await core.run('audit_show', {session: 'b'})).records.map((record) => record.seq)).toEqual([2])
    expect((await core.run('audit_show', {since: '1h'})).records.length).toBe(3)
    expect((await core.run('audit_show', {since: '2999-01-01T00:00:00Z'})).records).toEqual([])
    await expect(core.run('audit_show', {since: 'yesterday-ish'})).rejects.toMatchObject({code: 'INVALID_INPUT', message: expect.stringContaining('yesterday-ish')})
  })

  it('a broken log fails audit_verify with AUDIT_BROKEN naming the record', async () => {
    await core.run('create_session', {name: 's', root: h.root})
    await core.run('list_sessions', {})
    await core.run('list_sessions', {})
    const lines = await box.lines()
    lines.splice(1, 1)
    await box.setLines(lines)
    await expect(core.run('audit_verify', {})).rejects.toMatchObject({code: 'AUDIT_BROKEN', exitCode: 20, reason: 'deleted', details: {problem: {seq: 2}}})
  })

  it('only the operator may read the log: MCP clients and agents are refused', async () => {
    for (const caller of [{kind: 'mcp', clearance: 'HIGH', client: null}, {kind: 'ccmcp', task: 'x'}] as Caller[]) {
      await expect(core.run('audit_show', {}, {caller})).rejects.toMatchObject({code: 'FORBIDDEN'})
      await expect(core.run('audit_verify', {}, {caller})).rejects.toMatchObject({code: 'FORBIDDEN'})
    }
  })
})
