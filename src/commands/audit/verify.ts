import {CcmcpCommand} from '../../cli/base-command.js'

export default class AuditVerify extends CcmcpCommand {
  static override summary = 'Check the audit log: every record, the hash chain and the signed checkpoints'
  static override description = 'Exits 18 (AUDIT_BROKEN) naming the first broken record: an edited, deleted, inserted or reordered line, a truncation up to the last mirrored checkpoint, a bad signature or a mirror that does not match.'

  async run() {
    await this.parse(AuditVerify)
    const report = await this.runOperation('audit_verify', {})
    const signed = report.signedSize > 0 ? `, signed up to record ${report.signedSize} (${report.checkpoints} checkpoints)` : ''
    this.log(`Audit log intact: ${report.records} records in ${report.files.length} file(s)${signed}.`)
    for (const warning of report.warnings) this.logToStderr(`warning: ${warning}`)
    return report
  }
}
