import {CcmcpCommand} from '../../cli/base-command.js'
import {sessionListLines} from '../../cli/command-views.js'

export default class SessionList extends CcmcpCommand {
  static override summary = 'List sessions'

  async run() {
    await this.parse(SessionList)
    const result = await this.runOperation('list_sessions', {})
    for (const line of sessionListLines(result)) this.log(line)
    return result
  }
}
