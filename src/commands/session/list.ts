import {CcmcpCommand} from '../../cli/base-command.js'
import {sessionsTable} from '../../cli/format.js'

export default class SessionList extends CcmcpCommand {
  static override summary = 'List sessions'

  async run() {
    await this.parse(SessionList)
    const result = await this.runOperation('list_sessions', {})
    this.log(sessionsTable(result.sessions))
    return result
  }
}
