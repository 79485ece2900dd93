/**
 * Issue 12 items 4 and 7: the audit log's chain and checkpoints, written through the real adapter,
 * then tampered with the way an attacker without the key would: each kind of change is found and
 * named by the first record it breaks.
 */
import {readFile, readdir, rename, rm, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'

import {CHECKPOINTS_FILE, MIRROR_FILE, createAuditLog} from '../../src/core/adapters/audit-log.js'
import {canonicalJson} from '../../src/core/audit/record.js'
import {type AuditBox, createAuditBox, fakeKeySource, operationRecord} from '../helpers/audit.js'

let box: AuditBox
afterEach(async () => {
  await box.cleanup()
})

const edit = (line: string, change: Record<string, unknown>) => canonicalJson({...JSON.parse(line), ...change})

describe('an intact log verifies', () => {
  it('records are numbered from 1, chained, and signed at close', async () => {
    box = await createAuditBox()
    await box.write(5)
    const report = await box.verify()
    expect(report).toMatchObject({ok: true, records: 5, signedSize: 5, checkpoints: 1, problem: null})
    const records = (await box.lines()).map((line) => JSON.parse(line))
    expect(records.map((record) => record.seq)).toEqual([1, 2, 3, 4, 5])
    expect(records[0]).toMatchObject({v: 1, op: 'send_message_to_agent', outcome: 'ok', code: null, target: {session: 's', agent: 'Agent_1'}, caller: {kind: 'operator'}})
  })

  it('never holds input text, only its digest', async () => {
    box = await createAuditBox()
    await box.write(2, {input: {agent: 's/Agent_1', message: 'zanzibar-quokka-7731'}})
    for (const name of await readdir(box.dir)) expect(await readFile(path.join(box.dir, name), 'utf8')).not.toContain('zanzibar')
    expect(JSON.parse((await box.lines())[0] as string).argsDigest).toMatch(/^[0-9a-f]{64}$/)
  })

  it('an agent caller is recorded without its launch secret', async () => {
    box = await createAuditBox()
    await box.log.recorder.record({...operationRecord(1), operation: 'record_hook_event', caller: {kind: 'agent', session: 's', agent: 'Agent_1', launchId: 'secret-launch-id-42'}, input: {hook_event_name: 'Stop', prompt: 'hello'}})
    const [line] = await box.lines()
    expect(line).not.toContain('secret-launch-id-42')
    expect(JSON.parse(line as string)).toMatchObject({event: 'Stop', target: {session: 's', agent: 'Agent_1'}, caller: {kind: 'agent', session: 's', agent: 'Agent_1'}})
  })

  it('rotation carries the chain over: the new file starts from the old one\'s final head', async () => {
    box = await createAuditBox({rotateBytes: 1500})
    await box.write(12)
    const files = (await readdir(box.dir)).filter((name) => name.endsWith('.jsonl') && name !== CHECKPOINTS_FILE).sort()
    expect(files.length).toBeGreaterThan(2)
    const report = await box.verify()
    expect(report).toMatchObject({ok: true, records: 12, signedSize: 12})
    expect(report.files.length).toBe(files.length)
  })
})

describe('each kind of tampering is found', () => {
  it('an edited record (still canonical) is named', async () => {
    box = await createAuditBox()
    await box.write(6)
    const lines = await box.lines()
    lines[2] = edit(lines[2] as string, {outcome: 'refused'})
    await box.setLines(lines)
    expect((await box.verify()).problem).toMatchObject({kind: 'edited', seq: 3})
  })

  it('an edited last record is caught by the signed checkpoint', async () => {
    box = await createAuditBox()
    await box.write(3)
    await box.write(1)
    const lines = await box.lines()
    lines[3] = edit(lines[3] as string, {op: 'list_sessions'})
    await box.setLines(lines)
    expect((await box.verify()).problem).toMatchObject({kind: 'edited', seq: 4})
  })

  it('a record edited by hand (not canonical any more) is named', async () => {
    box = await createAuditBox()
    await box.write(4)
    const lines = await box.lines()
    lines[1] = (lines[1] as string).replace('"outcome":"ok"', '"outcome": "ok"')
    await box.setLines(lines)
    expect((await box.verify()).problem).toMatchObject({kind: 'edited', seq: 2, where: expect.stringMatching(/current\.jsonl:2$/)})
  })

  it('a deleted record is named', async () => {
    box = await createAuditBox()
    await box.write(5)
    const lines = await box.lines()
    lines.splice(1, 1)
    await box.setLines(lines)
    expect((await box.verify()).problem).toMatchObject({kind: 'deleted', seq: 2})
  })

  it('an inserted (copied) record is named', async () => {
    box = await createAuditBox()
    await box.write(5)
    const lines = await box.lines()
    lines.splice(3, 0, lines[1] as string)
    await box.setLines(lines)
    expect((await box.verify()).problem).toMatchObject({kind: 'inserted', seq: 2, where: expect.stringMatching(/:4$/)})
  })

  it('reordered records are named', async () => {
    box = await createAuditBox()
    await box.write(5)
    const lines = await box.lines()
    ;[lines[1], lines[2]] = [lines[2] as string, lines[1] as string]
    await box.setLines(lines)
    expect((await box.verify()).problem).toMatchObject({kind: 'reordered', seq: 2})
  })

  it('truncation into signed records is found (log cut, checkpoints.jsonl intact)', async () => {
    box = await createAuditBox()
    await box.write(6)
    await box.setLines((await box.lines()).slice(0, 4))
    expect((await box.verify()).problem).toMatchObject({kind: 'truncated', seq: 5})
  })

  it('truncation of the log AND its checkpoints is found by the mirror outside the log', async () => {
    box = await createAuditBox()
    await box.write(3)
    const early = await readFile(path.join(box.dir, CHECKPOINTS_FILE), 'utf8')
    await box.write(3)
    await box.setLines((await box.lines()).slice(0, 3))
    await writeFile(path.join(box.dir, CHECKPOINTS_FILE), early)
    expect((await box.verify()).problem).toMatchObject({kind: 'truncated', seq: 4, where: path.join(box.anchorDir, MIRROR_FILE)})
  })

  it('records after the last checkpoint are not protected from truncation: verify says they are unsigned', async () => {
    box = await createAuditBox()
    await box.write(3)
    await box.write(2, {close: false})
    const before = await box.verify()
    expect(before).toMatchObject({ok: true, records: 5, signedSize: 3})
    expect(before.warnings).toContain('records 4–5 come after the last signed checkpoint')
    await box.setLines((await box.lines()).slice(0, 4))
    expect(await box.verify()).toMatchObject({ok: true, records: 4, signedSize: 3})
  })

  it('a truncated (torn) last line is found', async () => {
    box = await createAuditBox()
    await box.write(3)
    const text = await readFile(path.join(box.dir, 'current.jsonl'), 'utf8')
    await writeFile(path.join(box.dir, 'current.jsonl'), text.slice(0, -20))
    expect((await box.verify()).problem).toMatchObject({seq: 3})
  })

  it('a checkpoint with a bad signature is found', async () => {
    box = await createAuditBox()
    await box.write(3)
    const file = path.join(box.dir, CHECKPOINTS_FILE)
    const checkpoint = JSON.parse(await readFile(file, 'utf8'))
    const sig = Buffer.from(checkpoint.sig, 'base64')
    sig[0] = (sig[0] as number) ^ 1
    await writeFile(file, `${JSON.stringify({...checkpoint, sig: sig.toString('base64')})}\n`)
    expect((await box.verify()).problem).toMatchObject({kind: 'signature', seq: 3})
  })

  it('after a key rotation, checkpoints of the old key covered by one of the new key are accepted (with a warning)', async () => {
    box = await createAuditBox()
    await box.write(3)
    const rotated = createAuditLog({dir: box.dir, anchorDir: box.anchorDir, keySource: fakeKeySource(8), checkpointEvery: 1000})
    await rotated.recorder.record(operationRecord(4))
    expect((await box.verify(fakeKeySource(8))).problem).toMatchObject({kind: 'signature', seq: 3})
    await rotated.close()
    const report = await box.verify(fakeKeySource(8))
    expect(report).toMatchObject({ok: true, records: 4, signedSize: 4})
    expect(report.warnings).toEqual([expect.stringContaining('signed by another key')])
  })

  it('checkpoints signed with another key and not covered by the current one are refused', async () => {
    box = await createAuditBox()
    await box.write(3)
    expect((await box.verify(fakeKeySource(9))).problem).toMatchObject({kind: 'signature'})
  })

  it('a checkpoint whose body was changed (signature kept) is found', async () => {
    box = await createAuditBox()
    await box.write(3)
    const file = path.join(box.dir, CHECKPOINTS_FILE)
    const checkpoint = JSON.parse(await readFile(file, 'utf8'))
    await writeFile(file, `${JSON.stringify({...checkpoint, body: checkpoint.body.replace('\n3\n', '\n2\n')})}\n`)
    expect((await box.verify()).problem).toMatchObject({kind: 'signature', seq: 2})
  })

  it('a missing mirror is found', async () => {
    box = await createAuditBox()
    await box.write(3)
    await rm(path.join(box.anchorDir, MIRROR_FILE))
    expect((await box.verify()).problem).toMatchObject({kind: 'mirror'})
  })

  it('a mirror rolled back to an older checkpoint is found', async () => {
    box = await createAuditBox()
    await box.write(2)
    const old = await readFile(path.join(box.anchorDir, MIRROR_FILE), 'utf8')
    await box.write(2)
    await writeFile(path.join(box.anchorDir, MIRROR_FILE), old)
    expect((await box.verify()).problem).toMatchObject({kind: 'mirror', seq: 3})
  })

  it('a removed rotated file is found', async () => {
    box = await createAuditBox({rotateBytes: 1500})
    await box.write(12)
    const [first, second] = (await readdir(box.dir)).filter((name) => name.startsWith('rotated-')).sort()
    await rm(path.join(box.dir, second as string))
    const report = await box.verify()
    expect(report.problem).toMatchObject({kind: 'deleted', message: expect.stringContaining('rotated file')})
    expect(report.problem?.seq).toBe(Number(/rotated-(\d+)/.exec(first as string)?.[1]) + 1)
  })

  it('an edit inside a rotated file is found', async () => {
    box = await createAuditBox({rotateBytes: 1500})
    await box.write(12)
    const [first] = (await readdir(box.dir)).filter((name) => name.startsWith('rotated-')).sort()
    const lines = await box.lines(first)
    lines[0] = edit(lines[0] as string, {outcome: 'failed'})
    await box.setLines(lines, first)
    expect((await box.verify()).problem).toMatchObject({kind: 'edited', seq: 1})
  })

  it('a renamed rotated file out of order is found', async () => {
    box = await createAuditBox({rotateBytes: 1500})
    await box.write(12)
    const rotated = (await readdir(box.dir)).filter((name) => name.startsWith('rotated-')).sort()
    await rename(path.join(box.dir, rotated[0] as string), path.join(box.dir, 'rotated-999999999999.jsonl'))
    expect((await box.verify()).ok).toBe(false)
  })
})
