/** The records `audit show` lists: parsed from the log files, filtered by session, agent and time. */
import type {AuditRecord} from './record.js'
import type {AuditSnapshot} from './verify.js'

export interface ShowFilter {
  session?: string
  /** `Agent_1` or `session/Agent_1`. */
  agent?: string
  /** Records at or after this time. */
  since?: Date
}

export function auditRecords(snapshot: Pick<AuditSnapshot, 'files'>, filter: ShowFilter = {}): AuditRecord[] {
  const [agentSession, agentName] = filter.agent?.includes('/') ? filter.agent.split('/') : [undefined, filter.agent]
  const records: AuditRecord[] = []
  for (const file of snapshot.files) {
    for (const line of file.text.split('\n')) {
      if (!line) continue
      let record: AuditRecord
      try {
        record = JSON.parse(line) as AuditRecord
      } catch {
        continue
      }
      if (typeof record !== 'object' || record === null || typeof record.seq !== 'number') continue
      const session = record.target?.session ?? (record.caller?.kind === 'agent' ? record.caller.session : null)
      const agent = record.target?.agent ?? null
      if (filter.session !== undefined && session !== filter.session) continue
      if (agentName !== undefined && (agent !== agentName || (agentSession !== undefined && session !== agentSession))) continue
      if (filter.since && !(Date.parse(record.ts) >= filter.since.getTime())) continue
      records.push(record)
    }
  }
  return records
}
