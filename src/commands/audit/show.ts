import {CcmcpCommand} from '../../cli/base-command.js'
import {flagFrom} from '../../cli/schema-flags.js'
import {operations} from '../../core/pipeline/registry.js'
import {table} from '../../present/status.js'

export default class AuditShow extends CcmcpCommand {
  static override summary = 'List audit records: who did what to which session or agent, and how it ended'
  static override flags = {
    session: flagFrom(operations.audit_show.input, 'session', {char: 's'}),
    agent: flagFrom(operations.audit_show.input, 'agent', {char: 'a'}),
    since: flagFrom(operations.audit_show.input, 'since'),
  }

  async run() {
    const {flags} = await this.parse(AuditShow)
    const result = await this.runOperation('audit_show', {session: flags.session, agent: flags.agent, since: flags.since})
    const who = (caller: {kind: string; [key: string]: unknown}) =>
      caller.kind === 'agent' ? `agent ${String(caller.session)}/${String(caller.agent)}` : caller.kind === 'mcp' ? `mcp (${String(caller.clearance)})` : caller.kind === 'ccmcp' ? `ccmcp (${String(caller.task)})` : caller.kind
    const rows = result.records.map((record) => [
      String(record.seq),
      record.ts,
      who(record.caller),
      record.event ? `${record.op} ${record.event}` : record.op,
      record.target ? [record.target.session, record.target.agent].filter(Boolean).join('/') : '',
      record.code ? `${record.outcome} ${record.code}` : record.outcome,
    ])
    this.log(table(['SEQ', 'TIME', 'CALLER', 'OPERATION', 'TARGET', 'OUTCOME'], rows))
    return result
  }
}
