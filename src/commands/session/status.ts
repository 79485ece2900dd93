import {CcmcpCommand} from '../../cli/base-command.js'
import {sessionStatusLines} from '../../cli/command-views.js'
import {argFrom} from '../../cli/schema-flags.js'
import {operations} from '../../core/pipeline/registry.js'

export default class SessionStatus extends CcmcpCommand {
  static override summary = "Show a session and its agents' live status"
  static override args = {name: argFrom(operations.get_session_status.input, 'name')}

  async run() {
    const {args} = await this.parse(SessionStatus)
    const result = await this.runOperation('get_session_status', {name: args.name})
    for (const line of sessionStatusLines(result, this.color)) this.log(line)
    return result
  }
}
