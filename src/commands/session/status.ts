import {CcmcpCommand} from '../../cli/base-command.js'
import {agentsTable} from '../../cli/format.js'
import {argFrom} from '../../cli/schema-flags.js'
import {operations} from '../../core/pipeline/registry.js'
import {usageLine} from '../../present/usage.js'
import {sandboxLine} from '../../cli/sandbox-line.js'

export default class SessionStatus extends CcmcpCommand {
  static override summary = "Show a session and its agents' live status"
  static override args = {name: argFrom(operations.get_session_status.input, 'name')}

  async run() {
    const {args} = await this.parse(SessionStatus)
    const result = await this.runOperation('get_session_status', {name: args.name})
    this.log(`${result.session.name}  ${result.session.backend}  ${result.session.root}\n${sandboxLine(result.session)}\n`)
    this.log(agentsTable(result.agents, {showSession: false, color: this.color}))
    if (result.agents.some((agent) => agent.usage)) this.log(`\nSession ${usageLine(result.usage)}`)
    if (result.agents.some((agent) => agent.git)) this.log('BRANCH marks: ✎N uncommitted changes, ↑N commits not merged into the root\'s branch')
    return result
  }
}
