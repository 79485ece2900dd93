/** A throwaway audit log (its own directory and anchor) written through the real adapter, with a fixed fake master key. */
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

import {type AuditLogWriter, CURRENT_FILE, createAuditLog} from '../../src/core/adapters/audit-log.js'
import {readAuditSnapshot} from '../../src/core/adapters/audit-log-read.js'
import {type VerifyReport, verifyAudit} from '../../src/core/audit/verify.js'
import type {KeySource, OperationRecord} from '../../src/core/ports.js'

export const fakeKeySource = (byte = 7): KeySource => ({
  masterKey: async () => new Uint8Array(32).fill(byte),
  describe: async () => ({source: 'env', where: 'test'}),
})

export interface AuditBox {
  home: string
  dir: string
  anchorDir: string
  log: AuditLogWriter
  /** Records `count` operations (as the pipeline would), then closes (signs a checkpoint) unless told not to. */
  write(count: number, options?: {close?: boolean; input?: unknown}): Promise<void>
  verify(keySource?: KeySource | null): Promise<VerifyReport>
  lines(file?: string): Promise<string[]>
  setLines(lines: string[], file?: string): Promise<void>
  cleanup(): Promise<void>
}

export function operationRecord(index: number, input: unknown = {agent: `s/Agent_${index}`, message: `text ${index}`}): OperationRecord {
  return {operation: 'send_message_to_agent', caller: {kind: 'operator'}, input, outcome: 'ok', error: null, at: new Date(Date.UTC(2026, 0, 1, 0, 0, index)).toISOString(), ms: 1}
}

export async function createAuditBox(options: {rotateBytes?: number; checkpointEvery?: number; keySource?: KeySource | null} = {}): Promise<AuditBox> {
  const home = await mkdtemp(path.join(os.tmpdir(), 'cca-'))
  const dir = path.join(home, 'audit')
  const anchorDir = path.join(home, 'audit-anchor')
  const keySource = options.keySource === undefined ? fakeKeySource() : options.keySource
  const log = createAuditLog({dir, anchorDir, keySource, rotateBytes: options.rotateBytes, checkpointEvery: options.checkpointEvery ?? 1000})
  let written = 0
  const file = (name = CURRENT_FILE) => path.join(dir, name)
  return {
    home,
    dir,
    anchorDir,
    log,
    async write(count, writeOptions = {}) {
      for (let index = 0; index < count; index++) await log.recorder.record(operationRecord(++written, writeOptions.input))
      if (writeOptions.close ?? true) await log.close()
    },
    verify: async (verifyKey = keySource) => verifyAudit(await readAuditSnapshot({dir, anchorDir}, verifyKey)),
    lines: async (name) => (await readFile(file(name), 'utf8')).split('\n').filter(Boolean),
    setLines: (lines, name) => writeFile(file(name), lines.map((line) => `${line}\n`).join('')),
    cleanup: () => rm(home, {recursive: true, force: true}),
  }
}
