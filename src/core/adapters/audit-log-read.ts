/**
 * Reads the audit log for `audit verify` and `audit show`: every log file, checkpoints.jsonl and
 * the mirrored checkpoint, taken under the log's lock so no append is seen half-written, plus the
 * public key checkpoints must carry (derived from the master key, never read from the log).
 */
import {mkdir, readFile} from 'node:fs/promises'
import path from 'node:path'

import {checkpointKeys} from '../audit/checkpoint.js'
import type {AuditFile, AuditSnapshot} from '../audit/verify.js'
import type {AuditReader, KeySource} from '../ports.js'
import {type AuditLocation, CHECKPOINTS_FILE, MIRROR_FILE, logFiles, withAuditLock} from './audit-log.js'

export function auditReader(location: AuditLocation, keySource: KeySource | null): AuditReader {
  return {
    location: () => ({...location}),
    snapshot: (options) => readAuditSnapshot(location, options?.key === false ? null : keySource),
  }
}

export async function readAuditSnapshot(location: AuditLocation, keySource: KeySource | null): Promise<AuditSnapshot> {
  const read = async (file: string): Promise<AuditFile | null> => {
    const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null
      throw error
    })
    return text === null ? null : {name: file, text}
  }
  const exists = await mkdir(location.dir, {recursive: true, mode: 0o700}).then(() => true, () => false)
  const files: AuditFile[] = []
  let checkpoints: AuditFile | null = null
  let mirror: AuditFile | null = null
  const readAll = async () => {
    for (const name of await logFiles(location.dir)) {
      const file = await read(path.join(location.dir, name))
      if (file) files.push(file)
    }
    checkpoints = await read(path.join(location.dir, CHECKPOINTS_FILE))
    mirror = await read(path.join(location.anchorDir, MIRROR_FILE))
  }
  await (exists ? withAuditLock(location.dir, readAll) : readAll())
  let publicKey: AuditSnapshot['publicKey'] = null
  let keyProblem: string | null = keySource ? null : 'no key source is configured'
  if (keySource) {
    try {
      publicKey = checkpointKeys(await keySource.masterKey()).publicKey
    } catch (error) {
      keyProblem = `the master key could not be had: ${(error as Error).message}`
    }
  }
  return {dir: location.dir, files, checkpoints, mirror, publicKey, keyProblem}
}
